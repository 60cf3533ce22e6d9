/// The one scan of JSON string bytes for `"`, `\` and control characters: the tokenizer stops
/// on them to decide (end of string, escape, refusal), the writer to escape them.
enum JSONPlainRun {
    /// The end of the run from `start` of bytes that need no decision inside a string (anything
    /// but `"`, `\` and control characters), with the bytes of the run OR-ed into `highBits` (bit 7
    /// of some byte set: the run is not ASCII). Sixteen bytes at a time (SSE2/NEON compares), then
    /// eight (a word), then one: a 1 KB token in an event is ~65 vector steps, not a thousand
    /// branches. It only skips ahead: the caller decides on the byte it stops at.
    @inline(__always)
    static func end(in base: UnsafePointer<UInt8>, count: Int, from start: Int, highBits: inout UInt64) -> Int {
        var position = start
        // Splatted constants and a bit-cast reduction: the forms that compile to vector compares
        // (`any()` and scalar operands were lowered lane by lane).
        let quotes = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
        let backslashes = SIMD16<UInt8>(repeating: UInt8(ascii: "\\"))
        let spaces = SIMD16<UInt8>(repeating: 0x20)
        var vectorHighBits = SIMD16<UInt8>(repeating: 0)
        while position + 16 <= count {
            let bytes = UnsafeRawPointer(base + position).loadUnaligned(as: SIMD16<UInt8>.self)
            // 0xFF in each lane that is special, as two little-endian words: the lowest set byte
            // of the first non-zero word is the first special byte.
            let special = unsafeBitCast((bytes .== quotes) .| (bytes .== backslashes) .| (bytes .< spaces), to: SIMD2<UInt64>.self)
            if special[0] | special[1] != 0 {
                let words = unsafeBitCast(bytes, to: SIMD2<UInt64>.self)
                let folded = unsafeBitCast(vectorHighBits, to: SIMD2<UInt64>.self)
                highBits |= folded[0] | folded[1]
                if special[0] != 0 {
                    let stop = special[0].trailingZeroBitCount >> 3
                    if stop > 0 { highBits |= words[0] & (UInt64.max >> UInt64(64 - stop * 8)) }
                    return position + stop
                }
                let stop = special[1].trailingZeroBitCount >> 3
                highBits |= words[0]
                if stop > 0 { highBits |= words[1] & (UInt64.max >> UInt64(64 - stop * 8)) }
                return position + 8 + stop
            }
            vectorHighBits |= bytes
            position += 16
        }
        let folded = unsafeBitCast(vectorHighBits, to: SIMD2<UInt64>.self)
        highBits |= folded[0] | folded[1]
        // The last 15 bytes or fewer of the input.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            let quote = word ^ 0x2222_2222_2222_2222
            let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
            // "Some byte is zero" / "some byte is below 0x20" (Hacker's Delight 6-1). A borrow
            // only starts at a byte that is flagged and only moves upwards, so the lowest flagged
            // byte is exactly the first special one.
            let special =
                (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- 0x20 &* ones) & ~word)) & high
            if special != 0 {
                let stop = special.trailingZeroBitCount >> 3
                if stop > 0 { highBits |= word & (UInt64.max >> UInt64(64 - stop * 8)) }
                return position + stop
            }
            highBits |= word
            position += 8
        }
        while position < count {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return position }
            highBits |= UInt64(byte)
            position += 1
        }
        return position
    }
}
