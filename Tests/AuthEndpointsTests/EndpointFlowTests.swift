import AuthCore
import FoundationEssentials
import JSONValue
import LambdaKit
import LocalHarness
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import AuthEndpoints

/// The three endpoints as plain functions, against the local Cognito emulator over real HTTP.
@Suite(.serialized) struct EndpointFlowTests {
    let logger = Logger(label: "endpoint-tests")

    func context(timeout: TimeAmount = .seconds(10)) -> LambdaContext {
        LambdaContext(requestId: "test", deadline: .now() + timeout, logger: logger)
    }

    func json(_ response: HTTPResponse) throws -> [String: JSONValue] {
        try #require(try JSONValue.parse(response.body).objectValue)
    }

    func bearer(_ token: String, method: String = "GET", path: String) -> HTTPRequest {
        HTTPRequest(method: method, rawPath: path, headers: ["Authorization": "Bearer \(token)"])
    }

    @Test func signInThenMeThenLogoutThenTheTokenIsRefused() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            let environment = fixture.environment
            let signIn = try EndpointFactory.signIn(environment: environment, logger: logger)
            let me = try EndpointFactory.me(environment: environment, logger: logger)
            let logout = try EndpointFactory.logout(environment: environment, logger: logger)

            let verifier = EmulatorFixture.makeCodeVerifier()
            let code = try await fixture.authorizationCode(codeVerifier: verifier)
            let body = #"{"code":"\#(code)","code_verifier":"\#(verifier)"}"#
            let signedIn = try await signIn(
                HTTPRequest(method: "POST", rawPath: "/auth/sign-in", headers: ["Content-Type": "application/json", "X-Requested-With": "fetch"], body: Array(body.utf8)),
                context())
            #expect(signedIn.status == 200)
            #expect(signedIn.headers["Cache-Control"] == ["no-store"])
            let tokens = try json(signedIn)
            #expect(Set(tokens.keys) == ["access_token", "token_type", "expires_in"])
            #expect(tokens["token_type"] == .string("Bearer"))
            let token = try #require(tokens["access_token"]?.stringValue)

            // The code is single-use: a second exchange is Cognito's invalid_grant, a 401.
            let replayed = try await signIn(
                HTTPRequest(method: "POST", rawPath: "/auth/sign-in", headers: ["Content-Type": "application/json", "X-Requested-With": "fetch"], body: Array(body.utf8)),
                context())
            #expect(replayed.status == 401)
            #expect(try json(replayed)["code"] == .string("invalid_grant"))

            let user = try await me(bearer(token, path: "/auth/me"), context())
            #expect(user.status == 200)
            let profile = try json(user)
            #expect(profile["username"] == .string("demo"))
            #expect(profile["email"] == .string("demo@example.com"))
            #expect(profile["email_verified"] == .bool(true))
            #expect(profile["groups"] == .array([.string("users")]))
            #expect(profile["sub"] == profile["attributes"]?["sub"])

            let loggedOut = try await logout(bearer(token, path: "/auth/logout"), context())
            #expect(loggedOut.status == 200)
            #expect(try json(loggedOut)["message"] == .string("Logout successful."))

            let refused = try await me(bearer(token, path: "/auth/me"), context())
            #expect(refused.status == 403)
            #expect(refused.headers["WWW-Authenticate"] == [#"Bearer error="invalid_token""#])
            #expect(try json(refused)["code"] == .string("token_revoked"))

