import AsyncHTTPClient
import CognitoEmulator
import Foundation
import JSONValue
import LocalHarness
import NIOCore
import Testing

@Suite("Fault injection per operation")
struct FaultInjectionTests {
    private func inject(_ h: EmulatorFixture, _ json: String) async throws {
        let reply = try await h.send(.POST, "/_emulator/faults", headers: [("Content-Type", "application/json")], body: json)
        #expect(reply.status == 201, "fault rejected: \(reply.text)")
    }

    private func accessToken(_ h: EmulatorFixture) async throws -> String {
        try #require(try await h.initiateAuth().json?["AuthenticationResult"]?["AccessToken"]?.stringValue)
    }

    @Test("status5xx: InternalErrorException 500 for the next N calls only")
    func status5xx() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let token = try await accessToken(h)
            try await inject(h, #"{"operation":"GetUser","kind":"status5xx","count":2}"#)
            for _ in 0..<2 {
                let reply = try await h.getUser(token)
                #expect(reply.status == 500)
                #expect(reply.json?["__type"]?.stringValue == "InternalErrorException")
            }
            #expect(try await h.getUser(token).status == 200)
            try await inject(h, #"{"operation":"Token","kind":"status5xx","status":503}"#)
            let tokenReply = try await h.token([("grant_type", "refresh_token"), ("refresh_token", "x")])
            #expect(tokenReply.status == 503)
        }
    }

    @Test("throttle: TooManyRequestsException on the JSON API, 429 on OAuth endpoints")
    func throttle() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let token = try await accessToken(h)
            try await inject(h, #"{"operation":"GlobalSignOut","kind":"throttle"}"#)
            let reply = try await h.api("GlobalSignOut", .object(["AccessToken": .string(token)]))
            #expect(reply.status == 400)
            #expect(reply.json?["__type"]?.stringValue == "TooManyRequestsException")
            #expect(reply.header("x-amzn-ErrorType")?.hasPrefix("TooManyRequestsException") == true)
            try await inject(h, #"{"operation":"Token","kind":"throttle"}"#)
            let oauth = try await h.token([("grant_type", "refresh_token"), ("refresh_token", "x")])
            #expect(oauth.status == 429)
            #expect(oauth.header("Retry-After") == "1")
            // Faults are per operation: GetUser was never throttled.
            #expect(try await h.getUser(token).status == 200)
        }
    }

    @Test("malformed: 200 with a body that is not JSON")
    func malformed() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            try await inject(h, #"{"operation":"InitiateAuth","kind":"malformed"}"#)
            let reply = try await h.initiateAuth()
            #expect(reply.status == 200)
            #expect(reply.json == nil)
            try await inject(h, #"{"operation":"JWKS","kind":"malformed"}"#)
            let jwks = try await h.send(.GET, "/\(h.options.userPoolId)/.well-known/jwks.json")
            #expect(jwks.status == 200)
            #expect(jwks.json == nil)
        }
    }

    @Test("drop: the connection closes with no response, then service resumes")
    func drop() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let token = try await accessToken(h)
            try await inject(h, #"{"operation":"GetUser","kind":"drop"}"#)
            await #expect(throws: (any Error).self) {
                _ = try await h.getUser(token)
            }
            #expect(try await h.getUser(token).status == 200)
            try await inject(h, #"{"operation":"Token","kind":"drop"}"#)
            await #expect(throws: (any Error).self) {
                _ = try await h.token([("grant_type", "refresh_token"), ("refresh_token", "x")])
            }
        }
    }

    @Test("latency: a client deadline shorter than the delay times out within the deadline + margin")
    func latency() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let token = try await accessToken(h)
            // 20 s of latency against a 0.3 s client timeout: the 10 s bound leaves a loaded 2-core
            // machine slack and still fails if the timeout did not cut the call short.
            try await inject(h, #"{"operation":"GetUser","kind":"latency","latencyMs":20000}"#)
            let start = ContinuousClock.now
            await #expect(throws: (any Error).self) {
                _ = try await h.api("GetUser", .object(["AccessToken": .string(token)]), timeout: .milliseconds(300))
            }
            #expect(ContinuousClock.now - start < .seconds(10))
            try await inject(h, #"{"operation":"UserInfo","kind":"latency","latencyMs":200}"#)
            let delayedStart = ContinuousClock.now
            let delayed = try await h.send(.GET, "/oauth2/userInfo")
            #expect(delayed.status == 400)  // the request itself is still answered normally
            #expect(ContinuousClock.now - delayedStart >= .milliseconds(200))
        }
    }

    @Test("faults can be listed, cleared, and bad specs are refused")
    func controlAPI() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            try await inject(h, #"[{"operation":"GetUser","kind":"status5xx","count":5},{"operation":"JWKS","kind":"drop"}]"#)
            let listed = try await h.send(.GET, "/_emulator/faults")
            #expect(listed.json?["faults"]?.arrayValue?.count == 2)
            #expect(try await h.send(.DELETE, "/_emulator/faults").status == 204)
            #expect(try await h.send(.GET, "/_emulator/faults").json?["faults"]?.arrayValue?.isEmpty == true)
            #expect(try await h.getUser(try await accessToken(h)).status == 200)
            let bad = try await h.send(.POST, "/_emulator/faults", headers: [("Content-Type", "application/json")], body: #"{"operation":"Nope","kind":"drop"}"#)
            #expect(bad.status == 400)
            let badKind = try await h.send(.POST, "/_emulator/faults", headers: [("Content-Type", "application/json")], body: #"{"operation":"GetUser","kind":"explode"}"#)
            #expect(badKind.status == 400)
        }
    }
}
