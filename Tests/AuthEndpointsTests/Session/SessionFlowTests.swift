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

/// Issue 11: a browser-style session against the local Cognito emulator over real HTTP.
@Suite(.serialized) struct SessionFlowTests {
    let logger = Logger(label: "session-tests")
    static let origin = "http://localhost:3000"
    static let csrf: [(String, String)] = [("X-Requested-With", "XMLHttpRequest"), ("Origin", origin)]

    func context() -> LambdaContext {
        LambdaContext(requestId: "test", deadline: .now() + .seconds(60), logger: logger)
    }

    func json(_ response: HTTPResponse) throws -> [String: JSONValue] {
        try #require(try JSONValue.parse(response.body).objectValue)
    }

    /// The `name=value` a browser would send back for the refresh cookie a response sets.
    func sessionCookie(_ response: HTTPResponse) -> String? {
        response.headers["Set-Cookie"].first { $0.hasPrefix("__Host-refresh_token=") && !$0.hasPrefix("__Host-refresh_token=;") }?
            .split(separator: ";").first.map(String.init)
    }

    func isClearing(_ response: HTTPResponse) -> Bool {
        response.headers["Set-Cookie"] == ["__Host-refresh_token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict"]
    }

    /// `GET /auth/me` with `token` as the bearer.
    func meRequest(_ token: String) -> HTTPRequest {
        HTTPRequest(method: "GET", rawPath: "/auth/me", headers: ["Authorization": "Bearer \(token)"])
    }

    func post(_ path: String, headers: [(String, String)] = [], cookies: [String] = [], body: String? = nil) -> HTTPRequest {
        HTTPRequest(method: "POST", rawPath: path, headers: HTTPHeaders(headers), cookies: cookies, body: Array((body ?? "").utf8))
    }

    func signInThroughHostedUI(_ fixture: EmulatorFixture, _ handler: HTTPHandler) async throws -> HTTPResponse {
        let verifier = EmulatorFixture.makeCodeVerifier()
        let code = try await fixture.authorizationCode(codeVerifier: verifier)
        return try await handler(
            post("/auth/sign-in", headers: [("Content-Type", "application/json")] + Self.csrf,
                 body: #"{"code":"\#(code)","code_verifier":"\#(verifier)"}"#),
            context())
    }

    @Test func cookieSessionSignInRefreshLogoutThenTheCookieIsDead() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            do {
                let environment = fixture.environment
                let signIn = try EndpointFactory.signIn(environment: environment, logger: logger)
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let me = try EndpointFactory.me(environment: environment, logger: logger)
                let logout = try EndpointFactory.logout(environment: environment, logger: logger)

                let signedIn = try await signInThroughHostedUI(fixture, signIn)
                #expect(signedIn.status == 200)
                #expect(Set(try json(signedIn).keys) == ["access_token", "token_type", "expires_in"], "the body stays as before")
                let cookie = try #require(sessionCookie(signedIn))
                #expect(signedIn.headers["Set-Cookie"].first?.hasSuffix("; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Strict") == true)

                let refreshed = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [cookie]), context())
                #expect(refreshed.status == 200)
                #expect(refreshed.headers["Set-Cookie"].isEmpty, "no rotation: the cookie is left alone")
                #expect(refreshed.headers["Cache-Control"] == ["no-store"])
                let token = try #require(try json(refreshed)["access_token"]?.stringValue)
                let user = try await me(meRequest(token), context())
                #expect(user.status == 200)

                let loggedOut = try await logout(
                    post("/auth/logout", headers: Self.csrf + [("Authorization", "Bearer \(token)")], cookies: [cookie]), context())
                #expect(loggedOut.status == 200)
                #expect(isClearing(loggedOut))

