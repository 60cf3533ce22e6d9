import CognitoEmulator
import Crypto
import Foundation
import JSONValue
import LocalHarness
import Testing
import _CryptoExtras

@Suite("Token claims, JWKS and discovery")
struct TokenShapeTests {
    static let accessClaims: Set<String> = [
        "sub", "cognito:groups", "iss", "version", "client_id", "origin_jti", "event_id", "token_use", "scope",
        "auth_time", "exp", "iat", "jti", "username",
    ]
    static let idClaims: Set<String> = [
        "at_hash", "sub", "cognito:groups", "email_verified", "iss", "cognito:username", "origin_jti", "aud", "event_id",
        "token_use", "auth_time", "exp", "iat", "jti", "email",
    ]

    @Test("access and ID tokens carry Cognito's claim sets, AWS-form issuer, and verify against the JWKS")
    func claimSets() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let tokens = try await h.hostedUISignIn(scope: "openid email aws.cognito.signin.user.admin")
            let accessToken = try #require(tokens["access_token"]?.stringValue)
            let idToken = try #require(tokens["id_token"]?.stringValue)
            let access = try EmulatorFixture.decode(accessToken)
            let id = try EmulatorFixture.decode(idToken)
            let issuer = "https://cognito-idp.us-east-1.amazonaws.com/\(h.options.userPoolId)"

            #expect(Set(access.claims.keys) == Self.accessClaims)
            #expect(access.header["alg"]?.stringValue == "RS256")
            #expect(access.claims["iss"]?.stringValue == issuer)
            #expect(access.claims["token_use"]?.stringValue == "access")
            #expect(access.claims["client_id"]?.stringValue == h.options.clientId)
            #expect(access.claims["username"]?.stringValue == "demo")
            #expect(access.claims["version"]?.int64Value == 2)
            #expect(access.claims["cognito:groups"]?.arrayValue == [.string("users")])
            #expect(access.claims["scope"]?.stringValue == "openid email aws.cognito.signin.user.admin")
            let exp = try #require(access.claims["exp"]?.int64Value), iat = try #require(access.claims["iat"]?.int64Value)
            #expect(exp - iat == 3600)

            #expect(Self.idClaims.isSubset(of: Set(id.claims.keys)))
            #expect(id.claims["aud"]?.stringValue == h.options.clientId)
            #expect(id.claims["token_use"]?.stringValue == "id")
            #expect(id.claims["iss"]?.stringValue == issuer)
            #expect(id.claims["cognito:username"]?.stringValue == "demo")
            #expect(id.claims["email"]?.stringValue == "demo@example.com")
            #expect(id.claims["email_verified"] == .bool(true))
            #expect(id.claims["sub"] == access.claims["sub"])
            #expect(id.claims["origin_jti"] == access.claims["origin_jti"])
            #expect(id.claims["event_id"] == access.claims["event_id"])
            // at_hash = base64url(left half of SHA-256(access token)).
            #expect(id.claims["at_hash"]?.stringValue == atHash(accessToken))

