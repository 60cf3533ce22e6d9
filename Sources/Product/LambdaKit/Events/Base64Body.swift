/// Strict decoder for `isBase64Encoded` event bodies: canonical RFC 4648 §4 base64 only (standard
/// alphabet, `=` padding), or nothing.
///
/// Security: the body is what the handler acts on (a sign-in code, a form). A lenient decoder
/// (Foundation's `.ignoreUnknownCharacters`) skips bytes outside the alphabet, so a body corrupted or
/// altered on the way still decodes, to bytes nobody sent. Here every byte string has exactly one
/// accepted spelling, the one API Gateway produces; anything else is refused, and the caller turns
/// that into a malformed event (400), never into a guess.
enum Base64Body {
    /// The decoded bytes, or nil when `text` is not canonical base64.
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        text.makeContiguousUTF8()
        guard let decoded = text.utf8.withContiguousStorageIfAvailable({ decode($0) }) else {
            return Array(text.utf8).withUnsafeBufferPointer { decode($0) }
        }
        return decoded
    }

    /// The decoded bytes, or nil when `input` is not canonical base64.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        // Unpadded base64 is refused: API Gateway and function URLs always send padded base64, and
        // accepting both spellings would give one body two encodings. A length that is not a multiple
        // of 4 is therefore never canonical.
        guard count % 4 == 0 else { return nil }
        if count == 0 { return [] }
        // Padding may only be the last one or two characters. A `=` anywhere else stays in the
        // quanta decoded below, where the table marks it invalid ("x===" and "====" included).
        let padding = input[count - 1] != pad ? 0 : input[count - 2] != pad ? 1 : 2
        let outputCount = count / 4 * 3 - padding
        let fullQuanta = count / 4 - (padding == 0 ? 0 : 1)
        var invalid: UInt8 = 0
        let output = table.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: outputCount) { out, initialized in
                var i = 0
                var o = 0
                // Performance: no branch per character; the invalid marks are OR-ed and checked once.
                for _ in 0..<fullQuanta {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    let c = table[Int(input[i + 2])], d = table[Int(input[i + 3])]
                    invalid |= a | b | c | d
                    out[o] = a << 2 | b >> 4
                    out[o + 1] = b << 4 | c >> 2
                    out[o + 2] = c << 6 | d
                    i += 4
                    o += 3
                }
                if padding > 0 {
                    let a = table[Int(input[i])], b = table[Int(input[i + 1])]
                    invalid |= a | b
                    out[o] = a << 2 | b >> 4
                    // Security: the bits after the last whole byte must be zero ("QQ==", not "QR=="),
                    // or several spellings would decode to the same bytes.
                    if padding == 2 {
                        if b & 0x0F != 0 { invalid |= invalidMark }
                    } else {
                        let c = table[Int(input[i + 2])]
                        invalid |= c
                        out[o + 1] = b << 4 | c >> 2
                        if c & 0x03 != 0 { invalid |= invalidMark }
                    }
                }
                initialized = outputCount
            }
        }
        return invalid & invalidMark == 0 ? output : nil
    }

    private static let pad = UInt8(ascii: "=")

    /// Outside the 6-bit range of a sextet, so it survives the OR of a whole input.
    private static let invalidMark: UInt8 = 0x80

    /// Sextet value per input byte; `invalidMark` for every byte outside the RFC 4648 §4 alphabet
    /// (whitespace, `-` and `_` of the URL-safe alphabet, `=`, non-ASCII).
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: invalidMark, count: 256)
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        for (value, byte) in alphabet.utf8.enumerated() {
            table[Int(byte)] = UInt8(value)
        }
        return table
    }()
}
