import Crypto
import LocalHarness
import Testing

@testable import CognitoEmulator

@Suite("Wire coding helpers")
struct WireCodingTests {
    @Test("PKCE S256 and plain per RFC 7636 appendix B")
    func pkce() {
        let digest = SHA256.hash(data: Array(EmulatorFixture.verifier.utf8)).withUnsafeBytes { Array($0) }
        #expect(Base64URL.encode(digest) == EmulatorFixture.challenge)
        #expect(TokenEndpoint.pkceMatches(verifier: EmulatorFixture.verifier, challenge: EmulatorFixture.challenge, method: "S256"))
        #expect(!TokenEndpoint.pkceMatches(verifier: EmulatorFixture.verifier, challenge: EmulatorFixture.challenge, method: "plain"))
        #expect(!TokenEndpoint.pkceMatches(verifier: "short", challenge: "short", method: "plain"))
    }

    @Test("form decoding: plus, percent escapes, repeated names")
    func form() {
        let pairs = FormEncoding.parse("a=1+2&b=%2F%3D&a=3&c")
        #expect(pairs.map(\.name) == ["a", "b", "a", "c"])
        #expect(pairs.map(\.value) == ["1 2", "/=", "3", ""])
        #expect(FormEncoding.encode("a b/?&=") == "a%20b%2F%3F%26%3D")
    }

    @Test("base64url round trip without padding")
    func base64url() {
        let bytes: [UInt8] = [0xfb, 0xff, 0x00, 0x10]
        #expect(Base64URL.encode(bytes) == "-_8AEA")
        #expect(Base64URL.decode("-_8AEA") == bytes)
        #expect(Base64URL.decode("+/8AEA") == nil)
    }
}

@Suite("SECRET_HASH known answer")
struct SecretHashTests {
    @Test("HMAC-SHA256(secret, username + clientId), base64 (value from Python's hmac)")
    func knownAnswer() throws {
        var options = EmulatorOptions()
        options.clientSecret = "topsecret"
        options.signingKeysPEM = EmulatorFixture.sharedPEM
        let core = try EmulatorCore(options: options)
        #expect(core.secretHash(for: "demo") == "fVcIQWUgx/lOelp1PKNl8JaEtJ/1BJ6VXLS5qcX8FqE=")
    }
}
