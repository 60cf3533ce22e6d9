import AuthCore
import CognitoEmulator
import Foundation
import LambdaKit
import LocalHarness
import Logging
import NIOCore
import Testing

@testable import AuthEndpoints

/// Issue 22 end to end: logout writes the mark, the authorizer reads it. Cognito is the project's
/// emulator over loopback HTTP; DynamoDB is moto over loopback HTTP (`MOTO_ENDPOINT`), with the
/// table created from template.yaml's own definition (`scripts/revocation-table`). Cognito's
/// `GetUser` is made to fail for the whole test, and its fault counter shows it was never called.
@Suite(.serialized, .enabled(if: MotoEndpoint.url != nil, "MOTO_ENDPOINT is not set: run `export MOTO_ENDPOINT=$(scripts/moto-server)`"))
struct RevocationStoreFlowTests {
    static var motoEndpoint: String? { MotoEndpoint.url }

    static let packageRoot: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(3)  // RevocationStoreFlowTests.swift, AuthEndpointsTests, Tests
        return components.joined(separator: "/")
    }()

    /// AWS's documentation example key pair: moto accepts any signature.
    static let awsEnvironment = [
        "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]
    static let other = EmulatorUser(
        username: "other", password: "Passw0rd!other", attributes: ["email": "other@example.com", "email_verified": "true"], groups: ["users"])
    /// Every GetUser fails while this fault lasts; its remaining count is the proof that none was made.
    static let getUserFault = #"{"operation":"GetUser","kind":"status5xx","count":1000000}"#

    let logger = Logger(label: "revocation-flow-tests")

    func context() -> LambdaContext {
        LambdaContext(requestId: "test", deadline: .now() + .seconds(60), logger: logger)
    }

    /// A fresh table made by scripts/revocation-table from template.yaml's RevocationTable.
    static func createTable() async throws -> String {
        let name = "revocations-\(UInt32.random(in: 0...UInt32.max))"
        let result = try await ProcessRunner(
            executable: "/usr/bin/env", arguments: ["python3", packageRoot + "/scripts/revocation-table", "--endpoint", motoEndpoint ?? "", "--name", name]
        ).run(stdin: [], environment: ProcessInfo.processInfo.environment, timeout: .seconds(120))
        guard result.exitCode == 0, !result.timedOut,
            String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == name
        else {
            throw HarnessError("scripts/revocation-table failed (exit \(result.exitCode)): \(String(decoding: result.stderr, as: UTF8.self))")
        }
        return name
    }

    func environment(_ fixture: EmulatorFixture, table: String, endpoint: String? = nil, extra: [String: String] = [:]) -> [String: String] {
        fixture.environment.merging(Self.awsEnvironment) { $1 }
            .merging(["AUTH_REVOCATION_TABLE": table, "AWS_ENDPOINT_URL_DYNAMODB": endpoint ?? Self.motoEndpoint ?? ""]) { $1 }
            .merging(extra) { $1 }
    }

    static func withEmulator(_ body: (EmulatorFixture) async throws -> Void) async throws {
        var options = EmulatorFixture.makeOptions(signingKeysPEM: TestSigningKeys.pem)
        options.users.append(other)
        try await EmulatorFixture.with(options, body)
    }

    /// The authorizer's answer to a v2 simple event for `GET /reports/1`: true, false, or nil for
    /// the invocation error (a dependency failed: API Gateway's 500).
    func authorize(_ endpoint: AuthorizerEndpoint, _ token: String) async throws -> Bool? {
        let event = AuthorizerTestSupport.v2Event(token, method: "GET", path: "/reports/1")
        do {
            let answer = try await endpoint.handle(event, context: context())
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any])
            return try #require(object["isAuthorized"] as? Bool)
        } catch is AuthorizerUpstreamError {
            return nil
        }
    }

    func logout(_ handler: HTTPHandler, _ token: String) async throws -> (status: Int, code: String?) {
        let response = try await handler(HTTPRequest(method: "POST", rawPath: "/auth/logout", headers: ["Authorization": "Bearer \(token)"]), context())
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (response.status, object?["code"] as? String)
    }

    /// `InitiateAuth` over the emulator's JSON API (USER_PASSWORD_AUTH or REFRESH_TOKEN_AUTH).
    func initiateAuth(_ fixture: EmulatorFixture, flow: String, parameters: [String: String]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["AuthFlow": flow, "ClientId": fixture.options.clientId, "AuthParameters": parameters])
        let reply = try await fixture.send(
            .POST, "/", headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")],
            body: String(decoding: body, as: UTF8.self))
        #expect(reply.status == 200, "\(reply.text)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
        return try #require(object["AuthenticationResult"] as? [String: Any])
    }

    /// The remaining count of the GetUser fault: 1000000 means no GetUser was made.
    func getUserFaultRemaining(_ fixture: EmulatorFixture) async throws -> Int? {
        let reply = try await fixture.send(.GET, "/_emulator/faults")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
        let faults = try #require(object["faults"] as? [[String: Any]])
        return faults.first { $0["operation"] as? String == "GetUser" }?["count"] as? Int
    }

    @Test("sign-out: the token and a refreshed one refused; another user and a later sign-in allowed; no GetUser at all")
    func signOutReachesTheAuthorizer() async throws {
        let table = try await Self.createTable()
        try await Self.withEmulator { fixture in
            try await fixture.addFaults(Self.getUserFault)
            let env = environment(fixture, table: table)
            let authorizer = try EndpointFactory.authorizerEndpoint(environment: env, logger: logger)
            let logoutHandler = try EndpointFactory.logout(environment: env, logger: logger)

            let session = try await fixture.signIn()
            let refreshed = try #require(
                try await initiateAuth(fixture, flow: "REFRESH_TOKEN_AUTH", parameters: ["REFRESH_TOKEN": session.refreshToken])["AccessToken"] as? String)
            #expect(refreshed != session.accessToken)
            let otherToken = try #require(
                try await initiateAuth(fixture, flow: "USER_PASSWORD_AUTH", parameters: ["USERNAME": Self.other.username, "PASSWORD": Self.other.password])["AccessToken"] as? String)
            #expect(try await authorize(authorizer, session.accessToken) == true)
            #expect(try await authorize(authorizer, refreshed) == true)

            let loggedOut = try await logout(logoutHandler, session.accessToken)
            #expect(loggedOut.status == 200)

            // The very next decision: the session's tokens are refused, refreshed ones included.
            #expect(try await authorize(authorizer, session.accessToken) == false)
            #expect(try await authorize(authorizer, refreshed) == false)
            // Another user's session is untouched.
            #expect(try await authorize(authorizer, otherToken) == true)
            // A sign-in after the sign-out (its auth_time is later than T) is allowed.
            fixture.advanceClock(by: 2)
            let later = try await fixture.signIn()
            #expect(try await authorize(authorizer, later.accessToken) == true)
            // A retried logout of the same token: the mark is already there (Cognito now refuses
            // the token, so the answer is its 401; the store's write was idempotent).
            #expect(try await logout(logoutHandler, session.accessToken).status == 401)
            #expect(try await authorize(authorizer, later.accessToken) == true)

            #expect(try await getUserFaultRemaining(fixture) == 1_000_000)
        }
    }

    @Test("a store that cannot answer: the authorizer fails closed (allow only when configured), logout is 502 and a retry works")
    func storeDown() async throws {
        let table = try await Self.createTable()
        try await Self.withEmulator { fixture in
            try await fixture.addFaults(Self.getUserFault)
            // Nothing listens on port 9: the store is unreachable.
            let down = environment(fixture, table: table, endpoint: "http://127.0.0.1:9")
            let closed = try EndpointFactory.authorizerEndpoint(environment: down, logger: logger)
            let open = try EndpointFactory.authorizerEndpoint(environment: down.merging(["AUTH_REVOCATION_ON_ERROR": "allow"]) { $1 }, logger: logger)
            let session = try await fixture.signIn()
            #expect(try await authorize(closed, session.accessToken) == nil)
            #expect(try await authorize(open, session.accessToken) == true)

            // Logout cannot record the sign-out: 502, and Cognito was not asked to sign out (the
            // token still works there), so the retry does the whole logout.
            let failing = try EndpointFactory.logout(environment: down, logger: logger)
            let refused = try await logout(failing, session.accessToken)
            #expect(refused.status == 502)
            #expect(refused.code == "revocation_store_unavailable")
            try await fixture.clearFaults()
            #expect(try await fixture.send(
                .POST, "/", headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSCognitoIdentityProviderService.GetUser")],
                body: #"{"AccessToken":"\#(session.accessToken)"}"#).status == 200)
            try await fixture.addFaults(Self.getUserFault)

            let up = environment(fixture, table: table)
            let retry = try EndpointFactory.logout(environment: up, logger: logger)
            #expect(try await logout(retry, session.accessToken).status == 200)
            let authorizer = try EndpointFactory.authorizerEndpoint(environment: up, logger: logger)
            #expect(try await authorize(authorizer, session.accessToken) == false)
            #expect(try await getUserFaultRemaining(fixture) == 1_000_000)
        }
    }

    @Test("a per-process cache: a warm authorizer keeps its read for AUTH_REVOCATION_CACHE_SECONDS, a cold one sees the mark")
    func cacheLag() async throws {
        let table = try await Self.createTable()
        try await Self.withEmulator { fixture in
            let cached = try EndpointFactory.authorizerEndpoint(
                environment: environment(fixture, table: table, extra: ["AUTH_REVOCATION_CACHE_SECONDS": "60"]), logger: logger)
            let uncached = try EndpointFactory.authorizerEndpoint(environment: environment(fixture, table: table), logger: logger)
            let session = try await fixture.signIn()
            #expect(try await authorize(cached, session.accessToken) == true)
            let logoutHandler = try EndpointFactory.logout(environment: environment(fixture, table: table), logger: logger)
            #expect(try await logout(logoutHandler, session.accessToken).status == 200)
            // The documented lag: this process read "no mark" less than 60 s ago.
            #expect(try await authorize(cached, session.accessToken) == true)
            #expect(try await authorize(uncached, session.accessToken) == false)
        }
    }
}

/// moto's base URL from `MOTO_ENDPOINT` (scripts/test starts it), without a trailing slash.
enum MotoEndpoint {
    static var url: String? {
        guard let value = ProcessInfo.processInfo.environment["MOTO_ENDPOINT"], !value.isEmpty else { return nil }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}
