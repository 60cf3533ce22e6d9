import JSONValue

/// The claims the verifier checks, type-checked but not yet validated (pipeline step 2 for the
/// payload). Numbers are read; `iss`, `token_use`, `client_id` and `aud` are compared in place
/// with the configured values; the other string claims stay spans of the payload until someone
/// reads them.
struct AccessTokenClaims: Sendable {
    var payload: ClaimsPayload
    var exp: Double
    var nbf: Double?
    var iat: Double?
    var authTime: Double?
    /// Whether `iss` is one of the allowed issuers.
    var iss: Match
    var tokenUse: Match
    /// Where `client_id` is in `Expected.userClientIds` / `machineClientIds` (nil: not there).
    var userClient: Int?
    var machineClient: Int?
    /// `.equal` when no audience is required.
    var audience: Match
    /// No `username` claim: a client-credentials token (Cognito's machine-to-machine tokens carry
    /// `sub` = `client_id` and no `username`, no `cognito:groups`).
    var isMachine: Bool
    /// For a machine token: whether `sub` is exactly its `client_id`.
    var subIsClientId: Bool

    /// The claims read by the verifier, in the order of the `Slot` indices.
    static let knownNameList = [
        "exp", "nbf", "iat", "auth_time", "iss", "token_use", "client_id", "sub", "username", "scope",
        "cognito:groups", "jti", "origin_jti", "aud",
    ]
    static let knownNames = JSONMemberTable(knownNameList)

    enum Slot {
        static let exp = 0, nbf = 1, iat = 2, authTime = 3, iss = 4, tokenUse = 5, clientId = 6
        static let sub = 7, username = 8, scope = 9, groups = 10, jti = 11, originJti = 12, aud = 13
    }

    /// How a claim compared with its expected value. A missing claim fails like a wrong one.
    enum Match: Sendable, Equatable {
        case absent, equal, different

        var isEqual: Bool { self == .equal }
    }

    /// The values the claims must have, computed once per verifier, with their UTF-8 bytes: a
    /// claim matches only when its decoded bytes are exactly one of these (see `ExactText`; a
    /// canonically equivalent spelling is another issuer or client).
    struct Expected: Sendable {
        var issuers: [[UInt8]]
        var tokenUseBytes: [UInt8]
        /// Clients whose user tokens are accepted, as configured (the verified token reports the
        /// entry its `client_id` equals byte for byte: the token's own id, without decoding it).
        var userClientIds: [String]
        var userClientIdBytes: [[UInt8]]
        /// Clients whose machine tokens are accepted.
        var machineClientIds: [String]
        var machineClientIdBytes: [[UInt8]]
        var audienceBytes: [UInt8]?
        /// String claims a caller reads from every token (`StringClaimNames`), located in the
        /// same pass as the known ones when the table can hold them: `table` is `knownNames`
        /// followed by those of them not already known, and `namedSlots` their slots in it.
        var namedClaims: StringClaimNames
        var table: JSONMemberTable
        var namedSlots: [Int]

        init(
            issuers: [String], tokenUse: String = "access", userClientIds: [String], machineClientIds: [String] = [],
            audience: String? = nil, namedClaims: StringClaimNames = StringClaimNames([])
        ) {
            self.namedClaims = namedClaims
            if namedClaims.table != nil, AccessTokenClaims.knownNameList.count + namedClaims.names.count <= Int(Int8.max) {
                var names = AccessTokenClaims.knownNameList
                namedSlots = namedClaims.names.map { name in
                    if let slot = names.firstIndex(where: { $0.utf8.elementsEqual(name.utf8) }) { return slot }
                    names.append(name)
                    return names.count - 1
                }
                table = JSONMemberTable(names)
            } else {
                namedSlots = []
                table = AccessTokenClaims.knownNames
            }
            self.issuers = issuers.map { Array($0.utf8) }
            self.tokenUseBytes = Array(tokenUse.utf8)
            self.userClientIds = userClientIds
            self.userClientIdBytes = userClientIds.map { Array($0.utf8) }
            self.machineClientIds = machineClientIds
            self.machineClientIdBytes = machineClientIds.map { Array($0.utf8) }
            self.audienceBytes = audience.map { Array($0.utf8) }
        }
    }

