import JSONValue

/// The claims the verifier checks, type-checked but not yet validated (pipeline step 2 for the payload).
struct AccessTokenClaims: Sendable {
    /// The payload as received (already signature-verified and checked to be a strict JSON
    /// object); the full claim dictionary is built from it only when someone asks for it.
    var payload: [UInt8]
    var exp: Double
    var nbf: Double?
    var iat: Double?
    var authTime: Double?
    var iss: String?
    var tokenUse: String?
    var clientId: String?
    var sub: String?
    var username: String?
    var scope: String?
    var groups: [String]
    var jti: String?
    var originJti: String?

    /// The claims read by the verifier, in the order of the indices below.
    static let knownNames: [[UInt8]] = [
        "exp", "nbf", "iat", "auth_time", "iss", "token_use", "client_id", "sub", "username", "scope",
        "cognito:groups", "jti", "origin_jti",
    ].map { Array($0.utf8) }

    static func parse(_ bytes: [UInt8]) throws(TokenVerificationError) -> AccessTokenClaims {
        // The whole payload is validated here with the strict parser's rules (duplicates, types
        // of JSON, UTF-8, numbers); only the known claims are materialised.
        let found: [JSONValue?]
        do {
            found = try StrictJSONParser.scanObject(bytes, extracting: knownNames)
        } catch {
            throw .malformed("payload is not a JSON object (\(error.reason))")
        }
        guard let expValue = found[0] else { throw .malformed("exp claim missing") }
        let exp = try numericDate(expValue, "exp")
        var groups: [String] = []
        if let value = found[10] {
            guard let list = value.arrayValue else { throw .malformed("cognito:groups claim is not an array of strings") }
            groups.reserveCapacity(list.count)
            for element in list {
                guard let name = element.stringValue else { throw .malformed("cognito:groups claim is not an array of strings") }
                groups.append(name)
            }
        }
        return AccessTokenClaims(
            payload: bytes,
            exp: exp,
            nbf: try found[1].map { v throws(TokenVerificationError) in try numericDate(v, "nbf") },
            iat: try found[2].map { v throws(TokenVerificationError) in try numericDate(v, "iat") },
            authTime: try found[3].map { v throws(TokenVerificationError) in try numericDate(v, "auth_time") },
            iss: try string(found[4], "iss"),
            tokenUse: try string(found[5], "token_use"),
            clientId: try string(found[6], "client_id"),
            sub: try string(found[7], "sub"),
            username: try string(found[8], "username"),
            scope: try string(found[9], "scope"),
            groups: groups,
            jti: try string(found[11], "jti"),
            originJti: try string(found[12], "origin_jti")
        )
    }

    /// Largest accepted NumericDate: far beyond any real token, small enough for exact Int64 and Double.
    static let maximumNumericDate: Double = 4_503_599_627_370_496  // 2^52

    /// A NumericDate (RFC 7519 §2): a JSON number of seconds, possibly fractional.
    @inline(__always)
    static func numericDate(_ value: JSONValue, _ name: StaticString) throws(TokenVerificationError) -> Double {
        let seconds: Double
        switch value {
        case .int(let integer): seconds = Double(integer)
        case .double(let double): seconds = double
        default: throw .malformed("\(name) claim is not a number")
        }
        guard seconds.magnitude <= maximumNumericDate else { throw .malformed("\(name) claim is out of range") }
        return seconds
    }

    @inline(__always)
    static func string(_ value: JSONValue?, _ name: StaticString) throws(TokenVerificationError) -> String? {
        guard let value else { return nil }
        guard case .string(let string) = value else { throw .malformed("\(name) claim is not a string") }
        return string
    }
}
