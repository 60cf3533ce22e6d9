/// Byte comparisons for the per-request paths (the authorizer's event, the bearer scheme): the
/// exact-bytes semantics of `ExactText.equal`, on a buffer the caller already holds, against a literal.
enum ByteText {
    /// Whether `bytes` are exactly the UTF-8 of `text`.
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let literal = text.utf8Start
        for index in 0..<bytes.count where bytes[index] != literal[index] { return false }
        return true
    }

    /// ASCII case-insensitive equality with a lowercase ASCII literal (HTTP header names,
    /// RFC 9110 §5.1): a byte outside ASCII never folds, as in `ExactText.equalIgnoringASCIICase`.
    @inline(__always)
    static func equalIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let literal = lowercase.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            if folded != literal[index] { return false }
        }
        return true
    }
}
