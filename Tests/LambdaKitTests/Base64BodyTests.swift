import FoundationEssentials
import Testing

@testable import LambdaKit

@Suite("Canonical base64 bodies")
struct Base64BodyTests {
    /// An HTTP API v2 event whose body is `body`, flagged `isBase64Encoded`.
    static func event(body: String) -> [UInt8] {
        var escaped = ""
        for scalar in body.unicodeScalars {
            if scalar.value < 0x20 || scalar == "\"" || scalar == "\\" {
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return Array(
            #"{"version":"2.0","rawPath":"/b","requestContext":{"http":{"method":"POST"}},"body":"\#(escaped)","isBase64Encoded":true}"#
                .utf8
        )
    }

    @Test func randomBytesOfEveryLengthRoundTripThroughFoundationsEncoder() throws {
        for length in 0...64 {
            for _ in 0..<16 {
                let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max) }
                let text = Data(bytes).base64EncodedString()
                #expect(Base64Body.decode(text) == bytes, "length \(length): \(text)")
                // Through the real event decoder too (an empty body is no body).
                let request = try LambdaEventDecoder.decode(Self.event(body: text))
                #expect(request.body == bytes, "length \(length): \(text)")
            }
        }
    }

    @Test func everyByteValueInEveryPosition() {
        for shift in 0..<3 {
            let bytes = [UInt8](repeating: 0, count: shift) + (0...255).map { UInt8($0) }
            #expect(Base64Body.decode(Data(bytes).base64EncodedString()) == bytes)
        }
    }

    @Test func acceptedSpellings() {
        #expect(Base64Body.decode("") == [])
        #expect(Base64Body.decode("QQ==") == Array("A".utf8))
        #expect(Base64Body.decode("QUI=") == Array("AB".utf8))
        #expect(Base64Body.decode("QUJD") == Array("ABC".utf8))
        #expect(Base64Body.decode("+/8=") == [0xFB, 0xFF])
        #expect(Base64Body.decode("AAEC/w==") == [0, 1, 2, 255])
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
        #expect(Base64Body.decode(example.text) == nil, "\(example.why): \(example.text.debugDescription)")
    }

    /// The event is well formed, the body is not: the request reaches the handler marked, with no
    /// bytes, so the handler answers 400 (never a guess at the body, never a crash).
    @Test(arguments: refused)
    func refusedByTheEventDecoderAsAMalformedBody(_ example: (why: String, text: String)) throws {
        let request = try LambdaEventDecoder.decode(Self.event(body: example.text))
        #expect(request.body.isEmpty)
        let why = try #require(request.malformedBody, "\(example.why)")
        // The message names the problem but never quotes the body.
        #expect(why.contains("base64") && !why.contains(example.text))
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
                #expect(Base64Body.decode(string) == foundation, "\(string.debugDescription)")
            }
        }
    }
}
