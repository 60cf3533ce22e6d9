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
    /// `iss`, `token_use` and `client_id`: only whether they equal the expected values is kept.
    var iss: Match
    var tokenUse: Match
    var clientId: Match
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

    /// How a claim compared with its expected value. A missing claim fails like a wrong one.
    enum Match: Sendable, Equatable {
        case absent, equal, different

        var isEqual: Bool { self == .equal }
    }

    /// The values `iss`, `token_use` and `client_id` must have, computed once per verifier.
    struct Expected: Sendable {
        var issuer: String
        var tokenUse: String
        var clientId: String
        /// For the scan, at the indices of `knownNames`; nil where no comparison is done or the
        /// expected value is not ASCII (then the claim is compared as a `String`).
        var bytes: [[UInt8]?]

        init(issuer: String, tokenUse: String = "access", clientId: String) {
            self.issuer = issuer
            self.tokenUse = tokenUse
            self.clientId = clientId
            func ascii(_ string: String) -> [UInt8]? {
                let utf8 = Array(string.utf8)
                return utf8.allSatisfy { $0 < 0x80 } ? utf8 : nil
            }
            var bytes = [[UInt8]?](repeating: nil, count: 7)
            bytes[4] = ascii(issuer)
            bytes[5] = ascii(tokenUse)
            bytes[6] = ascii(clientId)
            self.bytes = bytes
        }
    }

    static func parse(_ bytes: [UInt8], expecting expected: Expected) throws(TokenVerificationError) -> AccessTokenClaims {
        // The whole payload is validated here with the strict parser's rules (duplicates, types
        // of JSON, UTF-8, numbers); only the known claims are materialised.
        let found: [JSONValue?]
        let compared: UInt64
        let matched: UInt64
        do {
            (found, compared, matched) = try StrictJSONParser.scanObject(bytes, extracting: knownNames, comparing: expected.bytes)
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
            iss: try match(4, found, compared, matched, expected.issuer, "iss"),
            tokenUse: try match(5, found, compared, matched, expected.tokenUse, "token_use"),
            clientId: try match(6, found, compared, matched, expected.clientId, "client_id"),
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

    /// The claim at `slot` against `expected`: compared as bytes by the scan when both are plain
    /// ASCII, otherwise as `String`s (canonical equivalence, as before the byte path existed).
    @inline(__always)
    static func match(
        _ slot: Int, _ found: [JSONValue?], _ compared: UInt64, _ matched: UInt64, _ expected: String, _ name: StaticString
    ) throws(TokenVerificationError) -> Match {
        let bit: UInt64 = 1 << UInt64(slot)
        if compared & bit != 0 { return matched & bit != 0 ? .equal : .different }
        guard let value = try string(found[slot], name) else { return .absent }
        return value == expected ? .equal : .different
    }

    @inline(__always)
    static func string(_ value: JSONValue?, _ name: StaticString) throws(TokenVerificationError) -> String? {
        guard let value else { return nil }
        guard case .string(let string) = value else { throw .malformed("\(name) claim is not a string") }
        return string
    }
}
