import JSONValue
import Testing
import WireCoding

@testable import AuthCore

@Suite("Wycheproof and RFC 7520 vectors (../shared)")
struct WycheproofTests {
    typealias S = JWTTestSupport

    @Test(
        "RSA PKCS#1 v1.5 SHA-256 (2048): every valid case accepted, every other case refused, on the verifier's RSA path",
        .enabled(if: SharedVectors.exists(SharedVectors.wycheproofRSA), "../shared/vectors/wycheproof is absent: skipped")
    )
    func rsaSignatures() throws {
        let document = try SharedVectors.load(SharedVectors.wycheproofRSA)
        var valid = 0
        var refused = 0
        var refusedWithTheirKey = 0
        for group in document["testGroups"]?.arrayValue ?? [] {
            let modulus = SharedVectors.hex(group["publicKey"]?["modulus"]?.stringValue ?? "")
            let exponent = SharedVectors.hex(group["publicKey"]?["publicExponent"]?.stringValue ?? "")
            // The same key construction the JWKS parser uses. Only e = 65537 makes a usable key:
            // the groups with e = 3 must be refused at the key, so none of their cases can verify.
            let made = RSAVerificationKey.make(kid: "wycheproof", modulus: modulus, exponent: exponent)
            guard exponent.drop(while: { $0 == 0 }).elementsEqual([0x01, 0x00, 0x01]) else {
                if case .failure(let problem) = made {
                    #expect(problem.reason == "public exponent is not 65537")
                } else {
                    Issue.record("a key with e = \(exponent) was accepted")
                }
                refusedWithTheirKey += group["tests"]?.arrayValue?.count ?? 0
                continue
            }
            let key = try made.get()
            for test in group["tests"]?.arrayValue ?? [] {
                let id = test["tcId"]?.int64Value ?? -1
                let message = SharedVectors.hex(test["msg"]?.stringValue ?? "")
                let signature = SharedVectors.hex(test["sig"]?.stringValue ?? "")
                let accepted = message.withUnsafeBytes { RS256.isValidSignature(signature, message: $0, key: key) }
                // "acceptable" (a legacy encoding without NULL) is refused: strict is the policy.
                if test["result"]?.stringValue == "valid" {
                    #expect(accepted, "tcId \(id) should verify")
                    valid += 1
                } else {
                    #expect(!accepted, "tcId \(id) (\(test["comment"]?.stringValue ?? "")) should be refused")
                    refused += 1
                }
            }
        }
        print("Wycheproof RSA PKCS#1 SHA-256: \(valid) valid accepted, \(refused) invalid/acceptable refused, \(refusedWithTheirKey) refused with their e = 3 key")
        #expect(valid + refused + refusedWithTheirKey == document["numberOfTests"]?.int64Value.map(Int.init))
        #expect(valid >= 7 && refused >= 250 && refusedWithTheirKey >= 1)
    }

    @Test(
        "JWS: every case that applies to an RS256 compact JWS, verified against its key",
        .enabled(if: SharedVectors.exists(SharedVectors.wycheproofJWS), "../shared/vectors/wycheproof is absent: skipped")
    )
    func jws() async throws {
        let document = try SharedVectors.load(SharedVectors.wycheproofJWS)
        var applied = 0
        var accepted = 0
        var refused = 0
        for group in document["testGroups"]?.arrayValue ?? [] {
            guard let publicKey = group["public"], publicKey["kty"]?.stringValue == "RSA" else { continue }
            let jwks = try SharedVectors.encode(.object(["keys": .array([publicKey])]))
            for test in group["tests"]?.arrayValue ?? [] {
                guard let jws = test["jws"]?.stringValue else { continue }  // JSON serialization: not compact
                let expectedValid = test["result"]?.stringValue == "valid"
                // Valid PS256/RS384/RS512 signatures do not apply: RS256 is the only algorithm here.
                if expectedValid, headerAlgorithm(jws) != "RS256" { continue }
                applied += 1
                // A cache that cannot fetch: the kid must be in the vector's own key.
                let verifier = JWSVerifier(keys: JWKSCache(url: "http://127.0.0.1:9/", preloaded: jwks))
                let id = test["tcId"]?.int64Value ?? -1
                do {
                    _ = try await verifier.verify(ArraySlice(jws.utf8), deadline: S.deadline())
                    #expect(expectedValid, "tcId \(id) (\(test["comment"]?.stringValue ?? "")) verified but is invalid")
                    accepted += 1
                } catch {
                    #expect(!expectedValid, "tcId \(id) should verify: \(error)")
                    refused += 1
                }
            }
        }
        print("Wycheproof JWS: \(applied) cases applied to RS256 compact JWS: \(accepted) valid accepted, \(refused) invalid refused")
        #expect(applied >= 230)
        #expect(accepted >= 7)
    }

