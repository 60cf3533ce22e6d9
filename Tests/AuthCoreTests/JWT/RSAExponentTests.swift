import Testing

@testable import AuthCore

/// Issue 9.6: Cognito signs with e = 65537; a key with any other public exponent is unusable.
@Suite("RSA public exponent: 65537 only")
struct RSAExponentTests {
    typealias S = JWTTestSupport

    static var modulus: [UInt8] { Array(try! S.primary.publicKey.getKeyPrimitives().modulus) }

    @Test("e = 65537 makes a key; e = 1, 3, 17, 65539 and 2^32+1 do not", arguments: [
        ([0x01, 0x00, 0x01], true),
        ([0x00, 0x01, 0x00, 0x01], true),  // leading zero bytes are not a different number
        ([0x01], false),
        ([0x03], false),
        ([0x11], false),
        ([0x01, 0x00, 0x03], false),
        ([0x01, 0x00, 0x00, 0x00, 0x01], false),
        ([], false),
    ] as [([UInt8], Bool)])
    func exponent(_ exponent: [UInt8], usable: Bool) {
        switch RSAVerificationKey.make(kid: "k", modulus: Self.modulus, exponent: exponent) {
        case .success: #expect(usable, "e = \(exponent) was accepted")
        case .failure(let problem):
            #expect(!usable, "e = \(exponent) was refused: \(problem.reason)")
            #expect(problem.reason == "public exponent is not 65537")
        }
    }

    @Test("a JWKS key with e = 3 is unusable; a token under its kid is refused as unusable_key")
    func jwksKeyWithSmallExponent() async {
        let jwk = S.jwk(S.primary, kid: "e3").replacing(#""e":"AQAB""#, with: #""e":"Aw""#)
        #expect(jwk.contains(#""e":"Aw""#))
        let verifier = S.verifier(jwks: S.jwks(jwk, S.jwk(S.other, kid: S.kid)))
        #expect(await S.failure(of: S.token(header: S.header(kid: "e3")), with: verifier) == .unusableKey("public exponent is not 65537"))
        // The other key of the same set still verifies.
        #expect(await S.failure(of: S.token(key: S.other), with: verifier) == nil)
    }
}
