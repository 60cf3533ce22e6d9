/// Strict base64url (RFC 4648 §5) as JWS compact serialization uses it (RFC 7515 §2):
/// alphabet `A–Z a–z 0–9 - _` only, no padding, no whitespace, and the unused low bits of the last
/// character must be zero. Only one encoding of each byte string is accepted, so a token cannot be
/// varied (padding, `+`/`/`, trailing bits) while its signature still verifies.
enum Base64URL {
    /// 0...63 for alphabet bytes, 0xFF for everything else (one load per character instead of a
    /// chain of range tests; decoding is on the hot path of every verification).
    static let decodingTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    /// Four 256-entry tables: entry `k * 256 + byte` is the character's 6 bits already shifted to
    /// position `k` of a 4-character group, or bit 31 alone for a byte outside the alphabet, so a
    /// group is four loads ORed together.
    static let shiftedDecodingTable: [UInt32] = {
        var table = [UInt32](repeating: 0x8000_0000, count: 1024)
        for position in 0..<4 {
            for byte in 0..<256 where decodingTable[byte] != 0xFF {
                table[position * 256 + byte] = UInt32(decodingTable[byte]) << (18 - 6 * UInt32(position))
            }
        }
        return table
    }()

    @inline(__always)
    static func value(of byte: UInt8) -> UInt8 {
        decodingTable[Int(byte)]
    }

    /// How many bytes `characters` base64url characters decode to; nil for a length no
    /// unpadded encoding has (one leftover character cannot encode a whole byte).
    @inline(__always)
    static func decodedCount(_ characters: Int) -> Int? {
        let remainder = characters & 3
        if remainder == 1 { return nil }
        return (characters >> 2) * 3 + (remainder == 0 ? 0 : remainder - 1)
    }

    /// Decodes `input`, or nil when it is not canonical unpadded base64url.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let outputCount = decodedCount(input.count) else { return nil }
        if outputCount == 0 { return [] }
        var valid = false
        let output = [UInt8](unsafeUninitializedCapacity: outputCount) { buffer, initialized in
            valid = decode(input, into: buffer.baseAddress!)
            initialized = outputCount
        }
        return valid ? output : nil
    }

    /// Decodes `input` into `out`, which has room for `decodedCount(input.count)` bytes; false
    /// when it is not canonical unpadded base64url (then `out` holds garbage).
    static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        let count = input.count
        let remainder = count & 3
        if remainder == 1 { return false }
        guard let source = input.baseAddress else { return count == 0 }
        var invalid: UInt8 = 0
        var invalidGroups: UInt32 = 0
        decodingTable.withUnsafeBufferPointer { table in
          shiftedDecodingTable.withUnsafeBufferPointer { shiftedTable in
            let t = table.baseAddress!
            let st = shiftedTable.baseAddress!
            var i = 0
            var o = 0
            let full = count - remainder
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
            if remainder == 2 {
                let a = t[Int(source[i])], b = t[Int(source[i + 1])]
                invalid |= a | b
                // Non-zero unused bits would give a second spelling of the same bytes.
                if b & 0x0F != 0 { invalid |= 0x80 }
                out[o] = (a << 2) | (b >> 4)
            } else if remainder == 3 {
                let a = t[Int(source[i])], b = t[Int(source[i + 1])], c = t[Int(source[i + 2])]
                invalid |= a | b | c
                if c & 0x03 != 0 { invalid |= 0x80 }
                out[o] = (a << 2) | (b >> 4)
                out[o + 1] = (b << 4) | (c >> 2)
            }
          }
        }
        // Valid values are 0...63 (groups: 24 bits), so bit 7 (groups: bit 31) is set only if some
        // character was not in the alphabet.
        return invalid & 0x80 == 0 && invalidGroups & 0x8000_0000 == 0
    }

    static func decode(_ input: some Collection<UInt8>) -> [UInt8]? {
        if let result = input.withContiguousStorageIfAvailable({ decode($0) }) { return result }
        return Array(input).withUnsafeBufferPointer { decode($0) }
    }

    static func decode(_ input: String) -> [UInt8]? {
        var input = input
        return input.withUTF8 { decode($0) }
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Unpadded base64url of `bytes`.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= bytes.count {
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(word >> 18 & 63)])
            out.append(alphabet[Int(word >> 12 & 63)])
            out.append(alphabet[Int(word >> 6 & 63)])
            out.append(alphabet[Int(word & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let word = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(word >> 18 & 63)])
            out.append(alphabet[Int(word >> 12 & 63)])
        } else if rest == 2 {
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(word >> 18 & 63)])
            out.append(alphabet[Int(word >> 12 & 63)])
            out.append(alphabet[Int(word >> 6 & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
