import FoundationEssentials
import Testing

@testable import WireCoding

@Suite("Base64: strict, canonical, padded (RFC 4648 §4)")
struct Base64Tests {
    @Test func randomBytesOfEveryLengthRoundTripThroughFoundationsEncoder() {
        for length in 0...64 {
            for _ in 0..<16 {
                let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max) }
                let text = Data(bytes).base64EncodedString()
                #expect(Base64.decode(text) == bytes, "length \(length): \(text)")
                #expect(Base64.encode(bytes) == text, "length \(length)")
            }
        }
    }

    @Test func everyByteValueInEveryPosition() {
        for shift in 0..<3 {
            let bytes = [UInt8](repeating: 0, count: shift) + (0...255).map { UInt8($0) }
            #expect(Base64.decode(Data(bytes).base64EncodedString()) == bytes)
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
        }
    }

    @Test func acceptedSpellings() {
        #expect(Base64.decode("") == [])
        #expect(Base64.decode("QQ==") == Array("A".utf8))
        #expect(Base64.decode("QUI=") == Array("AB".utf8))
        #expect(Base64.decode("QUJD") == Array("ABC".utf8))
        #expect(Base64.decode("+/8=") == [0xFB, 0xFF])
        #expect(Base64.decode("AAEC/w==") == [0, 1, 2, 255])
        // Basic credentials are decoded from a Substring of the header.
        #expect(Base64.decode("Basic QUJD".split(separator: " ")[1]) == Array("ABC".utf8))
    }

    /// Each spelling is refused for the reason given; most would decode to something under a
    /// lenient decoder. Lengths are kept a multiple of 4 where the reason is not the length.
    static let refused: [(why: String, text: String)] = [
        ("space", "QUJD REV"),
        ("space inserted", "QUJD REVG"),
        ("leading space", " QUJ"),
        ("trailing newline", "QUJDREVG\n"),
        ("newline", "QUJD\nREV"),
        ("CRLF line break", "QUJD\r\nRE"),
        ("tab", "QUJD\tREV"),
        ("NUL", "QUJD\u{0}REV"),
        ("asterisk", "QUJ*REVG"),
        ("percent", "%%%%"),
        ("non-ASCII", "QUJDéRE"),
        ("url-safe - and _ (standard is +/8=)", "-_8="),
        ("url-safe -", "QUJ-REVG"),
        ("url-safe _", "QUJ_REVG"),
        ("missing padding (one byte)", "QQ"),
        ("missing padding (two bytes)", "QUI"),
        ("missing padding after a full quantum", "QUJDRA"),
        ("extra padding", "QQ==="),
        ("extra padding quantum", "QUJD===="),
        ("three pad characters", "Q==="),
        ("padding only", "===="),
        ("padding after a full quantum", "QUJD="),
        ("= in the middle", "QQ==QUJD"),
        ("= inside a quantum", "QU=DREVG"),
        ("= first", "=QUJ"),
        ("non-zero trailing bits, one byte (QQ== is canonical)", "QR=="),
        ("non-zero trailing bits, one byte, low bit", "QB=="),
        ("non-zero trailing bits, one byte, all four", "QX=="),
        ("non-zero trailing bits, two bytes (QUI= is canonical)", "QUJ="),
        ("non-zero trailing bits, two bytes, both", "QUL="),
        ("length 1", "Q"),
        ("length 5", "QUJDR"),
        ("length 9", "QUJDREVGR"),
    ]

    @Test(arguments: refused)
    func refusedByTheDecoder(_ example: (why: String, text: String)) {
        #expect(Base64.decode(example.text) == nil, "\(example.why): \(example.text.debugDescription)")
    }

    /// Differential check on every short string over a small alphabet (letters with and without
    /// trailing bits, `+/`, `=`, a URL-safe and a whitespace character): accepted exactly when
    /// Foundation decodes it and re-encodes it to the same text, and then to the same bytes.
    @Test func acceptedExactlyWhenCanonicalForAllShortStrings() {
        let alphabet = Array("AQRgh+/=-\n".utf8)
        var texts: [[UInt8]] = [[]]
        for _ in 0..<4 {
            texts = texts.flatMap { prefix in alphabet.map { prefix + [$0] } }
            for text in texts {
                let string = String(decoding: text, as: UTF8.self)
                let foundation = Data(base64Encoded: string).flatMap { data in
                    data.base64EncodedString() == string ? Array(data) : nil
                }
                #expect(Base64.decode(string) == foundation, "\(string.debugDescription)")
            }
        }
    }

    /// The two alphabets and padding rules are not interchangeable: each decoder refuses the
    /// other's spelling of the same bytes, so no caller gets a second accepted form.
    @Test func eachAlphabetRefusesTheOthersSpelling() {
        for bytes: [UInt8] in [[0xFB], [0xFB, 0xFF], [0xFB, 0xFF, 0xBF], [0xFF, 0xFE, 0xFD, 0xFC]] {
            let standard = Base64.encode(bytes)
            let url = Base64URL.encode(bytes)
            #expect(Base64.decode(standard) == bytes)
            #expect(Base64URL.decode(url) == bytes)
            #expect(Base64.decode(url) == nil, "\(url)")
            #expect(Base64URL.decode(standard) == nil, "\(standard)")
        }
    }
}
