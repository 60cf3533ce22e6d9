import JSONValue
import Testing

@testable import AuthEndpoints

/// The vector- and word-at-a-time scans of the bearer fast path agree with a byte-by-byte reading at every
/// length and every position of the byte that matters (the word boundaries are where they break).
@Suite("ASCIIScan and ExactBytes: word-at-a-time scans equal the byte loop")
struct ASCIIScanTests {
    @Test func firstSpaceAndIsASCIIAtEveryOffset() {
        for length in 0...40 {
            for position in -1..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                if position >= 0 { bytes[position] = UInt8(ascii: " ") }
                bytes.withUnsafeBufferPointer { buffer in
                    for start in 0...length {
                        let expected = (start..<length).first { buffer[$0] == UInt8(ascii: " ") } ?? length
                        #expect(ASCIIScan.firstSpace(buffer, from: start) == expected, "length \(length) space at \(position) from \(start)")
                    }
                    #expect(ASCIIScan.isASCII(buffer))
                }
                if position >= 0 {
                    for high: UInt8 in [0x80, 0xC3, 0xFF] {
                        var other = bytes
                        other[position] = high
                        other.withUnsafeBufferPointer { #expect(!ASCIIScan.isASCII($0), "0x\(String(high, radix: 16)) at \(position) of \(length)") }
                    }
                }
            }
        }
    }

    @Test func bytesThatAreNotSpacesButLookLikeOneInAWordAreNotSpaces() {
        // 0x20 differs from 0x00, 0x21, 0x60 and 0xA0 by one bit: a wrong mask would take one for a space.
        for filler: UInt8 in [0x00, 0x21, 0x60, 0x1F, 0x7F] {
            let bytes = [UInt8](repeating: filler, count: 24)
            bytes.withUnsafeBufferPointer { #expect(ASCIIScan.firstSpace($0, from: 0) == 24, "filler 0x\(String(filler, radix: 16))") }
        }
    }

    @Test func headerNamesFoldASCIIOnly() {
        func matches(_ name: String) -> Bool {
            Array(name.utf8).withUnsafeBufferPointer { ExactBytes.equalIgnoringASCIICase($0, lowercase: "authorization") }
        }
        #expect(matches("authorization"))
        #expect(matches("Authorization"))
        #expect(matches("AUTHORIZATION"))
        #expect(!matches("authorizatio"))
        #expect(!matches("authorizations"))
        // Bytes that `| 0x20` would fold onto a letter's lowercase form without being its capital.
        #expect(!matches("@uthorization"))
        // KELVIN SIGN and other non-ASCII look-alikes never fold.
        #expect(!matches("authori\u{17F}ation"))
        #expect(!matches("\u{212A}uthorization"))
    }
}
