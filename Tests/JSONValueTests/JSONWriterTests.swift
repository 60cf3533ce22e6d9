import Testing

import JSONValue

@Suite struct JSONWriterTests {
    @Test func writesCompactJSONWithMembersSortedByKey() {
        let value: JSONValue = .object([
            "username": .string("alice"), "email_verified": .bool(true), "email": .string("a@example.com"),
            "groups": .array([.string("admins"), .string("readers")]), "attributes": .object(["sub": .string("x"), "name": .null]),
            "status": .int(-403),
        ])
        let text = String(decoding: JSONWriter.serialize(value), as: UTF8.self)
        #expect(
            text
                == #"{"attributes":{"name":null,"sub":"x"},"email":"a@example.com","email_verified":true,"groups":["admins","readers"],"status":-403,"username":"alice"}"#
        )
    }

    @Test func escapesQuotesBackslashesAndControlCharactersOnly() {
        let text = String(decoding: JSONWriter.serialize(.string("a\"b\\c/d\n\r\t\u{01}é😀")), as: UTF8.self)
        #expect(text == "\"a\\\"b\\\\c/d\\n\\r\\t\\u0001é😀\"")
    }

    /// The escaper scans 16 bytes, then 8, then 1 per step (`JSONPlainRun`): every byte value, at
    /// every position of a vector, a word and the tail, among ASCII and non-ASCII neighbours,
    /// escapes as a byte-by-byte escaper does.
    @Test func wordAtATimeEscapingMatchesByteByByte() {
        let hex = Array("0123456789abcdef".utf8)
        func reference(_ bytes: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [UInt8(ascii: "\"")]
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out += Array(#"\""#.utf8)
                case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
                case UInt8(ascii: "\n"): out += Array(#"\n"#.utf8)
                case UInt8(ascii: "\r"): out += Array(#"\r"#.utf8)
                case UInt8(ascii: "\t"): out += Array(#"\t"#.utf8)
                case 0..<0x20: out += Array(#"\u00"#.utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                default: out.append(byte)
                }
            }
            return out + [UInt8(ascii: "\"")]
        }
        var checked = 0
        for filler: UInt8 in [UInt8(ascii: "a"), 0x21, 0x5B, 0x5D, 0x1F, 0x80, 0xC3, 0xFF] {
            for length in [1, 7, 8, 9, 16, 17, 31, 40] {
                for position in 0..<length {
                    for value in UInt8.min...UInt8.max {
                        var bytes = [UInt8](repeating: filler, count: length)
                        bytes[position] = value
                        var writer = JSONWriter()
                        writer.string(utf8: bytes)
                        #expect(writer.bytes == reference(bytes), "filler \(filler) length \(length) position \(position) byte \(value)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 8 * (1 + 7 + 8 + 9 + 16 + 17 + 31 + 40) * 256)
    }

    @Test func everyValueReadsBackAsItself() throws {
        let values: [JSONValue] = [
            .null, .bool(false), .int(0), .int(Int64.min), .int(Int64.max), .double(0.25), .double(-1.5e-7), .double(1e300),
            .string(""), .string("\u{7F}\u{1F}\"\\"), .array([]), .object([:]),
            .object(["b": .array([.object(["a": .int(1)])]), "a": .string("z")]),
        ]
        for value in values {
            #expect(try JSONValue.parse(JSONWriter.serialize(value)) == value, "\(value)")
        }
    }

    /// Integers and fixed-point numbers are written digit by digit (no `String`): the same text
    /// as Swift's own formatting, at the edges included.
    @Test func integersAndFixedPointNumbersReadAsSwiftWritesThem() {
        for value in [0, 1, 9, 10, -1, -10, 1_780_000_000_000, Int.max, Int.min, 1_234_567] {
            var json = JSONWriter()
            json.int(value)
            #expect(json.bytes == Array(String(value).utf8), "\(value)")
        }
        let cases: [(Int64, Int, String)] = [
            (12345, 3, "12.345"), (5, 3, "0.005"), (0, 3, "0.000"), (-1_500, 3, "-1.500"), (1_000_000, 0, "1000000"),
            (Int64.max, 18, "9.223372036854775807"), (Int64.min, 3, "-9223372036854775.808"), (7, 18, "0.000000000000000007"),
        ]
        for (value, digits, text) in cases {
            var json = JSONWriter()
            json.fixedPoint(value, fractionDigits: digits)
            #expect(String(decoding: json.bytes, as: UTF8.self) == text, "\(value) \(digits)")
        }
    }

    @Test func nonFiniteNumbersAreNull() {
        #expect(JSONWriter.serialize(.double(.infinity)) == Array("null".utf8))
        #expect(JSONWriter.serialize(.array([.double(.nan)])) == Array("[null]".utf8))
    }
}
