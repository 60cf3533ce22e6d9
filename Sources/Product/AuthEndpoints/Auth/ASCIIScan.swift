/// Vector- and word-at-a-time scans of a header value's bytes, for the bearer token's fast path:
/// sixteen or eight bytes per step instead of one (the token is about a kilobyte, crossed on every
/// request).
enum ASCIIScan {
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// Whether every byte is below 0x80: sixteen bytes per step (vector ORs), then eight, then one.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var index = 0
        var vectors = SIMD16<UInt8>(repeating: 0)
        while index + 16 <= bytes.count {
            vectors |= raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            index += 16
        }
        let folded = unsafeBitCast(vectors, to: SIMD2<UInt64>.self)
        if (folded[0] | folded[1]) & highBits != 0 { return false }
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

    /// The index of the first space at or after `start`, or `bytes.count`. Sixteen bytes per step
    /// (a vector compare), then eight (ASCII input only: the zero-byte test below is exact for "some
    /// byte of the word is a space" when no byte has its high bit set, and the word that has one is
    /// then searched byte by byte), then one.
    static func firstSpace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            // Splatted constant and a bit-cast reduction: the forms that compile to vector compares.
            let spaceVector = SIMD16<UInt8>(repeating: UInt8(ascii: " "))
            while index + 16 <= bytes.count {
                let found = unsafeBitCast(raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self) .== spaceVector, to: SIMD2<UInt64>.self)
                if found[0] != 0 { return index + found[0].trailingZeroBitCount >> 3 }
                if found[1] != 0 { return index + 8 + found[1].trailingZeroBitCount >> 3 }
                index += 16
            }
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
