import Testing

@testable import AuthCore

@Suite("Base64URL: strict, canonical, unpadded")
struct Base64URLTests {
    @Test("round trips every length 0...64 and all byte values")
    func roundTrip() {
        for length in 0...64 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == bytes)
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64URL.decode(Base64URL.encode(all)) == all)
    }

    @Test("RFC 4648 test vectors in the url alphabet")
    func vectors() {
        #expect(Base64URL.decode("") == [])
        #expect(Base64URL.decode("Zg") == Array("f".utf8))
        #expect(Base64URL.decode("Zm8") == Array("fo".utf8))
        #expect(Base64URL.decode("Zm9v") == Array("foo".utf8))
        #expect(Base64URL.decode("Zm9vYmFy") == Array("foobar".utf8))
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
    }

    @Test("refuses padding, the standard alphabet, whitespace and stray characters")
    func refusesNonCanonical() {
        for bad in ["Zg==", "Zm8=", "Zg=", "+/+/", "Zm9v\n", " Zm9v", "Zm 9v", "Zm9v.", "Zm9v?", "Zm9\u{00E9}"] {
            #expect(Base64URL.decode(bad) == nil, "\(bad)")
        }
    }

    @Test("refuses a length of 1 mod 4 and non-zero unused bits")
    func refusesImpossibleEncodings() {
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm9vY") == nil)
        // "Zg" is "f"; "Zh" decodes to the same byte with a non-zero unused bit.
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm9") == nil)
        #expect(Base64URL.decode("Zm8") != nil)
        // Wycheproof "ModifiedUnusedBitsInPayload": "AB".
        #expect(Base64URL.decode("AB") == nil)
        #expect(Base64URL.decode("AA") == [0])
    }
}
