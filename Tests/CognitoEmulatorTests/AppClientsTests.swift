import CognitoEmulator
import Foundation
import JSONValue
import LocalHarness
import Testing

/// Issue 21: what a real deployment's pool issues — several app clients (one confidential,
/// client-credentials), the UPDATED issuer or a replica Region's, `aud` from `resource`, a pre
/// token generation trigger's claims — and Cognito's per-user GetUser quota.
@Suite("App clients, machine tokens, issuer forms, audience, custom claims, GetUser quota")
struct AppClientsTests {
    static let service = EmulatorAppClient.service
    static let mobile = EmulatorAppClient.mobile

    static func basic(_ client: EmulatorAppClient, secret: String? = nil) -> (String, String) {
        ("Authorization", "Basic " + Data("\(client.clientId):\(secret ?? client.clientSecret ?? "")".utf8).base64EncodedString())
    }

    static func clientCredentials(_ h: EmulatorFixture, _ pairs: [(String, String)], client: EmulatorAppClient = service, secret: String? = nil)
        async throws -> EmulatorFixture.Reply
    {
        try await h.send(
            .POST, "/oauth2/token", headers: [("Content-Type", "application/x-www-form-urlencoded"), basic(client, secret: secret)],
            body: EmulatorFixture.form([("grant_type", "client_credentials")] + pairs))
    }