    @Test(
        "JWK sets with public keys: valid RSA accepted; wrong use, 1024-bit, e = 1, EC keys refused",
        .enabled(if: SharedVectors.exists(SharedVectors.wycheproofJWK), "../shared/vectors/wycheproof is absent: skipped")
    )
    func jwkSets() async throws {
        let document = try SharedVectors.load(SharedVectors.wycheproofJWK)
        var applied = 0
        for group in document["testGroups"]?.arrayValue ?? [] {
            // Sets with only symmetric keys have no public part: nothing for an RS256 verifier.
            guard let set = group["public"], set["keys"]?.arrayValue != nil else { continue }
            // ROCA detection (a fingerprint of weak primes) is not implemented; Cognito keys are
            // generated by AWS, not by affected hardware.
            if group["comment"]?.stringValue == "jws_rsa_roca_key" { continue }
            let verifier = JWSVerifier(keys: JWKSCache(url: "http://127.0.0.1:9/", preloaded: try SharedVectors.encode(set)))
            for test in group["tests"]?.arrayValue ?? [] {
                guard let jws = test["jws"]?.stringValue else { continue }
                applied += 1
                let expectedValid = test["result"]?.stringValue == "valid"
                let verified = (try? await verifier.verify(ArraySlice(jws.utf8), deadline: S.deadline())) != nil
                #expect(verified == expectedValid, "tcId \(test["tcId"]?.int64Value ?? -1) \(test["comment"]?.stringValue ?? "")")
            }
        }
        print("Wycheproof JWK: \(applied) public key-set cases applied")
        #expect(applied >= 10)
    }

    @Test(
        "RFC 7520 §4.1: the RS256 signature verifies with the cookbook JWK",
        .enabled(if: SharedVectors.exists(SharedVectors.cookbook), "../shared/vectors/jose-cookbook is absent: skipped")
    )
    func cookbook() async throws {
        let document = try SharedVectors.load(SharedVectors.cookbook)
        let key = try #require(document["input"]?["key"]?.objectValue)
        let compact = try #require(document["output"]?["compact"]?.stringValue)
        // The cookbook JWK is a private key; the public half is what a JWKS publishes.
        let publicKey = key.filter { ["kty", "kid", "use", "n", "e"].contains($0.key) }
        let jwks = try SharedVectors.encode(.object(["keys": .array([.object(publicKey)])]))
        let verified = try await JWSVerifier(keys: JWKSCache(url: "http://127.0.0.1:9/", preloaded: jwks))
            .verify(ArraySlice(compact.utf8), deadline: S.deadline())
        #expect(String(decoding: verified.payload, as: UTF8.self) == document["input"]?["payload"]?.stringValue)
        #expect(compact.hasPrefix(document["signing"]?["sig-input"]?.stringValue ?? "-"))

        // The same JWK with its private members is refused: a published private key is compromised.
        let leaked = try SharedVectors.encode(.object(["keys": .array([.object(key)])]))
        await #expect(throws: TokenVerificationError.unusableKey("JWK contains private key material")) {
            try await JWSVerifier(keys: JWKSCache(url: "http://127.0.0.1:9/", preloaded: leaked)).verify(ArraySlice(compact.utf8), deadline: S.deadline())
        }
    }

    func headerAlgorithm(_ jws: String) -> String? {
        guard let first = jws.split(separator: ".", omittingEmptySubsequences: false).first,
            let bytes = Base64URL.decode(String(first)),
            let header = (try? JSONValue.parse(bytes, policy: .jose))?.objectValue
        else { return nil }
        return header["alg"]?.stringValue
    }
}
