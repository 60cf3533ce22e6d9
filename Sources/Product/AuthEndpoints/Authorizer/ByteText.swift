/// Byte comparisons for the authorizer's per-decision path: the exact-bytes semantics of
/// `ExactText.equal`, on a buffer the caller already holds, against a literal.
enum ByteText {
    /// Whether `bytes` are exactly the UTF-8 of `text`.
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let literal = text.utf8Start
        for index in 0..<bytes.count where bytes[index] != literal[index] { return false }
        return true
    }
}
