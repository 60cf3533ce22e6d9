/// One RFC 4648 alphabet and the tables that decode and encode it. Both `Base64` (§4) and
/// `Base64URL` (§5) run on the same strict core: every byte string has exactly one accepted
/// spelling, so a token or body cannot be varied (another alphabet, whitespace, non-zero unused
/// bits) and still be read as the same bytes.
@usableFromInline
struct Base64Alphabet: Sendable {
    /// Marks a byte outside the alphabet. Outside the 6-bit range of a sextet, so it survives the
    /// OR of a whole input and is checked once at the end instead of once per character.
    static let invalidMark: UInt8 = 0x80

    /// The 64 characters in value order.
    let characters: [UInt8]
    /// 0...63 for alphabet bytes, `invalidMark` for every other byte (`=`, whitespace, the other
    /// alphabet's two characters, non-ASCII): one load per character instead of range tests.
    let sextets: [UInt8]
    /// Four 256-entry tables: entry `k * 256 + byte` is the character's 6 bits already shifted to
    /// position `k` of a 4-character group, or bit 31 alone for a byte outside the alphabet, so a
    /// group is four loads ORed together (the JWT verifier decodes on every request).
    let shiftedSextets: [UInt32]

    init(_ characters: String) {
        let characters = Array(characters.utf8)
        precondition(characters.count == 64)
        var sextets = [UInt8](repeating: Self.invalidMark, count: 256)
        for (value, byte) in characters.enumerated() {
            sextets[Int(byte)] = UInt8(value)
        }
        var shifted = [UInt32](repeating: 0x8000_0000, count: 1024)
        for position in 0..<4 {
            for byte in 0..<256 where sextets[byte] != Self.invalidMark {
                shifted[position * 256 + byte] = UInt32(sextets[byte]) << (18 - 6 * UInt32(position))
            }
        }
        self.characters = characters
        self.sextets = sextets
        self.shiftedSextets = shifted
    }

    static let standard = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    static let url = Base64Alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    /// How many bytes `characters` unpadded characters decode to; nil for a length no unpadded
    /// encoding has (one leftover character cannot encode a whole byte).
    @inlinable @inline(__always)
    static func decodedCount(unpadded characters: Int) -> Int? {
        let remainder = characters & 3
        if remainder == 1 { return nil }
        return (characters >> 2) * 3 + (remainder == 0 ? 0 : remainder - 1)
    }

    /// Decodes unpadded `input` into `out`, which has room for `decodedCount(unpadded:)` bytes;
    /// false when it is not the canonical unpadded spelling (then `out` holds garbage).
    func decodeUnpadded(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        let count = input.count
        let remainder = count & 3
        if remainder == 1 { return false }
        guard let source = input.baseAddress else { return count == 0 }
        var invalid: UInt8 = 0
        var invalidGroups: UInt32 = 0
        sextets.withUnsafeBufferPointer { table in
            shiftedSextets.withUnsafeBufferPointer { shiftedTable in
                let t = table.baseAddress!
                let st = shiftedTable.baseAddress!
                var i = 0
                var o = 0
                let full = count - remainder
                // Performance: no branch per character; the invalid marks are ORed and checked once.
                while i < full {
                    let word = st[Int(source[i])] | st[256 + Int(source[i + 1])]
                        | st[512 + Int(source[i + 2])] | st[768 + Int(source[i + 3])]
                    invalidGroups |= word
                    out[o] = UInt8(truncatingIfNeeded: word >> 16)
                    out[o + 1] = UInt8(truncatingIfNeeded: word >> 8)
                    out[o + 2] = UInt8(truncatingIfNeeded: word)
                    i += 4
                    o += 3
                }
                // Security: the bits after the last whole byte must be zero ("Zg", not "Zh"), or
                // several spellings would decode to the same bytes.
                if remainder == 2 {
                    let a = t[Int(source[i])], b = t[Int(source[i + 1])]
                    invalid |= a | b
                    if b & 0x0F != 0 { invalid |= Self.invalidMark }
                    out[o] = (a << 2) | (b >> 4)
                } else if remainder == 3 {
                    let a = t[Int(source[i])], b = t[Int(source[i + 1])], c = t[Int(source[i + 2])]
                    invalid |= a | b | c
                    if c & 0x03 != 0 { invalid |= Self.invalidMark }
                    out[o] = (a << 2) | (b >> 4)
                    out[o + 1] = (b << 4) | (c >> 2)
                }
            }
        }
        // Valid sextets are 0...63 (groups: 24 bits), so bit 7 (groups: bit 31) is set only if
        // some character was not in the alphabet or unused bits were set.
        return invalid & Self.invalidMark == 0 && invalidGroups & 0x8000_0000 == 0
    }

    /// The decoded bytes of unpadded `input`, or nil when it is not the canonical spelling.
    func decodeUnpadded(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let outputCount = Self.decodedCount(unpadded: input.count) else { return nil }
        if outputCount == 0 { return [] }
        var valid = false
        let output = [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
            valid = decodeUnpadded(input, into: buffer.baseAddress!)
            initialized = outputCount
        }
        return valid ? output : nil
    }

    /// The encoding of `bytes`, padded with `=` to a multiple of four characters when `padded`.
    func encode(_ bytes: [UInt8], padded: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(characters[Int(word >> 18 & 63)])
            out.append(characters[Int(word >> 12 & 63)])
            out.append(characters[Int(word >> 6 & 63)])
            out.append(characters[Int(word & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let word = UInt32(bytes[i]) << 16
            out.append(characters[Int(word >> 18 & 63)])
            out.append(characters[Int(word >> 12 & 63)])
            if padded { out.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "=")]) }
        } else if rest == 2 {
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(characters[Int(word >> 18 & 63)])
            out.append(characters[Int(word >> 12 & 63)])
            out.append(characters[Int(word >> 6 & 63)])
            if padded { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
