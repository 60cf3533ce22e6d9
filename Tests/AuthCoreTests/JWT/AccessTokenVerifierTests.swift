import Crypto
import JSONValue
import Testing
import _CryptoExtras
import WireCoding

@testable import AuthCore

/// One token per pipeline step, each failing only that step (everything else about it is valid).
@Suite("AccessTokenVerifier: the pipeline, one failing step at a time")
struct AccessTokenVerifierTests {
    typealias S = JWTTestSupport

    @Test("a valid Cognito access token verifies and exposes its claims")
    func validToken() async throws {
        let verified = try await S.verifier().verify(S.token(), deadline: S.deadline())
        #expect(verified.sub == "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
        #expect(verified.username == "alice")
        #expect(verified.clientId == S.clientId)
        #expect(verified.scopes == ["aws.cognito.signin.user.admin", "openid"])
        #expect(verified.groups == ["admins", "readers"])
        #expect(verified.jti == "99999999-8888-4777-a666-555555555555")
        #expect(verified.originJti == "11111111-2222-4333-8444-555555555555")
        #expect(verified.exp == Int64(S.now) + 3600)
        #expect(verified.iat == Int64(S.now) - 60)
        #expect(verified.authTime == Int64(S.now) - 60)
        #expect(verified.claims["version"] == .int(2))
        #expect(verified.claims["event_id"] == .string("66666666-7777-4888-9999-000000000000"))
        #expect(verified.claims.count == 14)
    }

    @Test("optional claims may be absent: no groups, no scope, no jti")
    func minimalToken() async throws {
        let payload = S.claims(removing: ["cognito:groups", "scope", "jti", "origin_jti", "auth_time", "iat", "event_id", "version"])
        let verified = try await S.verifier().verify(S.token(payload: payload), deadline: S.deadline())
        #expect(verified.groups.isEmpty)
        #expect(verified.scopes.isEmpty)
        #expect(verified.jti == nil && verified.originJti == nil && verified.iat == nil && verified.authTime == nil)
    }

    /// Verification locates the string claims without decoding them; reading decodes them. Every
    /// spelling JSON allows must read back as the same string.
    @Test("string claims with escapes or non-ASCII read back decoded; the rest is unchanged")
    func lazyClaimSpellings() async throws {
        let payload = S.claims(overrides: [
            "sub": #""\u0061aaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee""#,
            "username": "\"zo\u{00EB}\"",
            "scope": #""openid\u0020profile""#,
            "cognito:groups": #"["a\"b","caf\u00e9","\ud83d\ude00"]"#,
            "jti": #""j\/ti""#,
            "origin_jti": "\"\u{1F600}x\"",
        ])
        let verified = try await S.verifier().verify(S.token(payload: payload), deadline: S.deadline())
        #expect(verified.sub == "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
        #expect(verified.username == "zo\u{00EB}")
        #expect(verified.scopes == ["openid", "profile"])
        #expect(verified.groups == ["a\"b", "caf\u{E9}", "\u{1F600}"])
        #expect(verified.jti == "j/ti")
        #expect(verified.originJti == "\u{1F600}x")
        #expect(verified.claims["sub"] == .string(verified.sub))
        #expect(verified.claims["cognito:groups"] == .array(verified.groups.map { .string($0) }))
    }

    @Test("an empty groups array reads as no groups; setting a claim keeps the others")
    func verifiedTokenMutation() async throws {
        let payload = S.claims(overrides: ["cognito:groups": "[]"])
        var verified = try await S.verifier().verify(S.token(payload: payload), deadline: S.deadline())
        #expect(verified.groups.isEmpty)
        verified.username = "bob"
        #expect(verified.username == "bob")
        #expect(verified.sub == "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
        #expect(verified.jti == "99999999-8888-4777-a666-555555555555")
        #expect(verified.originJti == "11111111-2222-4333-8444-555555555555")
        #expect(verified.scopes == ["aws.cognito.signin.user.admin", "openid"])
        #expect(verified.claims.count == 14)
        verified.groups = ["x"]
        #expect(verified.groups == ["x"] && verified.username == "bob")
    }

