import Foundation
import JSONValue
import LocalHarness
import Testing

import CognitoEmulator

@Suite("Hosted UI: authorize, token, userInfo, revoke, logout")
struct HostedUITests {
    @Test("authorization code + PKCE S256 with HTTP Basic client auth")
    func codeFlowS256() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let (reply, query) = try await h.authorize([("code_challenge", EmulatorFixture.challenge), ("code_challenge_method", "S256")])
            #expect(reply.status == 302)
            #expect(reply.header("Location")?.hasPrefix(EmulatorFixture.redirect + "?") == true)
            #expect(query["state"] == "st-123")
            let code = try #require(query["code"])
            let token = try await h.exchange(code)
            #expect(token.status == 200)
            #expect(token.header("Cache-Control")?.contains("no-store") == true)
            let json = try #require(token.json)
            #expect(json["token_type"]?.stringValue == "Bearer")
            #expect(json["expires_in"]?.int64Value == 3600)
            let access = try #require(json["access_token"]?.stringValue)
            let id = try #require(json["id_token"]?.stringValue)
            let refresh = try #require(json["refresh_token"]?.stringValue)
            #expect(refresh.split(separator: ".", omittingEmptySubsequences: false).count == 5)
            #expect(try await h.verifySignature(access))
            #expect(try await h.verifySignature(id))
        }
    }

    @Test("PKCE plain, public client authenticating with client_id in the body")
    func codeFlowPlainPublicClient() async throws {
        try await EmulatorFixture.withTestAppClient(secret: nil) { h in
            let verifier = String(repeating: "v", count: 50)
            let (reply, query) = try await h.authorize([("code_challenge", verifier), ("code_challenge_method", "plain")])
            #expect(reply.status == 302)
            let ok = try await h.exchange(try #require(query["code"]), verifier: verifier, auth: .none)
            #expect(ok.status == 200)
            #expect(ok.json?["access_token"]?.stringValue != nil)
        }
    }

    @Test("client_secret_post is accepted")
    func clientSecretPost() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let reply = try await h.exchange(try await h.code(), auth: .post)
            #expect(reply.status == 200)
        }
    }

    @Test("PKCE mismatch is invalid_grant and burns the code")
    func pkceMismatch() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let code = try await h.code()
            let wrong = try await h.exchange(code, verifier: String(repeating: "x", count: 43))
            #expect(wrong.status == 400)
            #expect(wrong.json?["error"]?.stringValue == "invalid_grant")
            let retry = try await h.exchange(code)
            #expect(retry.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("missing code_verifier for a PKCE code is invalid_request")
    func pkceMissingVerifier() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let reply = try await h.exchange(try await h.code(), verifier: nil)
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?.stringValue == "invalid_request")
        }
    }

    @Test("a code is single-use")
    func codeReuse() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let code = try await h.code()
            #expect(try await h.exchange(code).status == 200)
            let again = try await h.exchange(code)
            #expect(again.status == 400)
            #expect(again.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("a code expires after 5 minutes")
    func codeExpiry() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let code = try await h.code()
            h.server.advanceClock(by: 301)
            let reply = try await h.exchange(code)
            #expect(reply.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("redirect_uri differing from the authorize request is unauthorized_client")
    func redirectMismatchAtToken() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let reply = try await h.exchange(try await h.code(), redirect: "http://localhost:3000/other")
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?.stringValue == "unauthorized_client")
        }
    }

    @Test("an unregistered redirect_uri never gets a redirect")
    func redirectMismatchAtAuthorize() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let (reply, _) = try await h.authorize(redirect: "https://evil.example/cb")
            #expect(reply.status == 400)
            #expect(reply.header("Location") == nil)
            #expect(reply.text.contains("redirect_mismatch"))
        }
    }

    @Test("wrong or missing client secret is invalid_client")
    func wrongSecret() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let basic = try await h.exchange(try await h.code(), auth: .basicWithSecret("nope"))
            #expect(basic.status == 400)
            #expect(basic.json?["error"]?.stringValue == "invalid_client")
            let post = try await h.exchange(try await h.code(), auth: .postWithSecret("nope"))
            #expect(post.json?["error"]?.stringValue == "invalid_client")
            let none = try await h.exchange(try await h.code(), auth: .none)
            #expect(none.json?["error"]?.stringValue == "invalid_client")
        }
    }

    @Test("unknown grant_type and missing grant_type")
    func grantTypes() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let unsupported = try await h.token([("grant_type", "password")])
            #expect(unsupported.json?["error"]?.stringValue == "unsupported_grant_type")
            let missing = try await h.token([("code", "x")])
            #expect(missing.json?["error"]?.stringValue == "invalid_request")
        }
    }

    @Test("wrong password re-shows the form; no credentials shows the form")
    func loginForm() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let (wrong, _) = try await h.authorize(password: "bad")
            #expect(wrong.status == 200)
            #expect(wrong.header("Location") == nil)
            #expect(wrong.text.contains("Incorrect username or password."))
            #expect(!wrong.text.contains("bad\""))
            let form = try await h.send(.GET, "/oauth2/authorize?response_type=code&client_id=\(h.options.clientId)&redirect_uri=\(EmulatorFixture.encode(EmulatorFixture.redirect))&state=%3Cx%3E")
            #expect(form.status == 200)
            #expect(form.text.contains("<form method=\"post\" action=\"/oauth2/authorize\">"))
            #expect(form.text.contains("value=\"&lt;x&gt;\""))
            // Posting the form back logs in.
            let posted = try await h.send(
                .POST, "/oauth2/authorize", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: EmulatorFixture.form([
                    ("response_type", "code"), ("client_id", h.options.clientId), ("redirect_uri", EmulatorFixture.redirect),
                    ("username", "demo"), ("password", "Passw0rd!"),
                ])
            )
            #expect(posted.status == 302)
            #expect(EmulatorFixture.query(of: posted.header("Location") ?? "")["code"] != nil)
        }
    }

    @Test("invalid scope is redirected back as invalid_scope with state")
    func invalidScope() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let (reply, query) = try await h.authorize([("scope", "openid admin:everything")])
            #expect(reply.status == 302)
            #expect(query["error"] == "invalid_scope")
            #expect(query["state"] == "st-123")
        }
    }

    @Test("refresh_token grant: new access + ID token, same origin_jti, no new refresh token")
    func refreshGrant() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let first = try await h.hostedUISignIn()
            let refresh = try #require(first["refresh_token"]?.stringValue)
            let reply = try await h.token([("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["refresh_token"] == nil)
            let oldAccess = try EmulatorFixture.decode(try #require(first["access_token"]?.stringValue)).claims
            let newAccess = try EmulatorFixture.decode(try #require(json["access_token"]?.stringValue)).claims
            #expect(newAccess["origin_jti"] == oldAccess["origin_jti"])
            #expect(newAccess["jti"] != oldAccess["jti"])
            #expect(json["id_token"]?.stringValue != nil)
            let bogus = try await h.token([("grant_type", "refresh_token"), ("refresh_token", "nope")])
            #expect(bogus.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("userInfo: attributes for a valid token; 401 invalid_token when expired; 400 without a token")
    func userInfo() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let access = try #require(try await h.hostedUISignIn(scope: "openid email")["access_token"]?.stringValue)
            let ok = try await h.send(.GET, "/oauth2/userInfo", headers: [("Authorization", "Bearer \(access)")])
            #expect(ok.status == 200)
            #expect(ok.json?["email"]?.stringValue == "demo@example.com")
            #expect(ok.json?["email_verified"]?.stringValue == "true")
            #expect(ok.json?["username"]?.stringValue == "demo")
            #expect(ok.json?["sub"]?.stringValue != nil)
            #expect(ok.json?["name"] == nil)  // no profile scope
            let missing = try await h.send(.GET, "/oauth2/userInfo")
            #expect(missing.status == 400)
            h.server.advanceClock(by: 3601)
            let expired = try await h.send(.GET, "/oauth2/userInfo", headers: [("Authorization", "Bearer \(access)")])
            #expect(expired.status == 401)
            #expect(expired.json?["error"]?.stringValue == "invalid_token")
            #expect(expired.header("WWW-Authenticate")?.contains("invalid_token") == true)
        }
    }

    @Test("token revocation off on the app client: /oauth2/revoke 400 invalid_request, RevokeToken UnsupportedOperationException, nothing revoked")
    func revocationDisabled() async throws {
        try await EmulatorFixture.withTestAppClient(configure: { $0.tokenRevocation = false }) { h in
            let tokens = try await h.hostedUISignIn()
            let refresh = try #require(tokens["refresh_token"]?.stringValue)
            let refused = try await h.send(
                .POST, "/oauth2/revoke", headers: [("Authorization", basic(h)), ("Content-Type", "application/x-www-form-urlencoded")],
                body: EmulatorFixture.form([("token", refresh)])
            )
            #expect(refused.status == 400)
            #expect(refused.json?["error"]?.stringValue == "invalid_request")
            let api = try await h.api(
                "RevokeToken", .object(["Token": .string(refresh), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)]))
            #expect(api.status == 400)
            #expect(api.json?["__type"]?.stringValue == "UnsupportedOperationException")
            let still = try await h.token([("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(still.status == 200, "the refresh token still works")
        }
    }

    @Test("a token without aws.cognito.signin.user.admin: GetUser and GlobalSignOut answer Cognito's 'required scopes' refusal")
    func missingAdminScope() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let tokens = try await h.hostedUISignIn(scope: "openid email")
            let access = try #require(tokens["access_token"]?.stringValue)
            for operation in ["GetUser", "GlobalSignOut"] {
                let reply = try await h.api(operation, .object(["AccessToken": .string(access)]))
                #expect(reply.status == 400)
                #expect(reply.json?["__type"]?.stringValue == "NotAuthorizedException")
                #expect(reply.json?["message"]?.stringValue == "Access Token does not have required scopes")
            }
        }
    }

    @Test("a cookieBreakingRefreshToken fault appends attributes to the token endpoint's refresh_token, once")
    func cookieBreakingRefreshTokenFault() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            try await h.addFaults(#"{"operation":"Token","kind":"cookieBreakingRefreshToken","count":1}"#)
            let broken = try #require(try await h.hostedUISignIn()["refresh_token"]?.stringValue)
            #expect(broken.hasSuffix("; Domain=attacker.example; Max-Age=999999999"))
            let fine = try #require(try await h.hostedUISignIn()["refresh_token"]?.stringValue)
            #expect(!fine.contains(";"))
        }
    }

    @Test("/oauth2/revoke revokes the refresh token and the access tokens minted from it")
    func revokeEndpoint() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let tokens = try await h.hostedUISignIn()
            let access = try #require(tokens["access_token"]?.stringValue)
            let refresh = try #require(tokens["refresh_token"]?.stringValue)
            let accessRevoke = try await h.send(
                .POST, "/oauth2/revoke", headers: [("Authorization", basic(h)), ("Content-Type", "application/x-www-form-urlencoded")],
                body: "token=\(access)"
            )
            #expect(accessRevoke.status == 400)
            #expect(accessRevoke.json?["error"]?.stringValue == "unsupported_token_type")
            let badClient = try await h.send(
                .POST, "/oauth2/revoke", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: EmulatorFixture.form([("token", refresh), ("client_id", h.options.clientId)])
            )
            #expect(badClient.json?["error"]?.stringValue == "invalid_client")
            let revoked = try await h.send(
                .POST, "/oauth2/revoke", headers: [("Authorization", basic(h)), ("Content-Type", "application/x-www-form-urlencoded")],
                body: EmulatorFixture.form([("token", refresh)])
            )
            #expect(revoked.status == 200)
            #expect(revoked.body.isEmpty)
            let user = try await h.getUser(access)
            #expect(user.json?["message"]?.stringValue == "Access Token has been revoked")
            let again = try await h.token([("grant_type", "refresh_token"), ("refresh_token", refresh)])
            #expect(again.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("/logout redirects to a registered sign-out URL only")
    func logout() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let ok = try await h.send(.GET, "/logout?client_id=\(h.options.clientId)&logout_uri=\(EmulatorFixture.encode(EmulatorFixture.redirect))")
            #expect(ok.status == 302)
            #expect(ok.header("Location") == EmulatorFixture.redirect)
            let bad = try await h.send(.GET, "/logout?client_id=\(h.options.clientId)&logout_uri=\(EmulatorFixture.encode("https://evil.example/"))")
            #expect(bad.status == 400)
            #expect(bad.header("Location") == nil)
        }
    }

    private func basic(_ h: EmulatorFixture) -> String {
        "Basic " + Data("\(h.options.clientId):\(h.options.clientSecret ?? "")".utf8).base64EncodedString()
    }
}
