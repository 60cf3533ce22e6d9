import JSONValue

/// The claims the verifier checks, type-checked but not yet validated (pipeline step 2 for the payload).
struct AccessTokenClaims: Sendable {
    var members: [String: JSONValue]
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

    static func parse(_ bytes: [UInt8]) throws(TokenVerificationError) -> AccessTokenClaims {
        let members: [String: JSONValue]
        do {
            members = try StrictJSONParser.parseObject(bytes)
        } catch {
            throw .malformed("payload is not a JSON object (\(error.reason))")
        }
        guard let expValue = members["exp"] else { throw .malformed("exp claim missing") }
        let exp = try numericDate(expValue, "exp")
        var groups: [String] = []
        if let value = members["cognito:groups"] {
            guard let list = value.arrayValue else { throw .malformed("cognito:groups claim is not an array of strings") }
            groups.reserveCapacity(list.count)
            for element in list {
                guard let name = element.stringValue else { throw .malformed("cognito:groups claim is not an array of strings") }
                groups.append(name)
            }
        }
        return AccessTokenClaims(
            members: members,
            exp: exp,
            nbf: try members["nbf"].map { v throws(TokenVerificationError) in try numericDate(v, "nbf") },
            iat: try members["iat"].map { v throws(TokenVerificationError) in try numericDate(v, "iat") },
            authTime: try members["auth_time"].map { v throws(TokenVerificationError) in try numericDate(v, "auth_time") },
            iss: try string(members["iss"], "iss"),
            tokenUse: try string(members["token_use"], "token_use"),
            clientId: try string(members["client_id"], "client_id"),
            sub: try string(members["sub"], "sub"),
            username: try string(members["username"], "username"),
            scope: try string(members["scope"], "scope"),
            groups: groups,
            jti: try string(members["jti"], "jti"),
            originJti: try string(members["origin_jti"], "origin_jti")
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
