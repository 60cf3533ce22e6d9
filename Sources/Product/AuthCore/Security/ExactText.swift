import JSONValue

/// Comparisons for security decisions: exact UTF-8 bytes, never Swift's `String ==`.
///
/// `String ==` (and `String` hashing, so `Set`/`Dictionary` lookups) treats canonically
/// equivalent spellings as equal: `"e\u{301}" == "\u{e9}"` and `"\u{212A}" == "K"` are true.
/// RFC 7515 §4.1.4 / RFC 7519 §7.3 compare `kid`, `alg`, `iss` and the other claims as exact
/// code points, and OAuth (RFC 9700 §4.1.3) compares redirect URIs exactly; a token or a
/// request that spells a value another way is a different value.
public enum ExactText {
    /// Whether `lhs` and `rhs` are the same code points (the same UTF-8 bytes).
    @inlinable
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        // Performance: different lengths answer at once (a native string's UTF-8 count is stored);
        // native strings (all of ours) are compared as two contiguous runs, a bridged one byte by byte.
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        let contiguous: Bool?? = lhs.utf8.withContiguousStorageIfAvailable { a in
            rhs.utf8.withContiguousStorageIfAvailable { b in ExactBytes.equal(a, b) }
        }
        if let contiguous, let contiguous { return contiguous }
        return lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Whether `list` has an element with exactly the bytes of `value`.
    @inlinable
    public static func contains(_ list: [String], _ value: String) -> Bool {
        list.contains { equal($0, value) }
    }

    /// ASCII case-insensitive equality (HTTP auth schemes, RFC 9110 §11.1): bytes outside ASCII
    /// never fold, so `"\u{212A}"` (KELVIN SIGN) is not `"k"`, as `lowercased()` would make it.
    @inlinable
    public static func equalIgnoringASCIICase(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.utf8.elementsEqual(rhs.utf8) { a, b in
            a == b || (a | 0x20 == b | 0x20 && (0x61...0x7A).contains(a | 0x20))
        }
    }
}
