import Crypto
import LocalHarness
import Testing
import WireCoding

@testable import CognitoEmulator

@Suite("PKCE")
struct PKCETests {
    @Test("PKCE S256 and plain per RFC 7636 appendix B")
    func pkce() {
        let digest = SHA256.hash(data: Array(EmulatorFixture.verifier.utf8)).withUnsafeBytes { Array($0) }
        #expect(Base64URL.encode(digest) == EmulatorFixture.challenge)
        #expect(TokenEndpoint.pkceMatches(verifier: EmulatorFixture.verifier, challenge: EmulatorFixture.challenge, method: "S256"))
        #expect(!TokenEndpoint.pkceMatches(verifier: EmulatorFixture.verifier, challenge: EmulatorFixture.challenge, method: "plain"))
        #expect(!TokenEndpoint.pkceMatches(verifier: "short", challenge: "short", method: "plain"))
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
        #expect(core.secretHash(for: "demo", client: core.options.appClients[0]) == "fVcIQWUgx/lOelp1PKNl8JaEtJ/1BJ6VXLS5qcX8FqE=")
    }
}
