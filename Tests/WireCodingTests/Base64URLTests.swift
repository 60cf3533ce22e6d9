import Testing

@testable import WireCoding

@Suite("Base64URL: strict, canonical, unpadded")
struct Base64URLTests {
    @Test("round trips every length 0...64 and all byte values")
    func roundTrip() {
        for length in 0...64 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(encoded) == bytes)
            #expect(Base64URL.decodedCount(encoded.utf8.count) == length)
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
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
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
        #expect(Base64URL.decodedCount(5) == nil)
        // "Zg" is "f"; "Zh" decodes to the same byte with a non-zero unused bit.
        #expect(Base64URL.decode("Zh") == nil)
        #expect(Base64URL.decode("Zm9") == nil)
        #expect(Base64URL.decode("Zm8") != nil)
        // Wycheproof "ModifiedUnusedBitsInPayload": "AB".
        #expect(Base64URL.decode("AB") == nil)
        #expect(Base64URL.decode("AA") == [0])
    }

    @Test("decoding in place: the verifier's stack-buffer path agrees with decode and refuses the same")
    func decodeInto() {
        for text in ["", "Zg", "Zm8", "Zm9vYmFy", "-_-_", "Zh", "Zg==", "Zm9v.", "+/+/"] {
            var bytes = Array(text.utf8)
            let expected = Base64URL.decode(text)
            let count = Base64URL.decodedCount(bytes.count) ?? 0
            var out = [UInt8](repeating: 0, count: max(count, 1))
            let valid = bytes.withUnsafeMutableBufferPointer { input in
                out.withUnsafeMutableBufferPointer { Base64URL.decode(UnsafeBufferPointer(input), into: $0.baseAddress!) }
            }
            #expect(valid == (expected != nil), "\(text)")
            if let expected { #expect(Array(out.prefix(count)) == expected, "\(text)") }
        }
    }

    @Test("every length decodes within its count, and a stray byte at any position is refused")
    func everyLengthAndPosition() {
        for length in 0...48 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 7) }
            let text = Array(Base64URL.encode(bytes).utf8)
            // Writes stay inside the decoded count: the bytes after it are a canary.
            var out = [UInt8](repeating: 0xA5, count: length + 16)
            let valid = text.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { Base64URL.decode(input, into: $0.baseAddress!) }
            }
            #expect(valid && Array(out.prefix(length)) == bytes, "length \(length)")
            #expect(out[length...].allSatisfy { $0 == 0xA5 }, "wrote past the count at length \(length)")
            for position in text.indices {
                for stray in [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: " "), 0x00, 0x80, 0xFF] {
                    var broken = text
                    broken[position] = stray
                    #expect(broken.withUnsafeBufferPointer { Base64URL.decode($0) } == nil, "\(stray) at \(position) of \(text.count)")
                }
            }
        }
    }

    @Test("base64url round trip without padding (emulator vectors)")
    func emulatorVectors() {
        let bytes: [UInt8] = [0xfb, 0xff, 0x00, 0x10]
        #expect(Base64URL.encode(bytes) == "-_8AEA")
        #expect(Base64URL.decode("-_8AEA") == bytes)
        #expect(Base64URL.decode("+/8AEA") == nil)
        // A Substring (a part of a split token) decodes like the String.
        let token = "a.-_8AEA.b"
        #expect(Base64URL.decode(token.split(separator: ".")[1]) == bytes)
    }
}