            #expect(access.header["kid"] != id.header["kid"])
            #expect(try await h.verifySignature(accessToken))
            #expect(try await h.verifySignature(idToken))
            // A token signed by the access key must not verify under the ID key.
            var swapped = access
            swapped.header["kid"] = id.header["kid"]
            let jwks = try #require(try await h.send(.GET, "/\(h.options.userPoolId)/.well-known/jwks.json").json?["keys"]?.arrayValue)
            let idKey = try #require(jwks.first(where: { $0["kid"] == id.header["kid"] }))
            let key = try _RSA.Signing.PublicKey(n: try member(idKey, "n"), e: try member(idKey, "e"))
            #expect(!key.isValidSignature(.init(rawRepresentation: access.signature), for: access.signingInput, padding: .insecurePKCS1v1_5))
        }
    }

    @Test("no ID token without the openid scope; nonce is echoed")
    func idTokenScope() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let noOpenID = try await h.hostedUISignIn(scope: "aws.cognito.signin.user.admin")
            #expect(noOpenID["id_token"] == nil)
            let (reply, query) = try await h.authorize([("scope", "openid"), ("nonce", "n-0S6_WzA2Mj")])
            #expect(reply.status == 302)
            let code = try #require(query["code"])
            let tokens = try #require(try await h.exchange(code, verifier: nil).json)
            let id = try EmulatorFixture.decode(try #require(tokens["id_token"]?.stringValue))
            #expect(id.claims["nonce"]?.stringValue == "n-0S6_WzA2Mj")
        }
    }

    @Test("JWKS: two RSA-2048 RS256 signing keys with distinct kids; unknown pool is 404")
    func jwksShape() async throws {
        try await EmulatorFixture.withTestAppClient(configure: { $0.signingKeysPEM = nil }) { h in
            let reply = try await h.send(.GET, "/\(h.options.userPoolId)/.well-known/jwks.json")
            #expect(reply.status == 200)
            let keys = try #require(reply.json?["keys"]?.arrayValue)
            #expect(keys.count == 2)
            #expect(Set(keys.compactMap { $0["kid"]?.stringValue }).count == 2)
            for key in keys {
                #expect(key["kty"]?.stringValue == "RSA")
                #expect(key["alg"]?.stringValue == "RS256")
                #expect(key["use"]?.stringValue == "sig")
                #expect(key["e"]?.stringValue == "AQAB")
                let n = try member(key, "n")
                let e = try member(key, "e")
                #expect(n.count == 256)
                let publicKey = try _RSA.Signing.PublicKey(n: n, e: e)
                #expect(publicKey.keySizeInBits == 2048)
            }
            #expect(try await h.send(.GET, "/us-east-1_Other/.well-known/jwks.json").status == 404)
        }
    }

    @Test("openid-configuration: AWS issuer, endpoints on the emulator")
    func discovery() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let json = try #require(try await h.send(.GET, "/\(h.options.userPoolId)/.well-known/openid-configuration").json)
            #expect(json["issuer"]?.stringValue == h.options.issuer)
            #expect(json["token_endpoint"]?.stringValue == h.baseURL + "/oauth2/token")
            #expect(json["jwks_uri"]?.stringValue == "\(h.baseURL)/\(h.options.userPoolId)/.well-known/jwks.json")
        }
    }

    @Test("a fixed clock gives fixed iat/exp; a key file gives the same kids on the next start")
    func replayability() async throws {
        let pem = try EmulatorSigningKeys.generatePEM()
        var kids: [Set<String>] = []
        for _ in 0..<2 {
            try await EmulatorFixture.withTestAppClient(configure: {
                $0.signingKeysPEM = pem
                $0.now = { 1_800_000_000 }
            }) { h in
                let keys = try #require(try await h.send(.GET, "/\(h.options.userPoolId)/.well-known/jwks.json").json?["keys"]?.arrayValue)
                kids.append(Set(keys.compactMap { $0["kid"]?.stringValue }))
                let access = try EmulatorFixture.decode(try #require(try await h.hostedUISignIn()["access_token"]?.stringValue))
                #expect(access.claims["iat"]?.int64Value == 1_800_000_000)
                #expect(access.claims["exp"]?.int64Value == 1_800_003_600)
            }
        }
        #expect(kids[0] == kids[1])
        #expect(kids[0].count == 2)
    }

    private func member(_ key: JSONValue, _ name: String) throws -> [UInt8] {
        guard let text = key[name]?.stringValue, let bytes = EmulatorFixture.b64url(Substring(text)) else {
            throw HarnessError("JWK member \(name) missing or not base64url")
        }
        return bytes
    }

    private func atHash(_ token: String) -> String {
        let digest = SHA256.hash(data: Array(token.utf8)).withUnsafeBytes { Array($0) }
        return Data(digest.prefix(16)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