            let again = try await logout(bearer(token, path: "/auth/logout"), context())
            #expect(again.status == 401)
        }
    }

    @Test func garbageTokensAreRefusedBeforeAnyNetworkCall() async throws {
        // Nothing listens on port 9 here: any network call would surface as a 502, not a 403.
        var environment = ["COGNITO_USER_POOL_ID": "us-east-1_Abc123", "COGNITO_CLIENT_ID": "client", "COGNITO_REGION": "us-east-1"]
        environment["COGNITO_IDP_ENDPOINT"] = "http://127.0.0.1:9"
        let me = try EndpointFactory.me(environment: environment, logger: logger)
        for token in ["abc", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", String(repeating: "x", count: 9000)] {
            let response = try await me(bearer(token, path: "/auth/me"), context())
            #expect(response.status == 403, "\(token.prefix(20))")
            #expect(try json(response)["code"] == .string("invalid_token"))
        }
    }

    @Test func aSlowCognitoIsCutOffAtTheInvocationDeadline() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            let me = try EndpointFactory.me(environment: fixture.environment, logger: logger)
            let token = try await fixture.signIn().accessToken
            // Warm the JWKS cache so only GetUser is slow.
            #expect(try await me(bearer(token, path: "/auth/me"), context()).status == 200)
            try await fixture.addFaults(#"{"operation": "GetUser", "kind": "latency", "latencyMs": 20000, "count": 1}"#)
            let start = ContinuousClock.now
            let response = try await me(bearer(token, path: "/auth/me"), context(timeout: .milliseconds(1500)))
            let elapsed = ContinuousClock.now - start
            #expect(response.status == 502)
            #expect(try json(response)["code"] == .string("upstream_timeout"))
            // The upstream deadline is the invocation's minus the answer margin: 1.25 s. The bound
            // leaves a loaded 2-core machine 8.75 s of slack and is still half the injected 20 s,
            // so a deadline that is not enforced fails.
            #expect(elapsed < .seconds(10))
        }
    }

    @Test func methodsOtherThanTheRoutesAreRefusedWith405() async throws {
        let environment = [
            "COGNITO_USER_POOL_ID": "us-east-1_Abc123", "COGNITO_CLIENT_ID": "client", "COGNITO_REGION": "us-east-1",
            "COGNITO_DOMAIN": "http://127.0.0.1:9", "COGNITO_REDIRECT_URI": "https://app.example/cb",
            "AUTH_ALLOWED_ORIGINS": "https://app.example",
        ]
        let cases: [(HTTPHandler, String, String)] = [
            (try EndpointFactory.signIn(environment: environment, logger: logger), "GET", "POST"),
            (try EndpointFactory.refresh(environment: environment, logger: logger), "GET", "POST"),
            (try EndpointFactory.me(environment: environment, logger: logger), "DELETE", "GET"),
            (try EndpointFactory.logout(environment: environment, logger: logger), "PUT", "GET, POST"),
        ]
        for (handler, method, allowed) in cases {
            let response = try await handler(HTTPRequest(method: method, rawPath: "/"), context())
            #expect(response.status == 405)
            #expect(response.headers["Allow"] == [allowed])
        }
    }

    @Test func signInNeedsADomainAndARedirectURIAndSaysSo() {
        let environment = ["COGNITO_USER_POOL_ID": "us-east-1_Abc123", "COGNITO_CLIENT_ID": "client", "COGNITO_REGION": "us-east-1",
                           "COGNITO_CLIENT_SECRET": "s3cr3t-value-never-printed"]
        do {
            _ = try EndpointFactory.signIn(environment: environment, logger: logger)
            Issue.record("sign-in started without COGNITO_DOMAIN")
        } catch {
            // Cookie delivery (the default) also needs the origins allowed to use the cookie.
            #expect(error.problems.count == 3)
            #expect(error.description.contains("COGNITO_DOMAIN"))
            #expect(error.description.contains("COGNITO_REDIRECT_URI"))
            #expect(error.description.contains("AUTH_ALLOWED_ORIGINS"))
            #expect(!error.description.contains("s3cr3t"))
        }
        #expect(throws: Never.self) { try EndpointFactory.me(environment: environment, logger: logger) }
    }

    /// Issue 24 item 13: logout revokes refresh tokens at {COGNITO_DOMAIN}/oauth2/revoke in both
    /// deliveries; without a domain it could never succeed for one, so it does not start.
    @Test func logoutNeedsADomainInEitherDeliveryAndSaysSoInOneLine() {
        let base = ["COGNITO_USER_POOL_ID": "us-east-1_Abc123", "COGNITO_CLIENT_ID": "client", "COGNITO_REGION": "us-east-1"]
        for delivery in [["AUTH_REFRESH_TOKEN_DELIVERY": "body"], ["AUTH_ALLOWED_ORIGINS": "https://app.example.com"]] {
            do {
                _ = try EndpointFactory.logout(environment: base.merging(delivery) { $1 }, logger: logger)
                Issue.record("logout started without COGNITO_DOMAIN (\(delivery))")
            } catch {
                #expect(error.problems.count == 1)
                #expect(error.problems.first?.hasPrefix("COGNITO_DOMAIN is required by logout") == true)
            }
            var withDomain = base.merging(delivery) { $1 }
            withDomain["COGNITO_DOMAIN"] = "https://app.auth.us-east-1.amazoncognito.com"
            #expect(throws: Never.self) { try EndpointFactory.logout(environment: withDomain, logger: logger) }
        }
    }
}
