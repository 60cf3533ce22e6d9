import JSONValue

/// A signature-verified payload that passed the JSON member locator, with where the string claims a
/// `VerifiedAccessToken` exposes are in it. Claims are decoded when read, not during verification:
/// most requests read one or two of them, or none.
struct ClaimsPayload: Sendable {
    var bytes: [UInt8]
    var sub: JSONMemberSpan
    var username: JSONMemberSpan
    var scope: JSONMemberSpan
    /// A `.stringArray` or absent (the verifier refuses any other `cognito:groups`).
    var groups: JSONMemberSpan
    var jti: JSONMemberSpan
    var originJti: JSONMemberSpan
    /// The verifier's named claims (`AccessTokenClaims.Expected.namedClaims`) and where they are,
    /// located with the known ones; nil when it has none (or they could not be tabled).
    var named: (names: [String], spans: [JSONMemberSpan])?

    /// The string claim at `span` (nil when absent).
    func string(_ span: JSONMemberSpan) -> String? {
        guard span.isPresent else { return nil }
        return bytes.withUnsafeBufferPointer { span.string(in: $0) }
    }

    /// The `scope` claim at `span`, split (`AccessTokenVerifier.splitScopes`); an unescaped ASCII
    /// one straight from the payload's bytes (no `String` of the whole claim first).
    func scopes(_ span: JSONMemberSpan) -> [String] {
        if span.kind == .asciiString {
            let split = bytes.withUnsafeBufferPointer { document in
                span.unescapedContent(in: document).flatMap(AccessTokenVerifier.splitASCIIScopes)
            }
            if let split { return split }
        }
        return string(span).map(AccessTokenVerifier.splitScopes) ?? []
    }

    /// The strings of the array at `span` (empty when absent).
    func strings(_ span: JSONMemberSpan) -> [String] {
        guard span.isPresent else { return [] }
        return bytes.withUnsafeBufferPointer { span.strings(in: $0) } ?? []
    }

    /// Whether the string at `span` is present and not empty, without decoding it (a string
    /// with an escape has at least one character).
    func hasNonEmptyString(_ span: JSONMemberSpan) -> Bool {
        span.isString && span.byteCount > 2
    }

    /// The string claims of `names` (see `VerifiedAccessToken.stringClaims`).
    func stringClaims(_ names: StringClaimNames) -> [String?] {
        if let named, Self.sameNames(named.names, names.names) {
            // Located during verification: only the values are decoded.
            return bytes.withUnsafeBufferPointer { document in named.spans.map { $0.isString ? $0.string(in: document) : nil } }
        }
        guard let table = names.table else { return names.values(in: claims) }
        return bytes.withUnsafeBufferPointer { document in
            withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: table.count) { spans in
                // The payload passed the same locator (`.jose`) during verification: this cannot fail.
                do throws(JSONParseError) {
                    try JSONMemberLocator.locate(table, in: document, policy: .jose, into: spans)
                } catch {
                    return [String?](repeating: nil, count: table.count)
                }
                return spans.map { $0.isString ? $0.string(in: document) : nil }
            }
        }
    }

    /// Whether two name lists are the same: the verifier's own list (one shared array) at once,
    /// any other by exact bytes.
    private static func sameNames(_ lhs: [String], _ rhs: [String]) -> Bool {
        let shared = lhs.withUnsafeBufferPointer { l in rhs.withUnsafeBufferPointer { l.baseAddress == $0.baseAddress && l.count == $0.count } }
        if shared { return true }
        return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { ExactText.equal($0, $1) }
    }

    /// Every claim, as sent.
    var claims: [String: JSONValue] {
        // The payload passed the same checks (`.jose` policy) during verification.
        (try? JSONValue.parse(bytes, policy: .jose))?.objectValue ?? [:]
    }
}
