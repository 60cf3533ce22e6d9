import JSONValue

/// The claims the verifier checks, type-checked but not yet validated (pipeline step 2 for the
/// payload). Numbers are read; `iss`, `token_use` and `client_id` are compared in place; the other
/// string claims stay spans of the payload until someone reads them.
struct AccessTokenClaims: Sendable {
    var payload: ClaimsPayload
    var exp: Double
    var nbf: Double?
    var iat: Double?
    var authTime: Double?
    /// `iss`, `token_use` and `client_id`: only whether they equal the expected values is kept.
    var iss: Match
    var tokenUse: Match
    var clientId: Match

    /// The claims read by the verifier, in the order of the `Slot` indices.
    static let knownNames = JSONMemberTable([
        "exp", "nbf", "iat", "auth_time", "iss", "token_use", "client_id", "sub", "username", "scope",
        "cognito:groups", "jti", "origin_jti",
    ])

    enum Slot {
        static let exp = 0, nbf = 1, iat = 2, authTime = 3, iss = 4, tokenUse = 5, clientId = 6
        static let sub = 7, username = 8, scope = 9, groups = 10, jti = 11, originJti = 12
    }

    /// How a claim compared with its expected value. A missing claim fails like a wrong one.
    enum Match: Sendable, Equatable {
        case absent, equal, different

        var isEqual: Bool { self == .equal }
    }

    /// The values `iss`, `token_use` and `client_id` must have, computed once per verifier, with
    /// their UTF-8 bytes: a claim matches only when its decoded bytes are exactly these (see
    /// `ExactText`; a canonically equivalent spelling is another issuer or client).
    struct Expected: Sendable {
        var issuer: String
        var tokenUse: String
        var clientId: String
        var issuerBytes: [UInt8]
        var tokenUseBytes: [UInt8]
        var clientIdBytes: [UInt8]

        init(issuer: String, tokenUse: String = "access", clientId: String) {
            self.issuer = issuer
            self.tokenUse = tokenUse
            self.clientId = clientId
            self.issuerBytes = Array(issuer.utf8)
            self.tokenUseBytes = Array(tokenUse.utf8)
            self.clientIdBytes = Array(clientId.utf8)
        }
    }

    static func parse(_ bytes: [UInt8], expecting expected: Expected) throws(TokenVerificationError) -> AccessTokenClaims {
        try bytes.withUnsafeBufferPointer { buffer throws(TokenVerificationError) in
            try withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: knownNames.count) {
                spans throws(TokenVerificationError) in
                // The whole payload is checked here with `JSONValue.parse`'s rules under the
                // `.jose` policy (duplicates, depth, UTF-8, numbers); only the known claims are located.
                do throws(JSONParseError) {
                    try JSONMemberLocator.locate(knownNames, in: buffer, policy: .jose, into: spans)
                } catch {
                    throw .malformed("payload is not a JSON object (\(error.reason))")
                }
                guard spans[Slot.exp].isPresent else { throw .malformed("exp claim missing") }
                try requireString(spans[Slot.sub], "sub")
                try requireString(spans[Slot.username], "username")
                try requireString(spans[Slot.scope], "scope")
                try requireString(spans[Slot.jti], "jti")
                try requireString(spans[Slot.originJti], "origin_jti")
                if spans[Slot.groups].isPresent, spans[Slot.groups].kind != .stringArray {
                    throw .malformed("cognito:groups claim is not an array of strings")
                }
                return AccessTokenClaims(
                    payload: ClaimsPayload(
                        bytes: bytes, sub: spans[Slot.sub], username: spans[Slot.username], scope: spans[Slot.scope],
                        groups: spans[Slot.groups], jti: spans[Slot.jti], originJti: spans[Slot.originJti]),
                    exp: try numericDate(spans[Slot.exp], buffer, "exp")!,
                    nbf: try numericDate(spans[Slot.nbf], buffer, "nbf"),
                    iat: try numericDate(spans[Slot.iat], buffer, "iat"),
                    authTime: try numericDate(spans[Slot.authTime], buffer, "auth_time"),
                    iss: try match(spans[Slot.iss], buffer, expected.issuerBytes, "iss"),
                    tokenUse: try match(spans[Slot.tokenUse], buffer, expected.tokenUseBytes, "token_use"),
                    clientId: try match(spans[Slot.clientId], buffer, expected.clientIdBytes, "client_id")
                )
            }
        }
    }

    /// Largest accepted NumericDate: far beyond any real token, small enough for exact Int64 and Double.
    static let maximumNumericDate: Double = 4_503_599_627_370_496  // 2^52

    /// A NumericDate (RFC 7519 §2): a JSON number of seconds, possibly fractional; nil when absent.
    @inline(__always)
    static func numericDate(
        _ span: JSONMemberSpan, _ buffer: UnsafeBufferPointer<UInt8>, _ name: StaticString
    ) throws(TokenVerificationError) -> Double? {
        guard span.isPresent else { return nil }
        guard span.kind == .number else { throw .malformed("\(name) claim is not a number") }
        // Cognito's dates are plain integers: read in place, without a parse of the span.
        if let integer = span.smallInteger(in: buffer) {
            guard Double(integer) <= maximumNumericDate else { throw .malformed("\(name) claim is out of range") }
            return Double(integer)
        }
        let seconds: Double
        switch span.value(in: buffer) {
        case .int(let integer): seconds = Double(integer)
        case .double(let double): seconds = double
        default: throw .malformed("\(name) claim is not a number")
        }
        guard seconds.magnitude <= maximumNumericDate else { throw .malformed("\(name) claim is out of range") }
        return seconds
    }

    @inline(__always)
    static func requireString(_ span: JSONMemberSpan, _ name: StaticString) throws(TokenVerificationError) {
        if span.isPresent, !span.isString { throw .malformed("\(name) claim is not a string") }
    }

    /// The claim at `span` against `expected`, as exact bytes: an unescaped string's content is
    /// compared in place, an escaped one after decoding (`\u0061` is `a` in JSON, so escapes are
    /// the same string), never as `String`s (canonical equivalence would let
    /// `"https://cognito-idp…/us-east-1_\u{212A}…"` pass for a pool id with a `K`).
    @inline(__always)
    static func match(
        _ span: JSONMemberSpan, _ buffer: UnsafeBufferPointer<UInt8>, _ expected: [UInt8], _ name: StaticString
    ) throws(TokenVerificationError) -> Match {
        guard span.isPresent else { return .absent }
        guard span.isString else { throw .malformed("\(name) claim is not a string") }
        return span.stringEquals(expected, in: buffer) ? .equal : .different
    }
}
