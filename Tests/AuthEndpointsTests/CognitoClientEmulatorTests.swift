import AuthCore
import LocalHarness
import NIOCore
import Testing

/// AuthCore's Cognito client against the local emulator over real HTTP: each operation's success
/// and each documented error, and each injected fault mapped to its typed error.
@Suite(.serialized) struct CognitoClientEmulatorTests {
    func client(_ fixture: EmulatorFixture, secret: String? = nil) throws -> CognitoClient {
        var environment = fixture.environment
        if let secret { environment["COGNITO_CLIENT_SECRET"] = secret }
        return CognitoClient(config: try CognitoConfig.fromEnvironment(environment))
    }

    var deadline: NIODeadline { .now() + .seconds(60) }  // time is not the subject: no stall can reach it

    func expectError(_ expected: CognitoError, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(expected)")
        } catch {
            #expect(error as? CognitoError == expected)
        }
    }

    @Test func codeExchangeRefreshAndRevokeFollowCognitosRules() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            let cognito = try client(fixture)
            let verifier = EmulatorFixture.makeCodeVerifier()
            let code = try await fixture.authorizationCode(codeVerifier: verifier)

            let tokens = try await cognito.exchangeCode(code, redirectURI: fixture.redirectURI, codeVerifier: verifier, deadline: deadline)
            #expect(tokens.tokenType == "Bearer")
            #expect(tokens.expiresIn == 3600)
            #expect(tokens.idToken != nil)
            let refreshToken = try #require(tokens.refreshToken)
            #expect(!"\(tokens)".contains(tokens.accessToken))

            // A code is single-use.
            do throws(CognitoError) {
                _ = try await cognito.exchangeCode(code, redirectURI: fixture.redirectURI, codeVerifier: verifier, deadline: deadline)
                Issue.record("a used code was accepted again")
            } catch {
                guard case .invalidGrant = error else { Issue.record("got \(error)"); return }
            }
            let refreshed = try await cognito.refresh(refreshToken, deadline: deadline)
            #expect(refreshed.accessToken != tokens.accessToken)
            #expect(try await cognito.getUser(accessToken: refreshed.accessToken, deadline: deadline).username == "demo")

            try await cognito.revoke(refreshToken: refreshToken, deadline: deadline)
            do throws(CognitoError) {
                _ = try await cognito.refresh(refreshToken, deadline: deadline)
                Issue.record("a revoked refresh token still refreshed")
            } catch {
                guard case .invalidGrant = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test func pkceMismatchAndRedirectMismatchAreRefused() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            let cognito = try client(fixture)
            let code = try await fixture.authorizationCode(codeVerifier: EmulatorFixture.makeCodeVerifier())
            do throws(CognitoError) {
                _ = try await cognito.exchangeCode(code, redirectURI: fixture.redirectURI, codeVerifier: EmulatorFixture.makeCodeVerifier(), deadline: deadline)
                Issue.record("a wrong PKCE verifier was accepted")
            } catch {
                guard case .invalidGrant = error else { Issue.record("got \(error)"); return }
            }
            let verifier = EmulatorFixture.makeCodeVerifier()
            let other = try await fixture.authorizationCode(codeVerifier: verifier)
            do throws(CognitoError) {
                _ = try await cognito.exchangeCode(other, redirectURI: "https://elsewhere.example/cb", codeVerifier: verifier, deadline: deadline)
                Issue.record("a different redirect URI was accepted")
            } catch {
                guard case .unauthorizedClient = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test func aWrongClientSecretIsInvalidClient() async throws {
        try await EmulatorFixture.with(clientSecret: "the-real-secret-0123456789", signingKeysPEM: TestSigningKeys.pem) { fixture in
            let cognito = try client(fixture, secret: "not-the-secret-0123456789")
            let verifier = EmulatorFixture.makeCodeVerifier()
            let code = try await fixture.authorizationCode(codeVerifier: verifier)
            await expectError(.invalidClient) {
                _ = try await cognito.exchangeCode(code, redirectURI: fixture.redirectURI, codeVerifier: verifier, deadline: deadline)
            }
            let good = try client(fixture, secret: "the-real-secret-0123456789")
            let verifier2 = EmulatorFixture.makeCodeVerifier()
            let code2 = try await fixture.authorizationCode(codeVerifier: verifier2)
            _ = try await good.exchangeCode(code2, redirectURI: fixture.redirectURI, codeVerifier: verifier2, deadline: deadline)
        }
    }

    @Test func getUserAndGlobalSignOutReportExpiredAndRevokedTokens() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            let cognito = try client(fixture)
            let token = try await fixture.signIn().accessToken
            let user = try await cognito.getUser(accessToken: token, deadline: deadline)
            #expect(user.username == "demo")
            #expect(user[attribute: "email"] == "demo@example.com")

            let expired = try await fixture.expiredAccessToken()
            await expectError(.notAuthorized("Access Token has expired")) {
                _ = try await cognito.getUser(accessToken: expired, deadline: deadline)
            }
            try await cognito.globalSignOut(accessToken: token, deadline: deadline)
            await expectError(.notAuthorized("Access Token has been revoked")) {
                _ = try await cognito.getUser(accessToken: token, deadline: deadline)
            }
            await expectError(.notAuthorized("Access Token has been revoked")) {
                try await cognito.globalSignOut(accessToken: token, deadline: deadline)
            }
        }
    }

    @Test func injectedFaultsMapToTypedErrors() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            let cognito = try client(fixture)
            let token = try await fixture.signIn().accessToken

            try await fixture.addFaults(#"{"operation":"GetUser","kind":"throttle","count":1}"#)
            await expectError(.throttled) { _ = try await cognito.getUser(accessToken: token, deadline: deadline) }

            try await fixture.addFaults(#"{"operation":"GetUser","kind":"malformed","count":1}"#)
            do throws(CognitoError) {
                _ = try await cognito.getUser(accessToken: token, deadline: deadline)
                Issue.record("a truncated body was accepted")
            } catch {
                guard case .malformedResponse = error else { Issue.record("got \(error)"); return }
            }

            try await fixture.addFaults(#"{"operation":"GlobalSignOut","kind":"status5xx","count":1}"#)
            do throws(CognitoError) {
                try await cognito.globalSignOut(accessToken: token, deadline: deadline)
                Issue.record("a 500 was taken for success")
            } catch {
                guard case .upstream(let status, _) = error else { Issue.record("got \(error)"); return }
                #expect(status == 500)
            }

            try await fixture.addFaults(#"{"operation":"GetUser","kind":"drop","count":1}"#)
            do throws(CognitoError) {
                _ = try await cognito.getUser(accessToken: token, deadline: deadline)
                Issue.record("a dropped connection was taken for an answer")
            } catch {
                guard case .unreachable = error else { Issue.record("got \(error)"); return }
            }

            // 20 s of latency against a 0.5 s deadline; the 10 s bound leaves a loaded 2-core machine
            // 9.5 s of slack and still fails if the deadline were not enforced.
            try await fixture.addFaults(#"{"operation":"GetUser","kind":"latency","latencyMs":20000,"count":1}"#)
            let start = ContinuousClock.now
            await expectError(.timeout) { _ = try await cognito.getUser(accessToken: token, deadline: .now() + .milliseconds(500)) }
            #expect(ContinuousClock.now - start < .seconds(10))

            // Faults are used up: the next call is answered normally.
            #expect(try await cognito.getUser(accessToken: token, deadline: deadline).username == "demo")
        }
    }
}
