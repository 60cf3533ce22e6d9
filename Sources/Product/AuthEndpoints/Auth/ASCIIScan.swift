/// Word-at-a-time scans of a header value's bytes, for the bearer token's fast path: eight bytes
/// per step instead of one (the token is about a kilobyte, crossed on every request).
enum ASCIIScan {
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// Whether every byte is below 0x80.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & highBits != 0 { return false }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    /// The index of the first space at or after `start`, or `bytes.count`. ASCII input only: the
    /// zero-byte test below is exact for "some byte of the word is a space" when no byte has its
    /// high bit set, and the word that has one is then searched byte by byte.
    static func firstSpace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ spaces
                if (word &- ones) & ~word & highBits != 0 { break }
                index += 8
            }
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: " ") { index += 1 }
        return index
    }
}
