import AuthCore
import FoundationEssentials
import JSONValue
import Testing

@Suite("CognitoClient against moto (interop)", .enabled(if: MotoFixture.isAvailable, MotoFixture.skipReason))
struct CognitoMotoInteropTests {
    /// A deadline, not a timing assertion: moto is one Python process that loads its Cognito
    /// backend on first use, and these tests call it in parallel; at load 18 (four builds beside
    /// the suite) the 10 s default ran out before moto answered.
    static let motoDeadlineSeconds: Int64 = 60

    typealias Support = CognitoTestSupport

    @Test("getUser returns the user with its attributes; sub matches the token's sub")
    func getUser() async throws {
        let user = try await MotoFixture.signedInUser(username: "alice")
        let client = CognitoClient(config: user.config)
        let fetched = try await client.getUser(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
        #expect(fetched.username == "alice")
        #expect(fetched[attribute: "email"] == user.email)
        #expect(fetched[attribute: "email_verified"] == "true")
        let claims = try MotoFixture.unverifiedParts(user.accessToken).payload
        #expect(fetched[attribute: "sub"] != nil)
        #expect(fetched[attribute: "sub"] == claims["sub"]?.stringValue)
    }

    @Test("globalSignOut succeeds; afterwards getUser and globalSignOut are notAuthorized, with no token in the message")
    func globalSignOutRevokes() async throws {
        let user = try await MotoFixture.signedInUser(username: "bob")
        let client = CognitoClient(config: user.config)
        try await client.globalSignOut(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))

        for attempt in 0..<2 {
            do throws(CognitoError) {
                if attempt == 0 {
                    _ = try await client.getUser(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
                } else {
                    // moto echoes the whole access token as the message here.
                    try await client.globalSignOut(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
                }
                Issue.record("expected notAuthorized after sign-out (attempt \(attempt))")
            } catch {
                guard case .notAuthorized(let message) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(!message.contains(user.accessToken))
                #expect(!message.contains("eyJ"))
            }
        }
    }

    @Test("a token moto never issued is notAuthorized")
    func garbageToken() async throws {
        let user = try await MotoFixture.signedInUser(username: "carol")
        let client = CognitoClient(config: user.config)
        do throws(CognitoError) {
            _ = try await client.getUser(accessToken: "not-a-token", deadline: Support.deadline(Self.motoDeadlineSeconds))
            Issue.record("expected notAuthorized")
        } catch {
            guard case .notAuthorized = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }
    }

    @Test("a deleted user is userNotFound")
    func deletedUser() async throws {
        let user = try await MotoFixture.signedInUser(username: "dave")
        try await MotoFixture.call("AdminDeleteUser", ["UserPoolId": .string(user.poolId), "Username": .string(user.username)])
        await #expect(throws: CognitoError.userNotFound) {
            try await CognitoClient(config: user.config).getUser(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
        }
    }

    @Test("moto's JWKS holds the RSA key that signed its tokens; the tokens carry the AWS-form issuer")
    func jwksAndTokenShape() async throws {
        let user = try await MotoFixture.signedInUser(username: "erin")
        let (status, body) = try await MotoFixture.get(user.jwksURL)
        #expect(status == 200)
        let jwks = try JSONValue.parse(body)
        let keys = try #require(jwks["keys"]?.arrayValue)

        let (header, claims) = try MotoFixture.unverifiedParts(user.accessToken)
        #expect(header["alg"]?.stringValue == "RS256")
        let kid = try #require(header["kid"]?.stringValue)
        let key = try #require(keys.first { $0["kid"]?.stringValue == kid })
        #expect(key["kty"]?.stringValue == "RSA")
        #expect(key["n"]?.stringValue?.isEmpty == false)
        #expect(key["e"]?.stringValue == "AQAB")

        // moto mints the ORIGINAL form, the first of the default issuers.
        #expect(claims["iss"]?.stringValue == user.config.issuers.first)
        #expect(claims["iss"]?.stringValue == "https://cognito-idp.us-east-1.amazonaws.com/\(user.poolId)")
        #expect(claims["token_use"]?.stringValue == "access")
        #expect(claims["client_id"]?.stringValue == user.clientId)
        #expect(claims["username"]?.stringValue == user.username)
        #expect(claims["exp"]?.int64Value != nil)

        let idClaims = try MotoFixture.unverifiedParts(user.idToken).payload
        #expect(idClaims["token_use"]?.stringValue == "id")
        #expect(idClaims["aud"]?.stringValue == user.clientId)
    }

    @Test("AuthCore's verifier accepts moto's access token with moto's JWKS; revocation shows only at Cognito")
    func verifierAcceptsMotoToken() async throws {
        let user = try await MotoFixture.signedInUser(username: "frank")
        let verifier = AccessTokenVerifier(config: user.config, keys: JWKSCache(url: user.config.jwksURL, fetchTimeout: .seconds(Self.motoDeadlineSeconds)))
        let verified = try await verifier.verify(user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
        #expect(verified.username == "frank")
        #expect(verified.clientId == user.clientId)

        // The verifier is local and stateless: a signed-out token still verifies, which is why
        // /auth/me and /auth/logout rely on GetUser / GlobalSignOut as the revocation check.
        let client = CognitoClient(config: user.config)
        try await client.globalSignOut(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
        _ = try await verifier.verify(user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
        do throws(CognitoError) {
            _ = try await client.getUser(accessToken: user.accessToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
            Issue.record("expected notAuthorized after sign-out")
        } catch {
            guard case .notAuthorized = error else {
                Issue.record("unexpected \(error)")
                return
            }
        }

        // moto's ID token is not an access token.
        await #expect(throws: TokenVerificationError.wrongTokenUse) {
            try await verifier.verify(user.idToken, deadline: Support.deadline(Self.motoDeadlineSeconds))
        }
    }
}
