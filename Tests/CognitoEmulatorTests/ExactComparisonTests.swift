import Foundation
import JSONValue
import LocalHarness
import Testing

@testable import CognitoEmulator

/// Canonically equivalent but different spellings: equal for Swift's `String ==`, different
/// for OAuth and JOSE, so every access decision must refuse them.
@Suite("Byte-exact comparisons in access decisions")
struct ExactComparisonTests {
    static let composed = "https://app.example.com/caf\u{e9}"  // é as U+00E9
    static let decomposed = "https://app.example.com/cafe\u{301}"  // e + COMBINING ACUTE ACCENT

    @Test("the premise: Swift's String == conflates these spellings, Exact does not")
    func premise() {
        #expect(Self.composed == Self.decomposed)
        #expect("\u{212A}" == "K")
        #expect(!Exact.equals(Self.composed, Self.decomposed))
        #expect(!Exact.equals("\u{212A}", "K"))
        #expect(Exact.equals(Self.composed, Self.composed))
        #expect(!Exact.contains([Self.composed], Self.decomposed))
        #expect(!Exact.equals(nil, ""))
        #expect(Exact.credentials("bAsIc abc", scheme: "Basic") == "abc")
        #expect(Exact.credentials("Basic", scheme: "Basic") == nil)
        #expect(Exact.credentials("Basi\u{63}\u{301} abc", scheme: "Basic") == nil)
        #expect(Exact.split("a.b.\u{301}c", on: UInt8(ascii: ".")).count == 3)
    }

    @Test("redirect_uri: an equivalent spelling is not the registered one, at authorize and at the token endpoint")
    func redirectURI() async throws {
        try await EmulatorFixture.withTestAppClient(configure: { $0.redirectURIs = [Self.composed] }) { h in
            let refused = try await h.authorize(redirect: Self.decomposed).reply
            #expect(refused.status == 400)
            #expect(refused.header("Location") == nil)
            #expect(refused.text.contains("redirect_mismatch"))

            let (issued, query) = try await h.authorize([("code_challenge", EmulatorFixture.challenge), ("code_challenge_method", "S256")], redirect: Self.composed)
            #expect(issued.status == 302)
            let code = try #require(query["code"])
            let swapped = try await h.exchange(code, redirect: Self.decomposed)
            #expect(swapped.status == 400)
            #expect(swapped.json?["error"]?.stringValue == "unauthorized_client")

            let logout = try await h.send(.GET, "/logout?client_id=\(h.options.clientId)&logout_uri=\(EmulatorFixture.encode(Self.decomposed))")
            #expect(logout.status == 400)
            #expect(logout.header("Location") == nil)
        }
    }