                let dead = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [cookie]), context())
                #expect(dead.status == 401)
                #expect(try json(dead)["code"] == .string("invalid_grant"))
                #expect(dead.headers["Set-Cookie"].isEmpty, "a refused refresh never clears the cookie (logout does)")
                let revoked = try await me(meRequest(token), context())
                #expect(try json(revoked)["code"] == .string("token_revoked"))
            }
        }
    }

    /// Refresh-token rotation on: every refresh sets a new cookie; the rotated-away one is refused
    /// once the grace period is over, and refusing it leaves the cookie alone (the browser may
    /// already hold the newer one).
    @Test(arguments: [0, 30])
    func rotationReplacesTheCookieAndTheOldOneDiesAfterTheGracePeriod(graceSeconds: Int) async throws {
        try await EmulatorFixture.with(
            signingKeysPEM: TestSigningKeys.pem, refreshTokenRotation: true, rotationGraceSeconds: graceSeconds) { fixture in
            do {
                let environment = fixture.environment
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let signedIn = try await signInThroughHostedUI(fixture, try EndpointFactory.signIn(environment: environment, logger: logger))
                let first = try #require(sessionCookie(signedIn))

                let rotated = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [first]), context())
                #expect(rotated.status == 200)
                let second = try #require(sessionCookie(rotated), "rotation: a new cookie")
                #expect(second != first)
                #expect(Set(try json(rotated).keys) == ["access_token", "token_type", "expires_in"], "the refresh token never reaches the body")

                if graceSeconds > 0 {
                    let withinGrace = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [first]), context())
                    #expect(withinGrace.status == 200, "the old cookie still works within the grace period")
                    fixture.advanceClock(by: Double(graceSeconds + 1))
                }
                let old = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [first]), context())
                #expect(old.status == 401)
                #expect(try json(old)["code"] == .string("invalid_grant"))
                #expect(old.headers["Set-Cookie"].isEmpty, "no clearing: it would delete the newer cookie")

                let third = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [second]), context())
                #expect(third.status == 200)
                #expect(sessionCookie(third) != nil && sessionCookie(third) != second)
            }
        }
    }

    @Test func rotationInBodyDeliveryReturnsTheNewRefreshToken() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem, refreshTokenRotation: true) { fixture in
            do {
                var environment = fixture.environment
                environment["AUTH_REFRESH_TOKEN_DELIVERY"] = "body"
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let token = try await fixture.signIn().refreshToken
                let refreshed = try await refresh(
                    post("/auth/refresh", headers: [("Content-Type", "application/json")], body: #"{"refresh_token":"\#(token)"}"#), context())
                #expect(refreshed.status == 200)
                let next = try #require(try json(refreshed)["refresh_token"]?.stringValue)
                #expect(next != token)
                #expect(refreshed.headers["Set-Cookie"].isEmpty)
            }
        }
    }

    @Test func logoutWithOnlyTheCookieRevokesTheRefreshTokenAndTheAccessTokensFromIt() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            do {
                let environment = fixture.environment
                let signedIn = try await signInThroughHostedUI(fixture, try EndpointFactory.signIn(environment: environment, logger: logger))
                let cookie = try #require(sessionCookie(signedIn))
                let token = try #require(try json(signedIn)["access_token"]?.stringValue)
                let logout = try EndpointFactory.logout(environment: environment, logger: logger)
                let loggedOut = try await logout(post("/auth/logout", headers: Self.csrf, cookies: [cookie]), context())
                #expect(loggedOut.status == 200)
                #expect(isClearing(loggedOut))
                let me = try EndpointFactory.me(environment: environment, logger: logger)
                let after = try await me(meRequest(token), context())
                #expect(after.status == 403, "/oauth2/revoke also revokes the access tokens issued from the refresh token")
                // Neither credential: the bearer guard's 403 as before.
                let bare = try await logout(post("/auth/logout"), context())
                #expect(bare.status == 403)
                #expect(try json(bare)["code"] == .string("not_authenticated"))
            }
        }
    }

    @Test func bodyDeliveryForNativeApps() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            do {
                var environment = fixture.environment
                environment["AUTH_REFRESH_TOKEN_DELIVERY"] = "body"
                environment["AUTH_ALLOWED_ORIGINS"] = nil
                let signedIn = try await signInThroughHostedUI(fixture, try EndpointFactory.signIn(environment: environment, logger: logger))
                #expect(signedIn.status == 200)
                #expect(signedIn.headers["Set-Cookie"].isEmpty)
                let refreshToken = try #require(try json(signedIn)["refresh_token"]?.stringValue)
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let body = #"{"refresh_token":"\#(refreshToken)"}"#
                // Native apps send neither X-Requested-With nor Origin.
                let refreshed = try await refresh(post("/auth/refresh", headers: [("Content-Type", "application/json")], body: body), context())
                #expect(refreshed.status == 200)
                #expect(try json(refreshed)["refresh_token"] == nil, "no rotation: no new refresh token")
                let logout = try EndpointFactory.logout(environment: environment, logger: logger)
                #expect(try await logout(post("/auth/logout", headers: [("Content-Type", "application/json")], body: body), context()).status == 200)
                let dead = try await refresh(post("/auth/refresh", headers: [("Content-Type", "application/json")], body: body), context())
                #expect(dead.status == 401)
                #expect(dead.headers["Set-Cookie"].isEmpty)
            }
        }
    }

    /// Every refusal happens before Cognito: the domain points at a closed port, so any call would
    /// come back as a 502, never as the refusal expected.
    @Test func refusalsCostNoCognitoCall() async throws {
        let environment = [
            "COGNITO_USER_POOL_ID": "us-east-1_Abc123", "COGNITO_CLIENT_ID": "client", "COGNITO_REGION": "us-east-1",
            "COGNITO_DOMAIN": "http://127.0.0.1:9", "COGNITO_IDP_ENDPOINT": "http://127.0.0.1:9",
            "COGNITO_REDIRECT_URI": "http://localhost:3000/callback", "AUTH_ALLOWED_ORIGINS": Self.origin,
        ]
        let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
        let logout = try EndpointFactory.logout(environment: environment, logger: logger)
        let signIn = try EndpointFactory.signIn(environment: environment, logger: logger)
        let token = "eyJjdHkiOiJKV1QifQ.a.b.c.d"
        let cases: [(HTTPHandler, HTTPRequest, Int, String)] = [
            (refresh, post("/auth/refresh", headers: [("Origin", Self.origin)], cookies: ["__Host-refresh_token=\(token)"]), 403, "csrf_check_failed"),
            (refresh, post("/auth/refresh", headers: [("X-Requested-With", "x"), ("Origin", "https://evil.example")], cookies: ["__Host-refresh_token=\(token)"]), 403, "origin_not_allowed"),
            (refresh, post("/auth/refresh", headers: Self.csrf, cookies: ["__Host-refresh_token=\(token)", "__Host-refresh_token=\(token)x"]), 400, "invalid_request"),
            (refresh, post("/auth/refresh", headers: Self.csrf, cookies: ["__Host-refresh_token=a%2Fb"]), 400, "invalid_refresh_token"),
            (refresh, post("/auth/refresh", headers: Self.csrf), 401, "missing_refresh_token"),
            (refresh, HTTPRequest(method: "GET", rawPath: "/auth/refresh", headers: HTTPHeaders(Self.csrf), cookies: ["__Host-refresh_token=\(token)"]), 405, "method_not_allowed"),
            (logout, post("/auth/logout", headers: [("Origin", Self.origin)], cookies: ["__Host-refresh_token=\(token)"]), 403, "csrf_check_failed"),
            (logout, post("/auth/logout", headers: [("X-Requested-With", "x"), ("Origin", "https://evil.example")], cookies: ["__Host-refresh_token=\(token)"]), 403, "origin_not_allowed"),
            (signIn, post("/auth/sign-in", headers: [("Content-Type", "application/json"), ("X-Requested-With", "x"), ("Origin", "https://evil.example")], body: #"{"code":"abc","code_verifier":"\#(String(repeating: "v", count: 43))"}"#), 403, "origin_not_allowed"),
            // Login CSRF: a cross-site form POST carries no X-Requested-With (and may carry no Origin).
            (signIn, post("/auth/sign-in", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "code=abc&code_verifier=\(String(repeating: "v", count: 43))"), 403, "csrf_check_failed"),
            (signIn, post("/auth/sign-in", headers: [("Content-Type", "application/json"), ("Origin", Self.origin)], body: #"{"code":"abc","code_verifier":"\#(String(repeating: "v", count: 43))"}"#), 403, "csrf_check_failed"),
        ]
        for (handler, request, status, code) in cases {
            let response = try await handler(request, context())
            #expect(response.status == status, "\(request.rawPath) \(code)")
            #expect(try json(response)["code"] == .string(code))
            #expect(response.headers["Set-Cookie"].isEmpty, "a refusal before Cognito leaves the cookie alone")
        }
    }

    @Test func aCognitoOutageDoesNotSignAnyoneOut() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            do {
                let environment = fixture.environment
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let cookie = "__Host-refresh_token=\(try await fixture.signIn().refreshToken)"
                for fault in [#"{"operation":"Token","kind":"status5xx","count":1}"#, #"{"operation":"Token","kind":"throttle","count":1}"#, #"{"operation":"Token","kind":"malformed","count":1}"#] {
                    try await fixture.addFaults(fault)
                    let response = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [cookie]), context())
                    #expect(response.status == 502 || response.status == 503, "\(fault)")
                    #expect(response.headers["Set-Cookie"].isEmpty, "\(fault): the cookie must survive an outage")
                }
                #expect(try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [cookie]), context()).status == 200)
            }
        }
    }
    /// Issue 24 item 10: two refreshes race with the same cookie under rotation (two tabs). The
    /// loser's `invalid_grant` must not delete the cookie the winner just set.
    @Test func aLosingConcurrentRefreshDoesNotClearTheWinnersCookie() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem, refreshTokenRotation: true, rotationGraceSeconds: 0) { fixture in
            do {
                let environment = fixture.environment
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let signedIn = try await signInThroughHostedUI(fixture, try EndpointFactory.signIn(environment: environment, logger: logger))
                let first = try #require(sessionCookie(signedIn))
                async let a = refresh(post("/auth/refresh", headers: Self.csrf, cookies: [first]), context())
                async let b = refresh(post("/auth/refresh", headers: Self.csrf, cookies: [first]), context())
                let answers = try await [a, b]
                let winners = answers.filter { $0.status == 200 }
                #expect(winners.count >= 1)
                for answer in answers where answer.status != 200 {
                    #expect(answer.status == 401)
                    #expect(answer.headers["Set-Cookie"].isEmpty, "the loser leaves the browser's (newer) cookie alone")
                }
                // The browser now holds the winner's cookie, and it works.
                let newest = try #require(winners.compactMap(sessionCookie).last)
                #expect(try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [newest]), context()).status == 200)
            }
        }
    }

    /// Issue 24 item 9: a refresh token Cognito (or whatever answers in its place) returns with
    /// `; Domain=...` appended is never written into Set-Cookie: 502 upstream_malformed.
    @Test func aRefreshTokenThatWouldBreakSetCookieIsNotBelieved() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem, refreshTokenRotation: true) { fixture in
            do {
                let environment = fixture.environment
                let signIn = try EndpointFactory.signIn(environment: environment, logger: logger)
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let good = try #require(sessionCookie(try await signInThroughHostedUI(fixture, signIn)))
                try await fixture.addFaults(#"{"operation":"Token","kind":"cookieBreakingRefreshToken","count":2}"#)
                let signedIn = try await signInThroughHostedUI(fixture, signIn)
                #expect(signedIn.status == 502)
                #expect(try json(signedIn)["code"] == .string("upstream_malformed"))
                #expect(signedIn.headers["Set-Cookie"].isEmpty)
                let rotated = try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [good]), context())
                #expect(rotated.status == 502)
                #expect(rotated.headers["Set-Cookie"].isEmpty)
                #expect(!String(decoding: rotated.body, as: UTF8.self).contains("attacker"))
            }
        }
    }

    /// Issue 24 item 4: token revocation disabled on the app client makes `/oauth2/revoke` answer
    /// 400 invalid_request. Nothing was revoked, so logout must not say it succeeded.
    @Test func logoutWithRevocationDisabledIsAnErrorNotASuccess() async throws {
        var options = EmulatorFixture.makeOptions(signingKeysPEM: TestSigningKeys.pem, tokenRevocation: false)
        options.logger.logLevel = .critical
        try await EmulatorFixture.with(options) { fixture in
            do {
                let environment = fixture.environment
                let logout = try EndpointFactory.logout(environment: environment, logger: logger)
                let refresh = try EndpointFactory.refresh(environment: environment, logger: logger)
                let tokens = try await fixture.signIn()
                let cookie = "__Host-refresh_token=\(tokens.refreshToken)"

                let cookieOnly = try await logout(post("/auth/logout", headers: Self.csrf, cookies: [cookie]), context())
                #expect(cookieOnly.status == 500)
                #expect(try json(cookieOnly)["code"] == .string("server_misconfigured"))
                #expect(cookieOnly.headers["Set-Cookie"].isEmpty, "not revoked: the cookie stays so the logout can be retried")
                #expect(try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [cookie]), context()).status == 200,
                        "and the session is indeed still alive")

                // With a valid bearer, GlobalSignOut ends every session of the user: the cookie is
                // dead and cleared, but the revocation still failed, so the answer is the error.
                let withBearer = try await logout(
                    post("/auth/logout", headers: Self.csrf + [("Authorization", "Bearer \(tokens.accessToken)")], cookies: [cookie]), context())
                #expect(withBearer.status == 500)
                #expect(isClearing(withBearer))
                #expect(try await refresh(post("/auth/refresh", headers: Self.csrf, cookies: [cookie]), context()).status == 401)

                var body = environment
                body["AUTH_REFRESH_TOKEN_DELIVERY"] = "body"
                let bodyLogout = try EndpointFactory.logout(environment: body, logger: logger)
                let native = try await bodyLogout(
                    post("/auth/logout", headers: [("Content-Type", "application/json")], body: #"{"refresh_token":"\#(try await fixture.signIn().refreshToken)"}"#),
                    context())
                #expect(native.status == 500)
                #expect(try json(native)["code"] == .string("server_misconfigured"))
            }
        }
    }

    /// Issue 24 item 11: a cookie logout cannot use (malformed, or two of them) does not stop the
    /// sign-out with a valid bearer token, and is cleared.
    @Test func anUnusableCookieDoesNotStopTheBearersSignOut() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            do {
                let environment = fixture.environment
                let logout = try EndpointFactory.logout(environment: environment, logger: logger)
                let me = try EndpointFactory.me(environment: environment, logger: logger)
                for cookies in [["__Host-refresh_token=not%20a%20token"], ["__Host-refresh_token=a.b", "__Host-refresh_token=c.d"]] {
                    let token = try await fixture.signIn().accessToken
                    let loggedOut = try await logout(
                        post("/auth/logout", headers: Self.csrf + [("Authorization", "Bearer \(token)")], cookies: cookies), context())
                    #expect(loggedOut.status == 200, "\(cookies)")
                    #expect(isClearing(loggedOut))
                    let after = try await me(meRequest(token), context())
                    #expect(try json(after)["code"] == .string("token_revoked"), "GlobalSignOut ran")
                }
                // Without a bearer the cookie's own 400, and the cookie is cleared all the same.
                let only = try await logout(post("/auth/logout", headers: Self.csrf, cookies: ["__Host-refresh_token=not%20a%20token"]), context())
                #expect(only.status == 400)
                #expect(try json(only)["code"] == .string("invalid_refresh_token"))
                #expect(isClearing(only))
                // The CSRF checks still come first for any cookie of that name.
                let token = try await fixture.signIn().accessToken
                let foreign = try await logout(
                    post("/auth/logout", headers: [("Authorization", "Bearer \(token)")], cookies: ["__Host-refresh_token=not%20a%20token"]), context())
                #expect(foreign.status == 403)
                #expect(foreign.headers["Set-Cookie"].isEmpty)
            }
        }
    }

    /// Issue 20: an app client without `aws.cognito.signin.user.admin`. Its (genuine) access
    /// token passes local verification; Cognito refuses GetUser and GlobalSignOut with
    /// NotAuthorizedException "Access Token does not have required scopes". A deployment error:
    /// 500 server_misconfigured, not a 401/403 blaming the caller's token.
    @Test func aTokenWithoutTheAdminScopeIsAServerMisconfiguration() async throws {
        try await EmulatorFixture.with(signingKeysPEM: TestSigningKeys.pem) { fixture in
            do {
                let environment = fixture.environment
                let token = try await fixture.accessTokenWithoutAdminScope()
                let me = try EndpointFactory.me(environment: environment, logger: logger)
                let logout = try EndpointFactory.logout(environment: environment, logger: logger)
                for (handler, method, path) in [(me, "GET", "/auth/me"), (logout, "POST", "/auth/logout")] {
                    let response = try await handler(HTTPRequest(method: method, rawPath: path, headers: ["Authorization": "Bearer \(token)"]), context())
                    #expect(response.status == 500, "\(path)")
                    #expect(try json(response)["code"] == .string("server_misconfigured"))
                    #expect(response.headers["WWW-Authenticate"].isEmpty, "not the caller's token's fault")
                }
            }
        }
    }
}
