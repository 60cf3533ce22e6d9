import CognitoEmulator
import Foundation
import JSONValue
import LocalHarness
import Testing

@Suite("JSON API: InitiateAuth, GetUser, GlobalSignOut, RevokeToken")
struct JSONAPITests {
    private func authResult(_ reply: EmulatorFixture.Reply) throws -> JSONValue {
        try #require(reply.json?["AuthenticationResult"])
    }

    private func expectError(_ reply: EmulatorFixture.Reply, _ type: String, _ message: String?, status: Int = 400, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, sourceLocation: sourceLocation)
        #expect(reply.json?["__type"]?.stringValue == type, sourceLocation: sourceLocation)
        if let message { #expect(reply.json?["message"]?.stringValue == message, sourceLocation: sourceLocation) }
        #expect(reply.header("x-amzn-ErrorType")?.hasPrefix(type + ":") == true, sourceLocation: sourceLocation)
        #expect(reply.header("x-amzn-RequestId")?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(reply.header("Content-Type") == "application/x-amz-json-1.1", sourceLocation: sourceLocation)
    }

    @Test("InitiateAuth USER_PASSWORD_AUTH with SECRET_HASH returns the three tokens")
    func initiateAuthOK() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let reply = try await h.initiateAuth()
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "application/x-amz-json-1.1")
            let result = try authResult(reply)
            #expect(result["TokenType"]?.stringValue == "Bearer")
            #expect(result["ExpiresIn"]?.int64Value == 3600)
            #expect(result["RefreshToken"]?.stringValue != nil)
            #expect(reply.json?["ChallengeParameters"]?.objectValue?.isEmpty == true)
            let access = try EmulatorFixture.decode(try #require(result["AccessToken"]?.stringValue))
            #expect(access.claims["scope"]?.stringValue == "aws.cognito.signin.user.admin")
            #expect(try await h.verifySignature(try #require(result["IdToken"]?.stringValue)))
        }
    }

    @Test("InitiateAuth errors: wrong password, unknown user, secret hash missing or wrong, unknown client, bad flow")
    func initiateAuthErrors() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            expectError(try await h.initiateAuth(password: "wrong"), "NotAuthorizedException", "Incorrect username or password.")
            expectError(try await h.initiateAuth(username: "nobody"), "NotAuthorizedException", "Incorrect username or password.")
            let noHash = try await h.api(
                "InitiateAuth",
                .object(["AuthFlow": "USER_PASSWORD_AUTH", "ClientId": .string(h.options.clientId), "AuthParameters": ["USERNAME": "demo", "PASSWORD": "Passw0rd!"]])
            )
            expectError(noHash, "NotAuthorizedException", "Client \(h.options.clientId) is configured for secret but secret was not received")
            let badHash = try await h.api(
                "InitiateAuth",
                .object([
                    "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": .string(h.options.clientId),
                    "AuthParameters": ["USERNAME": "demo", "PASSWORD": "Passw0rd!", "SECRET_HASH": "AAAA"],
                ])
            )
            expectError(badHash, "NotAuthorizedException", "Unable to verify secret hash for client \(h.options.clientId)")
            let badClient = try await h.api("InitiateAuth", .object(["AuthFlow": "USER_PASSWORD_AUTH", "ClientId": "other", "AuthParameters": [:]]))
            expectError(badClient, "ResourceNotFoundException", "User pool client other does not exist.")
            let srp = try await h.api("InitiateAuth", .object(["AuthFlow": "USER_SRP_AUTH", "ClientId": .string(h.options.clientId), "AuthParameters": [:]]))
            expectError(srp, "InvalidParameterException", nil)
        }
    }

    @Test("InitiateAuth REFRESH_TOKEN_AUTH mints new tokens without a refresh token")
    func refreshTokenAuth() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let refresh = try #require(try authResult(try await h.initiateAuth())["RefreshToken"]?.stringValue)
            let reply = try await h.api(
                "InitiateAuth",
                .object([
                    "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": .string(h.options.clientId),
                    "AuthParameters": ["REFRESH_TOKEN": .string(refresh), "SECRET_HASH": .string(h.secretHash("demo"))],
                ])
            )
            #expect(reply.status == 200)
            let result = try authResult(reply)
            #expect(result["AccessToken"]?.stringValue != nil)
            #expect(result["RefreshToken"] == nil)
            let bogus = try await h.api(
                "InitiateAuth",
                .object([
                    "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": .string(h.options.clientId),
                    "AuthParameters": ["REFRESH_TOKEN": "nope", "SECRET_HASH": .string(h.secretHash("demo"))],
                ])
            )
            expectError(bogus, "NotAuthorizedException", "Invalid Refresh Token")
        }
    }

    @Test("GetUser returns username and attributes, sub first")
    func getUserOK() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let access = try #require(try authResult(try await h.initiateAuth())["AccessToken"]?.stringValue)
            let reply = try await h.getUser(access)
            #expect(reply.status == 200)
            #expect(reply.json?["Username"]?.stringValue == "demo")
            let attributes = try #require(reply.json?["UserAttributes"]?.arrayValue)
            #expect(attributes.first?["Name"]?.stringValue == "sub")
            let email = attributes.first(where: { $0["Name"]?.stringValue == "email" })
            #expect(email?["Value"]?.stringValue == "demo@example.com")
            let claims = try EmulatorFixture.decode(access).claims
            #expect(attributes.first?["Value"] == claims["sub"])
        }
    }

    @Test("GetUser: expired, tampered and wrong-scope tokens")
    func getUserRefusals() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let access = try #require(try authResult(try await h.initiateAuth())["AccessToken"]?.stringValue)
            var tampered = Array(access)
            tampered[tampered.count - 5] = tampered[tampered.count - 5] == "A" ? "B" : "A"
            expectError(try await h.getUser(String(tampered)), "NotAuthorizedException", "Invalid Access Token")
            expectError(try await h.getUser("not-a-token"), "NotAuthorizedException", "Invalid Access Token")
            // A hosted-UI token without aws.cognito.signin.user.admin cannot call GetUser.
            let limited = try #require(try await h.hostedUISignIn(scope: "openid email")["access_token"]?.stringValue)
            expectError(try await h.getUser(limited), "NotAuthorizedException", "Access Token does not have required scopes")
            h.server.advanceClock(by: 3601)
            expectError(try await h.getUser(access), "NotAuthorizedException", "Access Token has expired")
            expectError(try await h.api("GetUser", .object([:])), "InvalidParameterException", nil)
        }
    }

    @Test("GlobalSignOut revokes every access and refresh token the user had")
    func globalSignOut() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let first = try authResult(try await h.initiateAuth())
            let hosted = try await h.hostedUISignIn()
            let access = try #require(first["AccessToken"]?.stringValue)
            let out = try await h.api("GlobalSignOut", .object(["AccessToken": .string(access)]))
            #expect(out.status == 200)
            #expect(out.json == .object([:]))
            expectError(try await h.getUser(access), "NotAuthorizedException", "Access Token has been revoked")
            expectError(try await h.getUser(try #require(hosted["access_token"]?.stringValue)), "NotAuthorizedException", "Access Token has been revoked")
            let refresh = try await h.api(
                "InitiateAuth",
                .object([
                    "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": .string(h.options.clientId),
                    "AuthParameters": ["REFRESH_TOKEN": .string(try #require(first["RefreshToken"]?.stringValue)), "SECRET_HASH": .string(h.secretHash("demo"))],
                ])
            )
            expectError(refresh, "NotAuthorizedException", "Refresh Token has been revoked")
            let hostedRefresh = try await h.token([("grant_type", "refresh_token"), ("refresh_token", try #require(hosted["refresh_token"]?.stringValue))])
            #expect(hostedRefresh.json?["error"]?.stringValue == "invalid_grant")
            expectError(try await h.api("GlobalSignOut", .object(["AccessToken": .string(access)])), "NotAuthorizedException", "Access Token has been revoked")
            // A new sign-in works again.
            let fresh = try #require(try authResult(try await h.initiateAuth())["AccessToken"]?.stringValue)
            #expect(try await h.getUser(fresh).status == 200)
        }
    }

    @Test("RevokeToken revokes the refresh token and its access tokens only")
    func revokeToken() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let a = try authResult(try await h.initiateAuth())
            let b = try authResult(try await h.initiateAuth())
            let refresh = try #require(a["RefreshToken"]?.stringValue)
            let wrongType = try await h.api(
                "RevokeToken",
                .object(["Token": .string(try #require(a["AccessToken"]?.stringValue)), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)])
            )
            expectError(wrongType, "UnsupportedTokenTypeException", nil)
            let badSecret = try await h.api("RevokeToken", .object(["Token": .string(refresh), "ClientId": .string(h.options.clientId), "ClientSecret": "nope"]))
            expectError(badSecret, "UnauthorizedException", nil)
            let ok = try await h.api("RevokeToken", .object(["Token": .string(refresh), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)]))
            #expect(ok.status == 200)
            #expect(ok.json == .object([:]))
            expectError(try await h.getUser(try #require(a["AccessToken"]?.stringValue)), "NotAuthorizedException", "Access Token has been revoked")
            #expect(try await h.getUser(try #require(b["AccessToken"]?.stringValue)).status == 200)
        }
    }

    @Test("unknown target, missing target and a non-JSON body")
    func protocolErrors() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let unknown = try await h.api("AdminDeleteUser", .object([:]))
            #expect(unknown.status == 400)
            #expect(unknown.json?["__type"]?.stringValue?.hasSuffix("UnknownOperationException") == true)
            #expect(unknown.header("x-amzn-ErrorType")?.hasPrefix("UnknownOperationException") == true)
            let none = try await h.send(.POST, "/", body: "{}")
            #expect(none.json?["__type"]?.stringValue?.hasSuffix("UnknownOperationException") == true)
            let garbage = try await h.send(.POST, "/", headers: [("X-Amz-Target", "AWSCognitoIdentityProviderService.GetUser")], body: "{nope")
            #expect(garbage.status == 400)
            #expect(garbage.json?["__type"]?.stringValue?.hasSuffix("SerializationException") == true)
        }
    }
}
