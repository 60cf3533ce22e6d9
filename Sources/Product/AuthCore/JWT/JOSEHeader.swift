import JSONValue
import WireCoding

/// The protected header of a token: pipeline steps 2–4 for the header, read in place from a
/// decoded copy on the stack.
enum JOSEHeader {
    /// Header members that point at or embed a key. Honouring any of them lets the token choose
    /// its own key; the verifier only trusts the configured JWKS, and Cognito never sends them,
    /// so a token carrying one is refused outright rather than silently ignored.
    static let keyCarryingMembers = ["jku", "jwk", "x5u", "x5c"]

    /// The members the verifier reads or refuses, in the order of the `Slot` indices.
    static let knownNames = JSONMemberTable(["alg", "kid", "crit"] + keyCarryingMembers)

    enum Slot {
        static let alg = 0, kid = 1, crit = 2, firstKeyCarrying = 3
    }

    /// The key id a header names, for the duration of the closure it is passed to. Either way it
    /// is looked up by its exact bytes (see `JWKSet.entry`).
    enum KeyID {
        /// Unescaped (validated UTF-8): the bytes in the header are the kid.
        case plain(UnsafeBufferPointer<UInt8>)
        /// JSON-escaped in the header: decoded.
        case decoded(String)

        var string: String {
            switch self {
            case .plain(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .decoded(let string): return string
            }
        }
    }

    /// Decodes and checks the header at the start of `token` (`length` encoded bytes): a JSON
    /// object (step 2) whose `alg` is `algorithm` with no key-carrying or `crit` member (step 3)
    /// and a non-empty `kid` (step 4), which is passed to `body`.
    static func withKeyID<R>(
        token: UnsafeBufferPointer<UInt8>, length: Int, algorithm: StaticString, _ body: (KeyID) -> R
    ) throws(TokenVerificationError) -> R {
        let encoded = UnsafeBufferPointer(rebasing: token[..<length])
        guard let count = Base64URL.decodedCount(length) else {
            throw .malformed("not three base64url parts separated by dots")
        }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { storage throws(TokenVerificationError) -> R in
            guard Base64URL.decode(encoded, into: storage.baseAddress!) else {
                throw .malformed("not three base64url parts separated by dots")
            }
            let header = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(storage)[..<count])
            return try withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: knownNames.count) {
                spans throws(TokenVerificationError) -> R in
                do throws(JSONParseError) {
                    // Same strictness as a full parse (duplicates refused, whole object validated).
                    try JSONMemberLocator.locate(knownNames, in: header, policy: .jose, into: spans)
                } catch {
                    throw .malformed("header is not a JSON object (\(error.reason))")
                }
                let alg = spans[Slot.alg]
                let kid = spans[Slot.kid]
                guard alg.isPresent else { throw .malformed("header has no alg") }
                guard alg.isString else { throw .malformed("header alg is not a string") }
                if kid.isPresent, !kid.isString { throw .malformed("header kid is not a string") }
                try checkAlgorithm(alg, in: header, algorithm: algorithm)
                try checkMembers(spans)
                // Step 4: the key is chosen by exact kid only; there is no default key.
                guard kid.isPresent, kid.end - kid.start > 2 else { throw .missingKeyID }
                if let plain = kid.unescapedContent(in: header) { return body(.plain(plain)) }
                return body(.decoded(kid.string(in: header) ?? ""))
            }
        }
    }

    /// Step 3: `alg` is on the allow-list (of one).
    private static func checkAlgorithm(
        _ alg: JSONMemberSpan, in header: UnsafeBufferPointer<UInt8>, algorithm: StaticString
    ) throws(TokenVerificationError) {
        let expected = UnsafeBufferPointer(start: algorithm.utf8Start, count: algorithm.utf8CodeUnitCount)
        // A JSON-escaped spelling ("RS\u0032\u0035\u0036") decodes to the same code points and is
        // the same name; anything else is compared as exact bytes (RFC 7515 §4.1.1: `alg` is
        // case-sensitive, and a canonically equivalent spelling is not "RS256").
        guard alg.stringEquals(expected, in: header) else {
            throw .unsupportedAlgorithm(Excerpt.safe(alg.string(in: header) ?? ""))
        }
    }

    /// Step 3 (beyond `alg`): no key-carrying members, no `crit`.
    private static func checkMembers(_ spans: UnsafeMutableBufferPointer<JSONMemberSpan>) throws(TokenVerificationError) {
        for offset in keyCarryingMembers.indices where spans[Slot.firstKeyCarrying + offset].isPresent {
            throw .malformed("header member \(keyCarryingMembers[offset]) is not accepted")
        }
        // The verifier understands no extension, so every `crit` list names something it cannot
        // honour (RFC 7515 §4.1.11: such a JWS must be rejected). This also refuses `b64: false`.
        if spans[Slot.crit].isPresent {
            throw .malformed("header crit names extensions this verifier does not support")
        }
    }
}
