import AuthCore
import FoundationEssentials
import JSONValue
import LambdaKit
import LocalHarness
import Logging
import NIOCore
import Testing

@testable import AuthEndpoints

/// Issue 21 end to end: `me`, `logout` and `sign-in` against the emulator over loopback, with the
/// tokens a real deployment issues: a second app client's, the UPDATED issuer's, a replica
/// Region's, resource-bound ones, machine tokens; and a client secret rotation.
@Suite(.serialized) struct TokenVarietyFlowTests {
    let logger = Logger(label: "token-variety-tests")

    func context() -> LambdaContext {
        LambdaContext(requestId: "test", deadline: .now() + .seconds(60), logger: logger)
    }

    func bearer(_ token: String, path: String = "/auth/me") -> HTTPRequest {
        HTTPRequest(method: "GET", rawPath: path, headers: ["Authorization": "Bearer \(token)"])
    }

    func code(_ response: HTTPResponse) -> String? {
        (try? JSONValue.parse(response.body))?["code"]?.stringValue
    }

    // The emulator's default app clients (EmulatorAppClient.mobile, .unlisted, .service).
    static let mobileClient = "emulatorlocalclient0000002"
    static let unlistedClient = "emulatorlocalclient0000003"
    static let serviceClient = "emulatorlocalservice000004"


    @Test func aSecondAcceptedClientsUserIsServedAndSignedOutAnotherClientIsNot() async throws {
        try await EmulatorFixture.with(try EmulatorFixture.makeOptions(setup: [:], signingKeysPEM: TestSigningKeys.pem)) { fixture in
            var environment = fixture.environment
            environment["COGNITO_ACCEPTED_CLIENT_IDS"] = Self.mobileClient
            let me = try EndpointFactory.me(environment: environment, logger: logger)
            let logout = try EndpointFactory.logout(environment: environment, logger: logger)

            let mobile = try await fixture.signIn(clientId: Self.mobileClient).accessToken
            let user = try await me(bearer(mobile), context())
            #expect(user.status == 200)
            let unlisted = try await fixture.signIn(clientId: Self.unlistedClient).accessToken
            let refused = try await me(bearer(unlisted), context())
            #expect(refused.status == 403)
            #expect(code(refused) == "invalid_token")
            #expect(try await logout(bearer(mobile, path: "/auth/logout"), context()).status == 200)
            #expect(code(try await me(bearer(mobile), context())) == "token_revoked")

            // Without COGNITO_ACCEPTED_CLIENT_IDS the second client is refused too.
            let single = try EndpointFactory.me(environment: fixture.environment, logger: logger)
            let second = try await fixture.signIn(clientId: Self.mobileClient).accessToken
            #expect(try await single(bearer(second), context()).status == 403)
        }
    }

    @Test func bothIssuerFormsAndAReplicaRegionAreAcceptedByDefaultOrWhenConfigured() async throws {
        for (form, region) in [("updated", nil as String?), ("original", "eu-west-1"), ("updated", "eu-west-1")] {
            var setup: [String: Any] = ["issuerForm": form]
            if let region { setup["issuerRegion"] = region }
            try await EmulatorFixture.with(try EmulatorFixture.makeOptions(setup: setup, signingKeysPEM: TestSigningKeys.pem)) { fixture in
                var environment = fixture.environment
                if let region { environment["COGNITO_REPLICA_REGIONS"] = region }
                let me = try EndpointFactory.me(environment: environment, logger: logger)
                let token = try await fixture.signIn().accessToken
                #expect(try await me(bearer(token), context()).status == 200, "\(form) \(region ?? "-")")
                if region != nil {
                    // The same token without the replica Region configured: not this pool's issuer.
                    let withoutReplica = try EndpointFactory.me(environment: fixture.environment, logger: logger)
                    let refused = try await withoutReplica(bearer(token), context())
                    #expect(refused.status == 403)
                }
            }
        }
    }

    @Test func aRequiredAudienceAdmitsTheResourcesTokensOnly() async throws {
        try await EmulatorFixture.with(try EmulatorFixture.makeOptions(setup: [:], signingKeysPEM: TestSigningKeys.pem)) { fixture in
            var environment = fixture.environment
            environment["COGNITO_REQUIRED_AUDIENCE"] = "https://api.example.com"
            let me = try EndpointFactory.me(environment: environment, logger: logger)
            let bound = try await fixture.hostedUIAccessToken(resource: "https://api.example.com")
            #expect(try await me(bearer(bound), context()).status == 200)
            let unbound = try await fixture.signIn().accessToken
            let refused = try await me(bearer(unbound), context())
            #expect(refused.status == 403)
            #expect(code(refused) == "wrong_audience")
        }
    }

