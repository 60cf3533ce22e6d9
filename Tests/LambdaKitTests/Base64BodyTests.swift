import FoundationEssentials
import Testing

@testable import LambdaKit
import WireCoding

/// The event decoder's use of the strict base64 decoder (its own cases: WireCodingTests).
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
                // An empty body is no body.
                let request = try LambdaEventDecoder.decode(Self.event(body: text))
                #expect(request.body == bytes, "length \(length): \(text)")
                #expect(request.malformedBody == nil, "length \(length): \(text)")
            }
        }
    }

    /// One spelling per reason the decoder refuses one (the full list: WireCodingTests).
    static let refused: [(why: String, text: String)] = [
        ("space", "QUJD REV"),
        ("trailing newline", "QUJDREVG\n"),
        ("CRLF line break", "QUJD\r\nRE"),
        ("NUL", "QUJD\u{0}REV"),
        ("percent", "%%%%"),
        ("non-ASCII", "QUJDéRE"),
        ("url-safe - and _ (standard is +/8=)", "-_8="),
        ("missing padding (one byte)", "QQ"),
        ("missing padding after a full quantum", "QUJDRA"),
        ("extra padding quantum", "QUJD===="),
        ("padding only", "===="),
        ("= in the middle", "QQ==QUJD"),
        ("non-zero trailing bits, one byte (QQ== is canonical)", "QR=="),
        ("non-zero trailing bits, two bytes (QUI= is canonical)", "QUJ="),
        ("length 5", "QUJDR"),
    ]

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

    /// Every short string over a small alphabet (see WireCodingTests): the event decoder reads a
    /// body exactly when the strict decoder accepts it, and then the same bytes.
    @Test func eventBodyIsReadExactlyWhenTheStrictDecoderAcceptsIt() throws {
        let alphabet = Array("AQRgh+/=-\n".utf8)
        var texts: [[UInt8]] = [[]]
        for _ in 0..<3 {
            texts = texts.flatMap { prefix in alphabet.map { prefix + [$0] } }
            for text in texts {
                let string = String(decoding: text, as: UTF8.self)
                let request = try LambdaEventDecoder.decode(Self.event(body: string))
                let expected = Base64.decode(string)
                #expect(request.body == (expected ?? []), "\(string.debugDescription)")
                #expect((request.malformedBody == nil) == (expected != nil), "\(string.debugDescription)")
            }
        }
    }
}