    @Test("groups with a non-string element, and sub or username as an empty string, are refused")
    func lazyClaimTypes() async {
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["cognito:groups": #"["a",1]"#]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["cognito:groups": #"[["a"]]"#]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["jti": "7"]))))
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["sub": #""""#])), with: S.verifier()) == .malformed("sub claim missing"))
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["username": #""""#])), with: S.verifier()) == .malformed("username claim missing"))
    }

    /// A kid is looked up by its exact bytes (after JSON unescaping): RFC 7515 §4.1.4 compares
    /// code points, so a canonically equivalent spelling is another kid (issue 9.1).
    @Test("kid spellings: escaped, non-ASCII and long kids find their key; near misses and canonical equivalents do not")
    func kidSpellings() async {
        let longKid = "abcdEFGHijKlMNOPqrstUVWXyz0123456789+/abcd=="  // Cognito's shape: 44 base64 characters
        let ascii = S.verifier(jwks: S.jwks(S.jwk(S.primary, kid: longKid), S.jwk(S.other, kid: "Key;`")))
        #expect(await S.failure(of: S.token(header: S.header(kid: longKid)), with: ascii) == nil)
        #expect(await S.failure(of: S.token(header: S.header(kid: #"abcd\u0045FGHijKlMNOPqrstUVWXyz0123456789+\/abcd=="#)), with: ascii) == nil)
        #expect(await S.failure(of: S.token(header: S.header(kid: "Key;`"), key: S.other), with: ascii) == nil)
        // Non-ASCII kids find their key by their own bytes, escaped or not.
        let mixed = S.verifier(jwks: S.jwks(S.jwk(S.other, kid: "cl\u{E9}"), S.jwk(S.primary, kid: "\u{212A}ey")))
        #expect(await S.failure(of: S.token(header: S.header(kid: "cl\u{E9}"), key: S.other), with: mixed) == nil)
        #expect(await S.failure(of: S.token(header: S.header(kid: #"cl\u00e9"#), key: S.other), with: mixed) == nil)
        #expect(await S.failure(of: S.token(header: S.header(kid: "\u{212A}ey")), with: mixed) == nil)
        #expect(await S.failure(of: S.token(header: S.header(kid: #"\u212Aey"#)), with: mixed) == nil)
        // Canonically equivalent spellings (Swift's String == says equal) are other kids: U+212A
        // KELVIN SIGN vs "K", decomposed "e\u{301}" vs precomposed U+00E9, U+037E vs ";".
        let equivalents: [(String, AccessTokenVerifier)] = [
            ("Key", mixed), ("cle\u{301}", mixed), ("\u{212A}ey;`", ascii), ("Key\u{37E}`", ascii),
        ]
        for (kid, verifier) in equivalents {
            let refused = await S.failure(of: S.token(header: S.header(kid: kid)), with: verifier)
            #expect(refused == .unknownKeyID || refused.map { if case .keysUnavailable = $0 { true } else { false } } == true, "\(kid)")
        }
        // Same length, one byte off; a prefix; a near miss of a non-ASCII kid.
        for (near, verifier) in [(String(longKid.dropLast()) + "A", ascii), (String(longKid.dropLast()), ascii), ("Key;", ascii), ("cle", mixed), ("key", mixed)] {
            let refused = await S.failure(of: S.token(header: S.header(kid: near)), with: verifier)
            #expect(refused == .unknownKeyID || refused.map { if case .keysUnavailable = $0 { true } else { false } } == true, "\(near)")
        }
    }

    // MARK: step 1: compact form

    @Test("2 or 4 segments are malformed")
    func segmentCount() async {
        let token = S.token()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let two = parts[0] + "." + parts[1]
        let four = token + "." + parts[2]
        #expect(await isMalformed(String(two)))
        #expect(await isMalformed(four))
        #expect(await isMalformed(""))
        #expect(await isMalformed(token + "."))
    }

    @Test("padding, + or / or whitespace in a segment are malformed even when the bytes would decode")
    func nonCanonicalBase64() async {
        // A header whose base64url contains '-' and '_' so '+'/'/' variants exist.
        let header = S.header(extra: #""x":"???>>>""#)
        let token = S.token(header: header)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts[0].contains("_") || parts[0].contains("-"))
        let plusSlash = parts[0].replacing("-", with: "+").replacing("_", with: "/")
        #expect(await isMalformed(plusSlash + "." + parts[1] + "." + parts[2]))
        // Padding: pad the payload to a multiple of 4 with '='.
        var padded = parts[1]
        while padded.utf8.count % 4 != 0 { padded += "=" }
        #expect(padded != parts[1])
        #expect(await isMalformed(parts[0] + "." + padded + "." + parts[2]))
        #expect(await isMalformed(parts[0] + "." + parts[1] + "." + parts[2] + "=="))
        #expect(await isMalformed(parts[0] + " ." + parts[1] + "." + parts[2]))
        #expect(await isMalformed(parts[0] + "." + parts[1] + ".\n" + parts[2]))
        // The untouched token still verifies: only the encoding is at fault above.
        #expect(await S.failure(of: token, with: S.verifier()) == nil)
    }

    @Test("a 100 KB token is malformed, refused before any parsing")
    func hugeToken() async {
        let payload = S.claims(overrides: ["filler": "\"" + String(repeating: "a", count: 100_000) + "\""])
        let token = S.token(payload: payload)
        #expect(token.utf8.count > 100_000)
        let error = await S.failure(of: token, with: S.verifier())
        #expect(error == .malformed("token longer than 8192 bytes"))
    }

    // MARK: step 2: JSON objects and claim types

    @Test("a header or payload that is JSON but not an object is malformed")
    func nonObjectJSON() async {
        #expect(await isMalformed(S.token(header: #"["alg","RS256"]"#)))
        #expect(await isMalformed(S.token(header: #""RS256""#)))
        #expect(await isMalformed(S.token(payload: #"["sub","alice"]"#)))
        #expect(await isMalformed(S.token(payload: "42")))
        #expect(await isMalformed(S.token(payload: "{\"exp\": 1")))
    }

    @Test("claims of the wrong type are malformed: exp as string, iss as number, groups as string")
    func claimTypes() async {
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["exp": "\"\(Int(S.now) + 3600)\""]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["iss": "42"]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["nbf": "true"]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["iat": "null"]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["cognito:groups": "\"admins\""]))))
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["client_id": "[\"x\"]"]))))
        #expect(await isMalformed(S.token(payload: S.claims(removing: ["exp"]))))
        #expect(await isMalformed(S.token(header: #"{"kid":7,"alg":"RS256"}"#)))
        #expect(await isMalformed(S.token(header: #"{"kid":"primary-kid","alg":256}"#)))
    }

    @Test("duplicate claim or header names are malformed (no parser-differential games)")
    func duplicateMembers() async {
        let payload = S.claims().dropLast() + #","sub":"mallory"}"#
        #expect(await isMalformed(S.token(payload: String(payload))))
        #expect(await isMalformed(S.token(header: #"{"kid":"primary-kid","alg":"RS256","alg":"none"}"#)))
    }

    // MARK: step 3: algorithm allow-list and header members

    @Test("alg none is refused, with or without a signature")
    func algNone() async {
        let unsigned = S.base64url(S.header(alg: "none")) + "." + S.base64url(S.claims()) + "."
        #expect(await S.failure(of: unsigned, with: S.verifier()) == .unsupportedAlgorithm("none"))
        #expect(await S.failure(of: S.token(header: S.header(alg: "none")), with: S.verifier()) == .unsupportedAlgorithm("none"))
        #expect(await S.failure(of: S.token(header: S.header(alg: "None")), with: S.verifier()) == .unsupportedAlgorithm("None"))
    }

    @Test("HS256 keyed with the public key (algorithm confusion) is refused")
    func hs256WithPublicKey() async {
        let primitives = try! S.primary.publicKey.getKeyPrimitives()
        let verifier = S.verifier()
        // Every plausible "secret" an alg-confused verifier might use: PEM, DER, modulus.
        for secret in [Array(S.primary.publicKey.pemRepresentation.utf8), Array(S.primary.publicKey.derRepresentation), Array(primitives.modulus)] {
            let signingInput = S.base64url(S.header(alg: "HS256")) + "." + S.base64url(S.claims())
            let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: secret))
            let token = signingInput + "." + S.base64url(Array(mac))
            #expect(await S.failure(of: token, with: verifier) == .unsupportedAlgorithm("HS256"))
        }
    }

    @Test("PS256 correctly signed by the right key is refused: not on the allow-list")
    func ps256() async throws {
        let signingInput = S.base64url(S.header(alg: "PS256")) + "." + S.base64url(S.claims())
        let signature = try S.primary.signature(for: SHA256.hash(data: Array(signingInput.utf8)), padding: .PSS)
        #expect(S.primary.publicKey.isValidSignature(signature, for: SHA256.hash(data: Array(signingInput.utf8)), padding: .PSS))
        let token = signingInput + "." + S.base64url(Array(signature.rawRepresentation))
        #expect(await S.failure(of: token, with: S.verifier()) == .unsupportedAlgorithm("PS256"))
    }

    @Test("RS384 correctly signed by the right key is refused")
    func rs384() async throws {
        let signingInput = S.base64url(S.header(alg: "RS384")) + "." + S.base64url(S.claims())
        let signature = try S.primary.signature(for: SHA384.hash(data: Array(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        let token = signingInput + "." + S.base64url(Array(signature.rawRepresentation))
        #expect(await S.failure(of: token, with: S.verifier()) == .unsupportedAlgorithm("RS384"))
    }

    @Test("an embedded jwk header (attacker's key under the real kid) is refused")
    func embeddedJWK() async {
        let attackerJWK = S.jwk(S.other, kid: S.kid)
        let token = S.token(header: S.header(extra: #""jwk":\#(attackerJWK)"#), key: S.other)
        #expect(await isMalformed(token))
        // The same header signed by the real key is refused too: the member itself is not accepted.
        let honest = S.token(header: S.header(extra: #""jwk":\#(attackerJWK)"#), key: S.primary)
        #expect(await S.failure(of: honest, with: S.verifier()) == .malformed("header member jwk is not accepted"))
    }

    @Test("jku, x5u and x5c headers are refused")
    func keyURLHeaders() async {
        #expect(await S.failure(of: S.token(header: S.header(extra: #""jku":"https://attacker.example/jwks.json""#)), with: S.verifier())
            == .malformed("header member jku is not accepted"))
        #expect(await isMalformed(S.token(header: S.header(extra: #""x5u":"https://attacker.example/cert.pem""#))))
        #expect(await isMalformed(S.token(header: S.header(extra: #""x5c":["MIIB"]"#))))
    }

    @Test("an unknown crit extension is refused (and so is b64:false)")
    func unknownCrit() async {
        let error = await S.failure(of: S.token(header: S.header(extra: #""crit":["exp"],"exp":1"#)), with: S.verifier())
        #expect(error == .malformed("header crit names extensions this verifier does not support"))
        #expect(await isMalformed(S.token(header: S.header(extra: #""crit":["b64"],"b64":false"#))))
    }

    @Test("a typ header does not matter")
    func typIgnored() async {
        #expect(await S.failure(of: S.token(header: S.header(extra: #""typ":"JWT""#)), with: S.verifier()) == nil)
    }

    // MARK: step 4: kid

    @Test("a missing or empty kid is refused; there is no default key")
    func missingKid() async {
        #expect(await S.failure(of: S.token(header: S.header(kid: nil)), with: S.verifier()) == .missingKeyID)
        #expect(await S.failure(of: S.token(header: S.header(kid: "")), with: S.verifier()) == .missingKeyID)
    }

    @Test("an unknown kid is refused after one refetch, even when the JWKS has a single key")
    func unknownKid() async throws {
        let upstream = FakeUpstream { _ in .json(200, S.defaultJWKS) }
        let verifier = S.verifier(upstream: upstream)
        let token = S.token(header: S.header(kid: "not-a-real-kid"))
        #expect(await S.failure(of: token, with: verifier) == .unknownKeyID)
        #expect(upstream.requests.count == 1)
        // A kid differing only in case is another kid.
        #expect(await S.failure(of: S.token(header: S.header(kid: "PRIMARY-KID")), with: verifier) == .unknownKeyID)
    }

    // MARK: step 5: the key

    @Test("a key with use enc is unusable")
    func encryptionKey() async {
        let verifier = S.verifier(jwks: S.jwks(S.jwk(S.primary, kid: S.kid, use: "enc")))
        #expect(await S.failure(of: S.token(), with: verifier) == .unusableKey("use is not sig"))
    }

    @Test("a key whose alg differs from the header's is unusable")
    func keyAlgorithmDiffers() async {
        let verifier = S.verifier(jwks: S.jwks(S.jwk(S.primary, kid: S.kid, alg: "RS512")))
        #expect(await S.failure(of: S.token(), with: verifier) == .unusableKey("key alg RS512 differs from the token alg"))
        // Without alg on the key, RS256 is fine.
        #expect(await S.failure(of: S.token(), with: S.verifier(jwks: S.jwks(S.jwk(S.primary, kid: S.kid, alg: nil, use: nil)))) == nil)
    }

    @Test("a 1024-bit key is unusable even for a token it really signed")
    func smallKey() async {
        let verifier = S.verifier(jwks: S.jwks(S.jwk(S.small, kid: S.kid)))
        #expect(await S.failure(of: S.token(key: S.small), with: verifier) == .unusableKey("modulus is 1024 bits, fewer than 2048"))
    }

    @Test("a key that is not RSA, or whose key_ops exclude verify, or that publishes private parts, is unusable")
    func otherUnusableKeys() async {
        let ec = #"{"kty":"EC","kid":"primary-kid","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#
        #expect(await S.failure(of: S.token(), with: S.verifier(jwks: S.jwks(ec))) == .unusableKey("kty is EC, not RSA"))
        let ops = S.jwks(S.jwk(S.primary, kid: S.kid, extra: #""key_ops":["encrypt"]"#))
        #expect(await S.failure(of: S.token(), with: S.verifier(jwks: ops)) == .unusableKey("key_ops does not allow verify"))
        let withPrivate = S.jwks(S.jwk(S.primary, kid: S.kid, extra: #""d":"AQAB""#))
        #expect(await S.failure(of: S.token(), with: S.verifier(jwks: withPrivate)) == .unusableKey("JWK contains private key material"))
        let duplicate = S.jwks(S.jwk(S.primary, kid: S.kid), S.jwk(S.other, kid: S.kid))
        #expect(await S.failure(of: S.token(), with: S.verifier(jwks: duplicate)) == .unusableKey("kid appears more than once in the JWKS"))
    }

    @Test("one unusable key does not poison the set: the others still verify")
    func unusableKeyDoesNotPoison() async {
        let jwks = S.jwks(
            #"{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}"#,
            S.jwk(S.small, kid: "small"),
            #"{"kty":"RSA","kid":"broken","n":"!!","e":"AQAB"}"#,
            #""not even an object""#,
            S.jwk(S.primary, kid: S.kid)
        )
        let verifier = S.verifier(jwks: jwks)
        #expect(await S.failure(of: S.token(), with: verifier) == nil)
        #expect(await S.failure(of: S.token(header: S.header(kid: "broken")), with: verifier) == .unusableKey("n is missing or not base64url"))
    }

    // MARK: step 6: signature

    @Test("a tampered payload fails the signature")
    func tamperedPayload() async {
        let token = S.token()
        let parts = token.split(separator: ".").map(String.init)
        let forged = S.base64url(S.claims(overrides: ["username": #""mallory""#]))
        #expect(await S.failure(of: parts[0] + "." + forged + "." + parts[2], with: S.verifier()) == .badSignature)
    }

    @Test("a tampered, truncated or empty signature fails")
    func tamperedSignature() async {
        let token = S.token()
        let parts = token.split(separator: ".").map(String.init)
        var signature = Base64URL.decode(parts[2])!
        signature[100] ^= 0x01
        #expect(await S.failure(of: parts[0] + "." + parts[1] + "." + S.base64url(signature), with: S.verifier()) == .badSignature)
        let truncated = Array(Base64URL.decode(parts[2])!.dropLast())
        #expect(await S.failure(of: parts[0] + "." + parts[1] + "." + S.base64url(truncated), with: S.verifier()) == .badSignature)
        #expect(await S.failure(of: parts[0] + "." + parts[1] + ".", with: S.verifier()) == .badSignature)
        // A signature with a leading zero byte prepended (same integer) is not accepted either.
        let longer = [0] + Base64URL.decode(parts[2])!
        #expect(await S.failure(of: parts[0] + "." + parts[1] + "." + S.base64url(longer), with: S.verifier()) == .badSignature)
    }

    @Test("a token signed by another key under the real kid fails the signature")
    func wrongKey() async {
        #expect(await S.failure(of: S.token(key: S.other), with: S.verifier()) == .badSignature)
    }

    // MARK: step 7: time

    @Test("expired: exp in the past beyond the leeway; within the leeway still accepted")
    func expired() async {
        let verifier = S.verifier(leeway: .seconds(30))
        #expect(await S.failure(of: S.token(payload: S.claims(exp: S.now - 31, iat: S.now - 3600)), with: verifier) == .expired)
        #expect(await S.failure(of: S.token(payload: S.claims(exp: S.now - 30, iat: S.now - 3600)), with: verifier) == .expired)
        #expect(await S.failure(of: S.token(payload: S.claims(exp: S.now - 29, iat: S.now - 3600)), with: verifier) == nil)
        let strict = S.verifier(leeway: .zero)
        #expect(await S.failure(of: S.token(payload: S.claims(exp: S.now, iat: S.now - 3600)), with: strict) == .expired)
        #expect(await S.failure(of: S.token(payload: S.claims(exp: S.now + 0.5, iat: S.now - 3600)), with: strict) == nil)
    }

    @Test("nbf ahead of now beyond the leeway is not yet valid")
    func notYetValid() async {
        let verifier = S.verifier(leeway: .seconds(30))
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["nbf": "\(Int(S.now) + 300)"])), with: verifier) == .notYetValid)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["nbf": "\(Int(S.now) + 20)"])), with: verifier) == nil)
    }

    @Test("iat far in the future is refused")
    func issuedInFuture() async {
        let verifier = S.verifier(leeway: .seconds(30))
        #expect(await S.failure(of: S.token(payload: S.claims(iat: S.now + 3600)), with: verifier) == .issuedInFuture)
        #expect(await S.failure(of: S.token(payload: S.claims(iat: S.now + 10)), with: verifier) == nil)
    }

    @Test("the injected clock is the one used")
    func injectedClock() async {
        let token = S.token()
        #expect(await S.failure(of: token, with: S.verifier(now: S.now + 7200)) == .expired)
        #expect(await S.failure(of: token, with: S.verifier(now: S.now - 7200)) == .issuedInFuture)
    }

    // MARK: step 8: issuer, token use, client

    @Test("a token of another pool (iss) is refused")
    func wrongIssuer() async {
        let other = #""https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool""#
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["iss": other])), with: S.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["iss": #""\#(S.issuer)/""#])), with: S.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: S.claims(removing: ["iss"])), with: S.verifier()) == .wrongIssuer)
    }

    @Test("an ID token (token_use id, aud instead of client_id) is refused")
    func idToken() async {
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["token_use": #""id""#])), with: S.verifier()) == .wrongTokenUse)
        let idShaped = S.claims(overrides: ["token_use": #""id""#, "aud": #""\#(S.clientId)""#], removing: ["client_id", "username"])
        #expect(await S.failure(of: S.token(payload: idShaped), with: S.verifier()) == .wrongTokenUse)
        #expect(await S.failure(of: S.token(payload: S.claims(removing: ["token_use"])), with: S.verifier()) == .wrongTokenUse)
    }

    /// iss, token_use and client_id are compared as bytes when both sides are plain ASCII; any
    /// other spelling of a value falls back to comparing Strings, with the same verdicts.
    @Test("iss, token_use and client_id: escaped spellings still match, near misses never do")
    func claimComparisonSpellings() async throws {
        let escapedIssuer = "\"" + S.issuer.split(separator: "/", omittingEmptySubsequences: false).joined(separator: "\\/") + "\""
        let escaped = S.claims(overrides: ["iss": escapedIssuer, "token_use": #""acc\u0065ss""#, "client_id": "\"\\u0035\(S.clientId.dropFirst())\""])
        let verified = try await S.verifier().verify(S.token(payload: escaped), deadline: S.deadline())
        #expect(verified.clientId == S.clientId)
        let issuerPrefix = "\"" + S.issuer.dropLast() + "\""
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["iss": issuerPrefix])), with: S.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["iss": #""""#])), with: S.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["iss": #""\u00e9""#])), with: S.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["token_use": #""accesś""#])), with: S.verifier()) == .wrongTokenUse)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["token_use": #""Access""#])), with: S.verifier()) == .wrongTokenUse)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["token_use": #""acces\u0073s""#])), with: S.verifier()) == .wrongTokenUse)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["client_id": "\"\(S.clientId)x\""])), with: S.verifier()) == .wrongClient)
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["client_id": "\"\(S.clientId.uppercased())\""])), with: S.verifier()) == .wrongClient)
        #expect(await isMalformed(S.token(payload: S.claims(overrides: ["token_use": "null"]))))
    }

    /// The duplicate check keeps the first 16 names inline and the rest in an array: a repeat is
    /// caught on either side of that boundary.
    @Test("payloads with many claims: duplicates are caught past the 16th name, distinct names verify")
    func manyClaims() async throws {
        var extra: [String: String] = [:]
        for number in 0..<20 { extra["extra_\(number)"] = "\(number)" }
        let verified = try await S.verifier().verify(S.token(payload: S.claims(overrides: extra)), deadline: S.deadline())
        #expect(verified.claims.count == 14 + 20)
        #expect(verified.scopes == ["aws.cognito.signin.user.admin", "openid"])
        let many = S.claims(overrides: extra)
        for repeated in ["sub", "extra_3", "extra_19"] {
            let duplicated = String(many.dropLast()) + #","\#(repeated)":"again"}"#
            #expect(await isMalformed(S.token(payload: duplicated)))
        }
    }

    @Test("a token of another app client is refused")
    func wrongClient() async {
        #expect(await S.failure(of: S.token(payload: S.claims(overrides: ["client_id": #""someoneelse""#])), with: S.verifier()) == .wrongClient)
        #expect(await S.failure(of: S.token(payload: S.claims(removing: ["client_id"])), with: S.verifier()) == .wrongClient)
    }

    @Test("a verified access token without sub is malformed; without username it is a machine token, refused for a user client")
    func missingIdentity() async {
        #expect(await S.failure(of: S.token(payload: S.claims(removing: ["sub"])), with: S.verifier()) == .malformed("sub claim missing"))
        // No username is Cognito's client-credentials shape (issue 21): this client is not
        // configured for machine tokens, so the token stays refused, for that reason.
        #expect(await S.failure(of: S.token(payload: S.claims(removing: ["username"])), with: S.verifier()) == .machineTokenNotAccepted)
    }

    // MARK: errors

    @Test("error descriptions never contain the token or a claim value")
    func errorsDoNotLeak() async {
        let payload = S.claims(overrides: ["username": #""secret-user-name""#], removing: [])
        let tokens = [
            S.token(payload: payload, key: S.other),
            S.token(header: S.header(alg: "HS256"), payload: payload),
            S.token(payload: S.claims(exp: S.now - 3600, overrides: ["username": #""secret-user-name""#])),
        ]
        for token in tokens {
            guard let error = await S.failure(of: token, with: S.verifier()) else {
                Issue.record("token verified")
                continue
            }
            let text = "\(error) \(String(reflecting: error))"
            #expect(!text.contains("secret-user-name"))
            #expect(!text.contains(token.split(separator: ".")[1]))
            #expect(!text.contains(token.split(separator: ".")[2]))
        }
    }

    func isMalformed(_ token: String) async -> Bool {
        if case .malformed = await S.failure(of: token, with: S.verifier()) { return true }
        return false
    }
}