    @Test func aMachineTokenIsRefusedByMeAndLogoutWithoutACognitoCall() async throws {
        try await EmulatorFixture.with(try EmulatorFixture.makeOptions(setup: [:], signingKeysPEM: TestSigningKeys.pem)) { fixture in
            var environment = fixture.environment
            environment["COGNITO_MACHINE_CLIENT_IDS"] = Self.serviceClient
            environment["COGNITO_JWKS"] = fixture.server.jwksJSON
            let machine = try await fixture.clientCredentialsToken()
            // Every call to Cognito now fails: a call would be a 502, not the 403.
            try await fixture.addFaults(#"{"operation":"*","kind":"status5xx","count":10}"#)
            let me = try EndpointFactory.me(environment: environment, logger: logger)
            let logout = try EndpointFactory.logout(environment: environment, logger: logger)
            for (handler, path) in [(me, "/auth/me"), (logout, "/auth/logout")] {
                let refused = try await handler(bearer(machine, path: path), context())
                #expect(refused.status == 403)
                #expect(code(refused) == "machine_token_not_allowed")
                #expect(refused.headers["WWW-Authenticate"] == [#"Bearer error="insufficient_scope""#])
            }
            // Not listed for machine tokens: refused as another client's.
            let unlisted = try EndpointFactory.me(
                environment: environment.merging(["COGNITO_MACHINE_CLIENT_IDS": ""]) { $1 }, logger: logger)
            #expect(code(try await unlisted(bearer(machine), context())) == "invalid_token")
            try await fixture.clearFaults()
        }
    }

    /// The authorizer with the emulator's own tokens: a service's client-credentials token only on
    /// the route whose rule names its client, a second client's user token reported as its own,
    /// and a tenant rule. JWKS preloaded, so a Cognito call would be visible as a fault.
    @Test func theAuthorizerAdmitsMachineTokensOnlyWhereARuleNamesTheirClient() async throws {
        try await EmulatorFixture.with(try EmulatorFixture.makeOptions(setup: [:], signingKeysPEM: TestSigningKeys.pem)) { fixture in
            var environment = fixture.environment
            environment["COGNITO_MACHINE_CLIENT_IDS"] = Self.serviceClient
            environment["COGNITO_ACCEPTED_CLIENT_IDS"] = Self.mobileClient
            environment["COGNITO_JWKS"] = fixture.server.jwksJSON
            environment["AUTHORIZER_RULES"] = #"[{"route":"ANY /internal/*","clients":["\#(Self.serviceClient)"]},{"route":"GET /tenants/acme/*","claims":{"custom:tenant":["acme"]}}]"#
            let endpoint = try EndpointFactory.authorizerEndpoint(environment: environment, logger: logger)
            let machine = try await fixture.clientCredentialsToken()
            let mobile = try await fixture.signIn(clientId: Self.mobileClient).accessToken
            // Every call to Cognito now fails: the authorizer makes none.
            try await fixture.addFaults(#"{"operation":"*","kind":"status5xx","count":10}"#)
            func answer(_ token: String, _ method: String, _ path: String) async throws -> JSONValue {
                let event = AuthorizerTestSupport.v2Event(token, method: method, path: path)
                return try JSONValue.parse(try await endpoint.handle(event, context: context()))
            }
            let allowed = try await answer(machine, "POST", "/internal/jobs")
            #expect(allowed["isAuthorized"] == .bool(true))
            #expect(allowed["context"]?["principal_type"]?.stringValue == "machine")
            #expect(allowed["context"]?["client_id"]?.stringValue == Self.serviceClient)
            #expect(allowed["context"]?["username"] == nil && allowed["context"]?["groups"] == nil)
            #expect(try await answer(machine, "GET", "/pets")["isAuthorized"] == .bool(false))
            let user = try await answer(mobile, "GET", "/pets")
            #expect(user["context"]?["client_id"]?.stringValue == Self.mobileClient)
            #expect(user["context"]?["principal_type"]?.stringValue == "user")
            #expect(try await answer(mobile, "POST", "/internal/jobs")["isAuthorized"] == .bool(false))
            #expect(try await answer(mobile, "GET", "/tenants/acme/x")["isAuthorized"] == .bool(false))
            try await fixture.clearFaults()
        }
    }

    @Test func signInFallsBackToThePreviousClientSecretDuringARotation() async throws {
        let current = "emulatorsecretcurrent0000000000001"
        try await EmulatorFixture.with(try EmulatorFixture.makeOptions(setup: [:], clientSecret: current, signingKeysPEM: TestSigningKeys.pem)) { fixture in
            var environment = fixture.environment
            // The deployment already has the new secret; the app client still only knows the old one.
            environment["COGNITO_CLIENT_SECRET"] = "emulatorsecretnew000000000000000002"
            environment["COGNITO_CLIENT_SECRET_PREVIOUS"] = current
            let signIn = try EndpointFactory.signIn(environment: environment, logger: logger)
            let verifier = EmulatorFixture.makeCodeVerifier()
            let authorizationCode = try await fixture.authorizationCode(codeVerifier: verifier)
            let body = #"{"code":"\#(authorizationCode)","code_verifier":"\#(verifier)"}"#
            let response = try await signIn(
                HTTPRequest(
                    method: "POST", rawPath: "/auth/sign-in", headers: ["Content-Type": "application/json", "X-Requested-With": "fetch"],
                    body: Array(body.utf8)),
                context())
            #expect(response.status == 200)

            // Without the previous secret the same deployment is misconfigured.
            environment["COGNITO_CLIENT_SECRET_PREVIOUS"] = nil
            let strict = try EndpointFactory.signIn(environment: environment, logger: logger)
            let secondVerifier = EmulatorFixture.makeCodeVerifier()
            let secondCode = try await fixture.authorizationCode(codeVerifier: secondVerifier)
            let refused = try await strict(
                HTTPRequest(
                    method: "POST", rawPath: "/auth/sign-in", headers: ["Content-Type": "application/json", "X-Requested-With": "fetch"],
                    body: Array(#"{"code":"\#(secondCode)","code_verifier":"\#(secondVerifier)"}"#.utf8)),
                context())
            #expect(refused.status == 500)
            #expect(code(refused) == "server_misconfigured")
        }
    }
}