    @Test("client credentials: a machine token in Cognito's shape, with resource-server scopes")
    func clientCredentialsGrant() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let reply = try await Self.clientCredentials(h, [])
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["token_type"]?.stringValue == "Bearer")
            #expect(json["expires_in"]?.int64Value == 3600)
            #expect(json["id_token"] == nil && json["refresh_token"] == nil)
            let token = try #require(json["access_token"]?.stringValue)
            let claims = try EmulatorFixture.decode(token).claims
            #expect(Set(claims.keys) == ["sub", "token_use", "scope", "auth_time", "iss", "exp", "iat", "version", "jti", "client_id"])
            #expect(claims["sub"]?.stringValue == Self.service.clientId)
            #expect(claims["client_id"]?.stringValue == Self.service.clientId)
            #expect(claims["token_use"]?.stringValue == "access")
            #expect(claims["scope"]?.stringValue == "https://api.example.com/reports.read https://api.example.com/reports.write")
            #expect(try await h.verifySignature(token))

            let narrowed = try await Self.clientCredentials(h, [("scope", "https://api.example.com/reports.read"), ("resource", "https://api.example.com")])
            let narrowedClaims = try EmulatorFixture.decode(try #require(narrowed.json?["access_token"]?.stringValue)).claims
            #expect(narrowedClaims["scope"]?.stringValue == "https://api.example.com/reports.read")
            #expect(narrowedClaims["aud"]?.stringValue == "https://api.example.com")
        }
    }

    @Test("client credentials refusals: wrong secret, a user client, a scope not allowed, an unknown resource")
    func clientCredentialsRefusals() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            #expect(try await Self.clientCredentials(h, [], secret: "wrong").json?["error"]?.stringValue == "invalid_client")
            // The main (confidential, user) client has no client-credentials grant.
            let user = EmulatorAppClient(clientId: h.options.clientId, clientSecret: h.options.clientSecret, allowedScopes: [])
            #expect(try await Self.clientCredentials(h, [], client: user).json?["error"]?.stringValue == "unauthorized_client")
            #expect(try await Self.clientCredentials(h, [("scope", "openid")]).json?["error"]?.stringValue == "invalid_scope")
            #expect(try await Self.clientCredentials(h, [("scope", "https://api.example.com/reports.delete")]).json?["error"]?.stringValue == "invalid_scope")
            #expect(try await Self.clientCredentials(h, [("resource", "https://other.example.com")]).json?["error"]?.stringValue == "invalid_target")
            // And the machine client has no user flows.
            let authorizationCode = try await h.send(
                .POST, "/oauth2/token", headers: [("Content-Type", "application/x-www-form-urlencoded"), Self.basic(Self.service)],
                body: EmulatorFixture.form([("grant_type", "authorization_code"), ("code", "x"), ("redirect_uri", EmulatorFixture.redirect)]))
            #expect(authorizationCode.json?["error"]?.stringValue == "unauthorized_client")
        }
    }

    @Test("GetClientToken: the same machine token through the JSON API")
    func getClientToken() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let reply = try await h.api(
                "GetClientToken",
                .object(["ClientId": .string(Self.service.clientId), "Secret": .string(Self.service.clientSecret!),
                         "Scopes": .array([.string("https://api.example.com/reports.read")])]))
            #expect(reply.status == 200)
            let result = try #require(reply.json?["ClientAuthenticationResult"])
            #expect(result["TokenType"]?.stringValue == "Bearer")
            #expect(result["ExpiresIn"]?.int64Value == 3600)
            let claims = try EmulatorFixture.decode(try #require(result["AccessToken"]?.stringValue)).claims
            #expect(claims["client_id"]?.stringValue == Self.service.clientId)
            #expect(claims["scope"]?.stringValue == "https://api.example.com/reports.read")
            #expect(claims["username"] == nil)

            let wrongSecret = try await h.api("GetClientToken", .object(["ClientId": .string(Self.service.clientId), "Secret": .string("nope")]))
            #expect(wrongSecret.json?["__type"]?.stringValue == "NotAuthorizedException")
            let userClient = try await h.api("GetClientToken", .object(["ClientId": .string(h.options.clientId), "Secret": .string(h.options.clientSecret!)]))
            #expect(userClient.json?["__type"]?.stringValue == "InvalidParameterException")
        }
    }

    @Test("a second public client signs users in; its tokens carry its client_id and pass GetUser")
    func secondClient() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let tokens = try await h.signIn(clientId: Self.mobile.clientId)
            let claims = try EmulatorFixture.decode(tokens.accessToken).claims
            #expect(claims["client_id"]?.stringValue == Self.mobile.clientId)
            let user = try await h.getUser(tokens.accessToken)
            #expect(user.status == 200)
            #expect(user.json?["Username"]?.stringValue == "demo")
            // A machine token is no user's: GetUser refuses it.
            let machine = try await h.clientCredentialsToken()
            #expect(try await h.getUser(machine).json?["__type"]?.stringValue == "NotAuthorizedException")
        }
    }

    @Test("the UPDATED issuer form and a replica Region's issuer, in tokens and discovery")
    func issuerForms() async throws {
        for (form, region, expected) in [
            (EmulatorOptions.IssuerForm.updated, nil as String?, "https://issuer-cognito-idp.us-east-1.amazonaws.com/"),
            (.original, "eu-west-1", "https://cognito-idp.eu-west-1.amazonaws.com/"),
            (.updated, "eu-west-1", "https://issuer-cognito-idp.eu-west-1.amazonaws.com/"),
        ] {
            try await EmulatorFixture.withTestAppClient(secret: nil, configure: { $0.issuerForm = form; $0.issuerRegion = region }) { h in
                let issuer = expected + h.options.userPoolId
                let token = try await h.signIn().accessToken
                #expect(try EmulatorFixture.decode(token).claims["iss"]?.stringValue == issuer)
                #expect(try await h.getUser(token).status == 200)
                let discovery = try await h.send(.GET, "/\(h.options.userPoolId)/.well-known/openid-configuration")
                #expect(discovery.json?["issuer"]?.stringValue == issuer)
            }
        }
    }

    @Test("resource on /oauth2/authorize becomes aud, kept across a refresh; an unknown one is invalid_target")
    func resourceBinding() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let (reply, query) = try await h.authorize([
                ("code_challenge", EmulatorFixture.challenge), ("code_challenge_method", "S256"), ("resource", "https://api.example.com"),
            ])
            #expect(reply.status == 302)
            let code = try #require(query["code"])
            let tokens = try #require(try await h.exchange(code).json)
            let access = try EmulatorFixture.decode(try #require(tokens["access_token"]?.stringValue)).claims
            #expect(access["aud"]?.stringValue == "https://api.example.com")
            let refreshed = try await h.token([("grant_type", "refresh_token"), ("refresh_token", try #require(tokens["refresh_token"]?.stringValue))])
            let again = try EmulatorFixture.decode(try #require(refreshed.json?["access_token"]?.stringValue)).claims
            #expect(again["aud"]?.stringValue == "https://api.example.com")

            let (unknown, unknownQuery) = try await h.authorize([("resource", "https://evil.example")])
            #expect(unknown.status == 302)
            #expect(unknownQuery["error"] == "invalid_target")
        }
    }

    @Test("a pre token generation trigger's claims reach access and ID tokens; Cognito's own claims cannot be added")
    func customClaims() async throws {
        let tenant = EmulatorUser(username: "ann", password: "Passw0rd!", claims: ["custom:tenant": "acme", "role": "auditor"])
        try await EmulatorFixture.withTestAppClient(secret: nil, configure: { $0.users = [tenant] }) { h in
            let reply = try await h.initiateAuth(username: "ann")
            let result = try #require(reply.json?["AuthenticationResult"])
            let access = try EmulatorFixture.decode(try #require(result["AccessToken"]?.stringValue)).claims
            let id = try EmulatorFixture.decode(try #require(result["IdToken"]?.stringValue)).claims
            #expect(access["custom:tenant"]?.stringValue == "acme")
            #expect(access["role"]?.stringValue == "auditor")
            #expect(id["custom:tenant"]?.stringValue == "acme")
        }
        var options = EmulatorFixture.makeOptions(signingKeysPEM: EmulatorFixture.sharedPEM)
        options.users = [EmulatorUser(username: "x", password: "Passw0rd!", claims: ["client_id": "other"])]
        await #expect(throws: EmulatorConfigurationError.self) { _ = try await CognitoEmulatorServer.start(options) }
    }

    @Test("GetUser: at most N reads per user per second on the emulator's clock, then TooManyRequestsException")
    func getUserQuota() async throws {
        let other = EmulatorUser(username: "ann", password: "Passw0rd!")
        try await EmulatorFixture.withTestAppClient(secret: nil, configure: {
            $0.getUserReadsPerSecond = 10
            $0.users = [.demo, other]
            $0.now = { 1_800_000_000 }  // frozen: only advanceClock moves it
        }) { h in
            let token = try await h.signIn().accessToken
            for _ in 0..<10 { #expect(try await h.getUser(token).status == 200) }
            let eleventh = try await h.getUser(token)
            #expect(eleventh.status == 400)
            #expect(eleventh.json?["__type"]?.stringValue == "TooManyRequestsException")
            // Per user: another user's reads are counted on their own.
            let annReply = try await h.initiateAuth(username: "ann")
            let annToken = try #require(annReply.json?["AuthenticationResult"]?["AccessToken"]?.stringValue)
            #expect(try await h.getUser(annToken).status == 200)
            // A second later on the emulator's clock the window has moved on.
            h.advanceClock(by: 1.001)
            #expect(try await h.getUser(token).status == 200)
        }
    }
}