    static func parse(_ bytes: [UInt8], expecting expected: Expected) throws(TokenVerificationError) -> AccessTokenClaims {
        try bytes.withUnsafeBufferPointer { buffer throws(TokenVerificationError) in
            try withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: expected.table.count) {
                spans throws(TokenVerificationError) in
                // The whole payload is checked here with `JSONValue.parse`'s rules under the
                // `.jose` policy (duplicates, depth, UTF-8, numbers); only the known claims are located.
                do throws(JSONParseError) {
                    try JSONMemberLocator.locate(expected.table, in: buffer, policy: .jose, into: spans)
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
                // RFC 7519 §4.1.3: a string or an array of strings, whether or not it is required.
                let aud = spans[Slot.aud]
                if aud.isPresent, !aud.isString, aud.kind != .stringArray {
                    throw .malformed("aud claim is not a string or an array of strings")
                }
                let clientId = spans[Slot.clientId]
                try requireString(clientId, "client_id")
                let isMachine = !spans[Slot.username].isPresent
                return AccessTokenClaims(
                    payload: ClaimsPayload(
                        bytes: bytes, sub: spans[Slot.sub], username: spans[Slot.username], scope: spans[Slot.scope],
                        groups: spans[Slot.groups], jti: spans[Slot.jti], originJti: spans[Slot.originJti],
                        named: expected.namedSlots.isEmpty ? nil : (expected.namedClaims.names, expected.namedSlots.map { spans[$0] })),
                    exp: try numericDate(spans[Slot.exp], buffer, "exp")!,
                    nbf: try numericDate(spans[Slot.nbf], buffer, "nbf"),
                    iat: try numericDate(spans[Slot.iat], buffer, "iat"),
                    authTime: try numericDate(spans[Slot.authTime], buffer, "auth_time"),
                    iss: try match(spans[Slot.iss], buffer, anyOf: expected.issuers, "iss"),
                    tokenUse: try match(spans[Slot.tokenUse], buffer, expected.tokenUseBytes, "token_use"),
                    userClient: index(of: clientId, buffer, in: expected.userClientIdBytes),
                    machineClient: isMachine ? index(of: clientId, buffer, in: expected.machineClientIdBytes) : nil,
                    audience: audienceMatch(aud, buffer, expected.audienceBytes),
                    isMachine: isMachine,
                    subIsClientId: isMachine && sameString(spans[Slot.sub], clientId, buffer)
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

    /// The claim against every value of an allow-list, as exact bytes (see `match`).
    @inline(__always)
    static func match(
        _ span: JSONMemberSpan, _ buffer: UnsafeBufferPointer<UInt8>, anyOf expected: [[UInt8]], _ name: StaticString
    ) throws(TokenVerificationError) -> Match {
        guard span.isPresent else { return .absent }
        guard span.isString else { throw .malformed("\(name) claim is not a string") }
        return index(of: span, buffer, in: expected) != nil ? .equal : .different
    }

    /// The index of the first of `candidates` the string at `span` equals (exact bytes), or nil.
    @inline(__always)
    static func index(of span: JSONMemberSpan, _ buffer: UnsafeBufferPointer<UInt8>, in candidates: [[UInt8]]) -> Int? {
        guard span.isString else { return nil }
        for index in candidates.indices where span.stringEquals(candidates[index], in: buffer) { return index }
        return nil
    }

    /// `aud` against the required audience: equal as a string, or one element of an array equal
    /// to it (RFC 7519 §4.1.3), exact bytes. `.equal` when no audience is required (RFC 9068 §4
    /// makes the check the resource server's choice; unset, `aud` is not required).
    static func audienceMatch(_ span: JSONMemberSpan, _ buffer: UnsafeBufferPointer<UInt8>, _ required: [UInt8]?) -> Match {
        guard let required else { return .equal }
        guard span.isPresent else { return .absent }
        if span.isString { return span.stringEquals(required, in: buffer) ? .equal : .different }
        // Only when an audience is required and `aud` is an array: its strings are decoded once.
        let contains = (span.strings(in: buffer) ?? []).contains { $0.utf8.elementsEqual(required) }
        return contains ? .equal : .different
    }

    /// Whether two string claims decode to the same bytes (a machine token's `sub` and `client_id`).
    static func sameString(_ lhs: JSONMemberSpan, _ rhs: JSONMemberSpan, _ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.isString, rhs.isString else { return false }
        if let content = rhs.unescapedContent(in: buffer) { return lhs.stringEquals(content, in: buffer) }
        guard let decoded = rhs.string(in: buffer) else { return false }
        return lhs.stringEquals(Array(decoded.utf8), in: buffer)
    }
}
