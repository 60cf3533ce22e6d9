/// Turns text from an upstream answer into something safe to keep in an error, a log line or a
/// problem `detail`.
///
/// Security: Cognito-like servers may echo request data back (moto puts the whole access token
/// in GlobalSignOut's NotAuthorizedException message). So every string taken from an answer
/// passes through `sanitize`: the request's own secrets are cut out verbatim, any long run of
/// token characters (a JWT, a JWE refresh token, a secret we did not know about) is redacted,
/// control characters are flattened, and the result is capped.
enum UpstreamText {
    static let excerptLimit = 200
    /// Runs of token-alphabet characters at least this long are treated as credentials.
    static let tokenRunThreshold = 40
    static let redacted = "<redacted>"
    static let minimumSecretLength = 8

    /// A short, sanitized excerpt of a response body.
    static func excerpt(_ body: [UInt8], secrets: [String]) -> String {
        // Only the start matters (the result is capped at 200 characters); 64 KiB leaves room
        // for several multi-kilobyte tokens to be cut out before the cap.
        sanitize(String(decoding: body.prefix(64 * 1024), as: UTF8.self), secrets: secrets)
    }

    static func sanitize(_ text: String, secrets: [String], limit: Int = excerptLimit) -> String {
        var text = text
        // Values shorter than this are not real codes, tokens or secrets (Cognito's are UUIDs or
        // longer); cutting them would only garble the text (a one-letter "code" is in every word).
        for secret in secrets where secret.count >= minimumSecretLength {
            text = text.replacing(secret, with: redacted)
        }
        var out = ""
        var run = ""
        func flush() {
            out += run.count >= tokenRunThreshold ? redacted : run
            run = ""
        }
        for character in text {
            if isTokenCharacter(character) {
                run.append(character)
            } else {
                flush()
                out.append(character.isASCII && (character.asciiValue! < 0x20 || character.asciiValue! == 0x7F) ? " " : character)
            }
        }
        flush()
        if out.count > limit {
            out = String(out.prefix(limit)) + "…"
        }
        return out
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
