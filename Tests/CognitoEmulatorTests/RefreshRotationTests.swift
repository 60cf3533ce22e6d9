import Foundation
import JSONValue
import LocalHarness
import Testing

import CognitoEmulator

@Suite("Refresh grant, refresh token rotation and revocation")
struct RefreshRotationTests {
    static func refresh(_ h: EmulatorFixture, _ token: String) async throws -> EmulatorFixture.Reply {
        try await h.token([("grant_type", "refresh_token"), ("refresh_token", token)])
    }

    static func revoke(_ h: EmulatorFixture, _ token: String) async throws -> EmulatorFixture.Reply {
        try await h.send(
            .POST, "/oauth2/revoke",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", "Basic " + Data("\(h.options.clientId):\(h.options.clientSecret ?? "")".utf8).base64EncodedString()),
            ],
            body: EmulatorFixture.form([("token", token)])
        )
    }

    static func revokeToken(_ h: EmulatorFixture, _ token: String) async throws -> EmulatorFixture.Reply {
        try await h.api("RevokeToken", ["Token": .string(token), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)])
    }

    static func rotating(grace: Int, _ configure: @escaping (inout EmulatorOptions) -> Void = { _ in }) -> (inout EmulatorOptions) -> Void {
        { options in
            options.refreshTokenRotation = true
            options.rotationGraceSeconds = grace
            configure(&options)
        }
    }

    @Test("without rotation: new access and ID tokens that work, no refresh_token, the old one keeps working")
    func noRotation() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let refresh = try #require(try await h.hostedUISignIn()["refresh_token"]?.stringValue)
            for _ in 0..<2 {
                let reply = try await Self.refresh(h, refresh)
                #expect(reply.status == 200)
                #expect(reply.json?["refresh_token"] == nil)
                #expect(reply.json?["id_token"]?.stringValue != nil)
                #expect(try await h.getUser(try #require(reply.json?["access_token"]?.stringValue)).status == 200)
                h.server.advanceClock(by: 3600)
            }
        }
    }

    @Test("rotation, no grace: a new refresh token each time; the submitted one is refused at once")
    func rotationNoGrace() async throws {
        try await EmulatorFixture.withTestAppClient(configure: Self.rotating(grace: 0)) { h in
            let first = try #require(try await h.hostedUISignIn()["refresh_token"]?.stringValue)
            let reply = try await Self.refresh(h, first)
            #expect(reply.status == 200)
            let second = try #require(reply.json?["refresh_token"]?.stringValue)
            #expect(second != first)
            #expect(second.split(separator: ".", omittingEmptySubsequences: false).count == 5)
            #expect(try await h.getUser(try #require(reply.json?["access_token"]?.stringValue)).status == 200)
            let old = try await Self.refresh(h, first)
            #expect(old.status == 400)
            #expect(old.json?["error"]?.stringValue == "invalid_grant")
            let third = try await Self.refresh(h, second)
            #expect(third.status == 200)
            #expect(third.json?["refresh_token"]?.stringValue.map { $0 != second && $0 != first } == true)
            #expect(try await Self.refresh(h, second).json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("rotation with a 30 s grace: the old token works within it (retries), not after; the clock is shifted, not waited for")
    func rotationGrace() async throws {
        // A stopped wall clock: only advanceClock moves time, so real seconds passing on a loaded
        // machine cannot push the retry at 29 s out of the 30 s grace.
        try await EmulatorFixture.withTestAppClient(configure: Self.rotating(grace: 30) { $0.now = { 1_800_000_000 } }) { h in
            let first = try #require(try await h.hostedUISignIn()["refresh_token"]?.stringValue)
            let second = try #require(try await Self.refresh(h, first).json?["refresh_token"]?.stringValue)
            h.server.advanceClock(by: 29)
            let retry = try await Self.refresh(h, first)
            #expect(retry.status == 200)
            let retried = try #require(retry.json?["refresh_token"]?.stringValue)
            // The retry did not restart the grace period: 30 s after the first rotation it is over.
            h.server.advanceClock(by: 1)
            let late = try await Self.refresh(h, first)
            #expect(late.status == 400)
            #expect(late.json?["error"]?.stringValue == "invalid_grant")
            // Both successors are live.
            #expect(try await Self.refresh(h, second).status == 200)
            #expect(try await Self.refresh(h, retried).status == 200)
        }
    }

    @Test("a rotated refresh token lives for the remaining time of the original, not a fresh lifetime")
    func rotationKeepsExpiry() async throws {
        try await EmulatorFixture.withTestAppClient(configure: Self.rotating(grace: 0) { $0.refreshTokenLifetime = 7200 }) { h in
            let first = try #require(try await h.hostedUISignIn()["refresh_token"]?.stringValue)
            h.server.advanceClock(by: 3600)
            let second = try #require(try await Self.refresh(h, first).json?["refresh_token"]?.stringValue)
            h.server.advanceClock(by: 3601)
            #expect(try await Self.refresh(h, second).json?["error"]?.stringValue == "invalid_grant")
        }
    }

    @Test("rotation: REFRESH_TOKEN_AUTH is refused; GetTokensFromRefreshToken rotates")
    func rotationJSONAPI() async throws {
        try await EmulatorFixture.withTestAppClient(configure: Self.rotating(grace: 0)) { h in
            let first = try #require(try await h.initiateAuth().json?["AuthenticationResult"]?["RefreshToken"]?.stringValue)
            let flow = try await h.api(
                "InitiateAuth",
                ["AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": .string(h.options.clientId), "AuthParameters": ["REFRESH_TOKEN": .string(first), "SECRET_HASH": .string(h.secretHash("demo"))]]
            )
            #expect(flow.json?["__type"]?.stringValue == "InvalidParameterException")
            let body: JSONValue = ["RefreshToken": .string(first), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)]
            let rotated = try await h.api("GetTokensFromRefreshToken", body)
            #expect(rotated.status == 200)
            let result = try #require(rotated.json?["AuthenticationResult"])
            let second = try #require(result["RefreshToken"]?.stringValue)
            #expect(second != first)
            #expect(try await h.getUser(try #require(result["AccessToken"]?.stringValue)).status == 200)
            let old = try await h.api("GetTokensFromRefreshToken", body)
            #expect(old.json?["__type"]?.stringValue == "NotAuthorizedException")
            #expect(old.json?["message"]?.stringValue == "Invalid Refresh Token")
            let badSecret = try await h.api("GetTokensFromRefreshToken", ["RefreshToken": .string(second), "ClientId": .string(h.options.clientId), "ClientSecret": "nope"])
            #expect(badSecret.json?["__type"]?.stringValue == "NotAuthorizedException")
            // A bad secret must not have rotated the token away.
            #expect(try await h.token([("grant_type", "refresh_token"), ("refresh_token", second)]).status == 200)
        }
        try await EmulatorFixture.withTestAppClient { h in
            let first = try #require(try await h.initiateAuth().json?["AuthenticationResult"]?["RefreshToken"]?.stringValue)
            let plain = try await h.api("GetTokensFromRefreshToken", ["RefreshToken": .string(first), "ClientId": .string(h.options.clientId), "ClientSecret": .string(EmulatorFixture.secret)])
            #expect(plain.status == 200)
            #expect(plain.json?["AuthenticationResult"]?["AccessToken"]?.stringValue != nil)
            #expect(plain.json?["AuthenticationResult"]?["RefreshToken"] == nil)
        }
    }

    @Test("/oauth2/revoke and RevokeToken revoke the refresh token and every access token of its rotation chain; twice is fine")
    func revokeRotated() async throws {
        for viaJSONAPI in [false, true] {
            try await EmulatorFixture.withTestAppClient(configure: Self.rotating(grace: 60)) { h in
                let tokens = try await h.hostedUISignIn()
                let first = try #require(tokens["refresh_token"]?.stringValue)
                let firstAccess = try #require(tokens["access_token"]?.stringValue)
                let rotated = try #require(try await Self.refresh(h, first).json)
                let second = try #require(rotated["refresh_token"]?.stringValue)
                let secondAccess = try #require(rotated["access_token"]?.stringValue)
                // Another sign-in of the same user is a separate session and stays signed in.
                let otherAccess = try #require(try await h.hostedUISignIn()["access_token"]?.stringValue)

                for _ in 0..<2 {
                    if viaJSONAPI {
                        let reply = try await Self.revokeToken(h, second)
                        #expect(reply.status == 200)
                        #expect(reply.json == .object([:]))
                    } else {
                        let reply = try await Self.revoke(h, second)
                        #expect(reply.status == 200)
                        #expect(reply.body.isEmpty)
                    }
                }
                for access in [firstAccess, secondAccess] {
                    let user = try await h.getUser(access)
                    #expect(user.status == 400)
                    #expect(user.json?["__type"]?.stringValue == "NotAuthorizedException")
                    #expect(user.json?["message"]?.stringValue == "Access Token has been revoked")
                }
                // Both refresh tokens are dead, even the first one inside its grace period.
                #expect(try await Self.refresh(h, second).json?["error"]?.stringValue == "invalid_grant")
                #expect(try await Self.refresh(h, first).json?["error"]?.stringValue == "invalid_grant")
                #expect(try await h.getUser(otherAccess).status == 200)
            }
        }
    }

    @Test("without rotation, both revoke paths revoke the refresh token and its access tokens")
    func revokeWithoutRotation() async throws {
        for viaJSONAPI in [false, true] {
            try await EmulatorFixture.withTestAppClient { h in
                let tokens = try await h.hostedUISignIn()
                let refresh = try #require(tokens["refresh_token"]?.stringValue)
                let refreshed = try #require(try await Self.refresh(h, refresh).json?["access_token"]?.stringValue)
                let reply = viaJSONAPI ? try await Self.revokeToken(h, refresh) : try await Self.revoke(h, refresh)
                #expect(reply.status == 200)
                for access in [try #require(tokens["access_token"]?.stringValue), refreshed] {
                    #expect(try await h.getUser(access).json?["message"]?.stringValue == "Access Token has been revoked")
                }
                let again = try await Self.refresh(h, refresh)
                #expect(again.status == 400)
                #expect(again.json?["error"]?.stringValue == "invalid_grant")
                #expect((viaJSONAPI ? try await Self.revokeToken(h, refresh) : try await Self.revoke(h, refresh)).status == 200)
            }
        }
    }

    @Test("the grace period must be 0...60 seconds")
    func graceRange() async throws {
        for grace in [-1, 61] {
            var options = EmulatorOptions()
            options.signingKeysPEM = EmulatorFixture.sharedPEM
            options.refreshTokenRotation = true
            options.rotationGraceSeconds = grace
            await #expect(throws: EmulatorConfigurationError.self) { _ = try await CognitoEmulatorServer.start(options) }
        }
    }
}
