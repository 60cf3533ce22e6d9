import JSONValue
import LambdaKit
import WireCoding

/// The body of `POST /auth/sign-in`, as JSON or form-encoded, validated before Cognito sees it.
struct SignInRequest: Equatable {
    var code: String
    var codeVerifier: String?
    var redirectURI: String?

    /// Cognito authorization codes are UUIDs; this leaves room for other IdP-brokered codes while
    /// refusing to forward megabytes to the token endpoint.
    static let maximumCodeLength = 2048
    static let maximumBodyBytes = 16 * 1024

    static func parse(_ request: HTTPRequest, requirePKCE: Bool = true) throws(RequestBodyFailure) -> SignInRequest {
        guard request.body.count <= maximumBodyBytes else { throw .tooLarge }
        let fields = try fields(of: request)
        guard let code = fields.code, !code.isEmpty else { throw .missingCode }
        guard code.utf8.count <= maximumCodeLength, code.utf8.allSatisfy(isUnreserved) else { throw .malformedCode }
        if let verifier = fields.codeVerifier {
            // RFC 7636 §4.1: 43 to 128 unreserved characters.
            guard (43...128).contains(verifier.utf8.count), verifier.utf8.allSatisfy(isUnreserved) else {
                throw .malformedCodeVerifier
            }
        } else if requirePKCE {
            // Without PKCE a stolen or injected code can be redeemed by whoever holds it; OAuth 2.1
            // and RFC 9700 §2.1.1 want a verifier on every authorization-code exchange.
            throw .missingCodeVerifier
        }
        return SignInRequest(code: code, codeVerifier: fields.codeVerifier, redirectURI: fields.redirectURI)
    }

    private struct Fields {
        var code: String?
        var codeVerifier: String?
        var redirectURI: String?
    }

    private static func fields(of request: HTTPRequest) throws(RequestBodyFailure) -> Fields {
        let malformed = RequestBodyFailure.malformed
        let contentType = request.headers.first(name: "Content-Type")?
            .split(separator: ";").first.map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
        let firstByte = request.body.first { !isWhitespace($0) }
        let isJSON: Bool
        switch contentType {
        case "application/json": isJSON = true
        case "application/x-www-form-urlencoded": isJSON = false
        // No content type: API Gateway consoles and curl -d often omit it; sniff the body.
        case nil: isJSON = firstByte == UInt8(ascii: "{")
        default: throw .notJSONOrForm
        }
        if request.body.isEmpty { throw .missingCode }
        if isJSON {
            // `JSONValue.parse` refuses repeated member names, as the form branch below does: two
            // `code`s or `redirect_uri`s are ambiguous, so the request is refused, not resolved.
            guard firstByte == UInt8(ascii: "{"), let object = (try? JSONValue.parse(request.body))?.objectValue else {
                throw malformed
            }
            // null is the same as absent; any other non-string is malformed.
            func field(_ name: String) throws(RequestBodyFailure) -> String? {
                switch object[name] {
                case nil, .null?: return nil
                case .string(let value)?: return value
                default: throw malformed
                }
            }
            return Fields(code: try field("code"), codeVerifier: try field("code_verifier"), redirectURI: try field("redirect_uri"))
        }
        // Strict: a broken escape or invalid UTF-8 is refused, not guessed at.
        guard let pairs = FormURLEncoding.parseStrictly(request.body) else { throw malformed }
        var fields = Fields()
        for (name, value) in pairs {
            switch name {
            // A repeated field is ambiguous; refuse it rather than pick one.
            case "code":
                guard fields.code == nil else { throw malformed }
                fields.code = value
            case "code_verifier":
                guard fields.codeVerifier == nil else { throw malformed }
                fields.codeVerifier = value
            case "redirect_uri":
                guard fields.redirectURI == nil else { throw malformed }
                fields.redirectURI = value
            default:
                continue
            }
        }
        return fields
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }
}