    @Test("client_id: an equivalent spelling is another client (Basic, form and authorize)")
    func clientId() async throws {
        try await EmulatorFixture.withTestAppClient(configure: { $0.clientId = "client-caf\u{e9}" }) { h in
            let other = "client-cafe\u{301}"
            let basic = try await h.send(
                .POST, "/oauth2/token",
                headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Authorization", "Basic " + Data("\(other):\(EmulatorFixture.secret)".utf8).base64EncodedString()),
                ],
                body: "grant_type=refresh_token&refresh_token=x"
            )
            #expect(basic.json?["error"]?.stringValue == "invalid_client")
            let form = try await h.send(
                .POST, "/oauth2/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: EmulatorFixture.form([("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_id", other), ("client_secret", EmulatorFixture.secret)])
            )
            #expect(form.json?["error"]?.stringValue == "invalid_client")
            let authorize = try await h.send(
                .GET, "/oauth2/authorize?" + EmulatorFixture.form([("response_type", "code"), ("client_id", other), ("redirect_uri", EmulatorFixture.redirect)])
            )
            #expect(authorize.status == 400)
            #expect(authorize.text.contains("invalid_client"))
            // The exact spelling still works.
            #expect(try await h.token([("grant_type", "refresh_token"), ("refresh_token", "x")]).json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("refresh token: KELVIN SIGN for K is another token (grant, revoke)")
    func refreshToken() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let tokens = try await h.hostedUISignIn()
            let refresh = try #require(tokens["refresh_token"]?.stringValue)
            let access = try #require(tokens["access_token"]?.stringValue)
            // The JWE-shaped header part always has a K ("eyJjdHkiOiJKV1Qi...").
            let kelvin = try #require(refresh.firstRange(of: "K").map { refresh.replacingCharacters(in: $0, with: "\u{212A}") })
            #expect(kelvin == refresh)  // equal to Swift...
            #expect(!Exact.equals(kelvin, refresh))  // ...but not the same bytes
            let refused = try await h.token([("grant_type", "refresh_token"), ("refresh_token", kelvin)])
            #expect(refused.status == 400)
            #expect(refused.json?["error"]?.stringValue == "invalid_grant")
            let revoke = try await h.send(
                .POST, "/oauth2/revoke",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", "Basic " + Data("\(h.options.clientId):\(EmulatorFixture.secret)".utf8).base64EncodedString())],
                body: EmulatorFixture.form([("token", kelvin)])
            )
            #expect(revoke.status == 200)
            // Nothing was revoked: the real token and its access token still work.
            #expect(try await h.getUser(access).status == 200)
            #expect(try await h.token([("grant_type", "refresh_token"), ("refresh_token", refresh)]).status == 200)
            let jsonRevoke = try await h.api("RevokeToken", ["Token": .string(kelvin), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)])
            #expect(jsonRevoke.status == 200)
            #expect(try await h.getUser(access).status == 200)
            let initiate = try await h.api(
                "InitiateAuth",
                ["AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": .string(h.options.clientId), "AuthParameters": ["REFRESH_TOKEN": .string(kelvin), "SECRET_HASH": .string(h.secretHash("demo"))]]
            )
            #expect(initiate.json?["message"]?.stringValue == "Invalid Refresh Token")
        }
    }

    @Test("username and password: an equivalent spelling does not sign in")
    func credentials() async throws {
        let user = EmulatorUser(username: "jos\u{e9}", password: "p\u{e9}ssword-123", attributes: ["email": "jos\u{e9}@example.com"])
        try await EmulatorFixture.withTestAppClient(secret: nil, configure: { $0.users = [user] }) { h in
            #expect(try await h.initiateAuth(username: "jos\u{e9}", password: "p\u{e9}ssword-123").status == 200)
            #expect(try await h.initiateAuth(username: "jose\u{301}", password: "p\u{e9}ssword-123").json?["__type"]?.stringValue == "NotAuthorizedException")
            #expect(try await h.initiateAuth(username: "jos\u{e9}", password: "pe\u{301}ssword-123").json?["__type"]?.stringValue == "NotAuthorizedException")
            // The email alias too.
            #expect(try await h.initiateAuth(username: "jos\u{e9}@example.com", password: "p\u{e9}ssword-123").status == 200)
            #expect(try await h.initiateAuth(username: "jose\u{301}@example.com", password: "p\u{e9}ssword-123").json?["__type"]?.stringValue == "NotAuthorizedException")
            let form = try await h.authorize(username: "jose\u{301}", password: "p\u{e9}ssword-123").reply
            #expect(form.status == 200)  // the login form again, no code
            #expect(form.text.contains("Incorrect username or password."))
        }
    }

    @Test("PKCE: equivalent verifier or challenge spellings do not match")
    func pkce() async throws {
        let padding = String(repeating: "x", count: 43)
        #expect(!TokenEndpoint.pkceMatches(verifier: "cafe\u{301}" + padding, challenge: "caf\u{e9}" + padding, method: "plain"))
        #expect(TokenEndpoint.pkceMatches(verifier: "caf\u{e9}" + padding, challenge: "caf\u{e9}" + padding, method: "plain"))
        let kelvinChallenge = EmulatorFixture.challenge.replacing("K", with: "\u{212A}")
        #expect(kelvinChallenge == EmulatorFixture.challenge && !Exact.equals(kelvinChallenge, EmulatorFixture.challenge))
        #expect(!TokenEndpoint.pkceMatches(verifier: EmulatorFixture.verifier, challenge: kelvinChallenge, method: "S256"))
        try await EmulatorFixture.withTestAppClient { h in
            let (reply, query) = try await h.authorize([("code_challenge", "caf\u{e9}" + padding), ("code_challenge_method", "plain")])
            #expect(reply.status == 302)
            let swapped = try await h.exchange(try #require(query["code"]), verifier: "cafe\u{301}" + padding)
            #expect(swapped.json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("scopes, auth flow and parameter names are matched byte-exactly")
    func names() async throws {
        try await EmulatorFixture.withTestAppClient(configure: { $0.allowedScopes = ["openid", "custom/caf\u{e9}", "aws.cognito.signin.user.admin"] }) { h in
            let (reply, query) = try await h.authorize([("scope", "openid custom/cafe\u{301}")])
            #expect(reply.status == 302)
            #expect(query["error"] == "invalid_scope")
            #expect(try await h.authorize([("scope", "openid custom/caf\u{e9}")]).query["code"] != nil)

            let flow = try await h.api(
                "InitiateAuth", ["AuthFlow": "REFRESH_TO\u{212A}EN_AUTH", "ClientId": .string(h.options.clientId), "AuthParameters": ["REFRESH_TOKEN": "x"]]
            )
            #expect(flow.json?["__type"]?.stringValue == "InvalidParameterException")
            #expect(flow.json?["message"]?.stringValue?.contains("failed to satisfy constraint") == true)
            let parameter = try await h.api(
                "InitiateAuth", ["AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": .string(h.options.clientId), "AuthParameters": ["REFRESH_TO\u{212A}EN": "x"]]
            )
            #expect(parameter.json?["message"]?.stringValue == "Missing required parameter REFRESH_TOKEN")
        }
    }
}
