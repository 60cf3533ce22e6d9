import JSONValue

/// The protected header of a token, with the members the verifier acts on.
struct JOSEHeader: Sendable {
    var alg: String
    var kid: String?

    /// Header members that point at or embed a key. Honouring any of them lets the token choose
    /// its own key; the verifier only trusts the configured JWKS, and Cognito never sends them,
    /// so a token carrying one is refused outright rather than silently ignored.
    static let keyCarryingMembers = ["jku", "jwk", "x5u", "x5c"]

    /// The members the verifier reads or refuses, in the order of `Members`' indices.
    static let knownNames: [[UInt8]] = (["alg", "kid", "crit"] + keyCarryingMembers).map { Array($0.utf8) }

    /// Which of the known names the header carries (the rest of the header is validated, not kept).
    struct Members {
        var found: [JSONValue?]
    }

    /// Pipeline step 2 for the header: a JSON object with typed members.
    static func parse(_ bytes: [UInt8]) throws(TokenVerificationError) -> (header: JOSEHeader, members: Members) {
        let found: [JSONValue?]
        do {
            // Same strictness as a full parse (duplicates refused, whole object validated).
            found = try StrictJSONParser.scanObject(bytes, extracting: knownNames)
        } catch {
            throw .malformed("header is not a JSON object (\(error.reason))")
        }
        guard let algValue = found[0] else { throw .malformed("header has no alg") }
        guard let alg = algValue.stringValue else { throw .malformed("header alg is not a string") }
        var kid: String? = nil
        if let kidValue = found[1] {
            guard let string = kidValue.stringValue else { throw .malformed("header kid is not a string") }
            kid = string
        }
        return (JOSEHeader(alg: alg, kid: kid), Members(found: found))
    }

    /// Pipeline step 3 (beyond `alg`): no key-carrying members, no `crit`.
    static func checkMembers(_ members: Members) throws(TokenVerificationError) {
        for (offset, name) in keyCarryingMembers.enumerated() where members.found[3 + offset] != nil {
            throw .malformed("header member \(name) is not accepted")
        }
        // The verifier understands no extension, so every `crit` list names something it cannot
        // honour (RFC 7515 §4.1.11: such a JWS must be rejected). This also refuses `b64: false`.
        if members.found[2] != nil {
            throw .malformed("header crit names extensions this verifier does not support")
        }
    }
}
