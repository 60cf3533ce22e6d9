import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import AuthCore

/// Issue 21: every shape of access token a real Cognito deployment issues — several app clients,
/// both issuer forms and replica Regions, a required audience, machine (client-credentials)
/// tokens — minted in the test and signed with the pool's key.
@Suite("AccessTokenVerifier: app clients, issuer forms, audience, machine tokens")
struct AcceptedTokenShapesTests {
    typealias S = JWTTestSupport

    static let mobileClient = "mobileclient0000000000002"
    static let serviceClient = "serviceclient000000000003"
    static let updatedIssuer = "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"
    static let replicaIssuer = "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestPool"
    static let replicaUpdatedIssuer = "https://issuer-cognito-idp.eu-west-1.amazonaws.com/us-east-1_TestPool"

    static func config(
        accepted: [String] = [mobileClient], machine: [String] = [serviceClient], issuers: [String]? = nil,
        replicas: [String] = [], audience: String? = nil
    ) -> CognitoConfig {
        CognitoConfig(
            region: S.region, userPoolId: S.poolId, clientId: S.clientId, acceptedClientIds: accepted, machineClientIds: machine,
            issuers: issuers, replicaRegions: replicas, requiredAudience: audience)
    }

    static func verifier(
        _ config: CognitoConfig = config(), acceptingMachineTokens: Bool = true,
        transport: any UpstreamTransport = FakeUpstream(failing: .unreachable("connection refused"))
    ) -> AccessTokenVerifier {
        let cache = JWKSCache(url: "https://upstream.test" + S.jwksPath, transport: transport, preloaded: Array(S.defaultJWKS.utf8))
        return AccessTokenVerifier(config: config, keys: cache, acceptingMachineTokens: acceptingMachineTokens, now: { S.now })
    }

    /// A client-credentials token as Cognito issues it: no username, no groups, sub = client_id.
    static func machineClaims(client: String = serviceClient, overrides: [String: String] = [:], removing: Set<String> = []) -> String {
        var merged = ["sub": "\"\(client)\"", "client_id": "\"\(client)\"", "scope": #""reports/read reports/write""#]
        merged.merge(overrides) { $1 }
        return S.claims(overrides: merged, removing: removing.union(["username", "cognito:groups", "origin_jti"]))
    }

    static func verify(_ payload: String, with verifier: AccessTokenVerifier = verifier()) async throws -> VerifiedAccessToken {
        try await verifier.verify(S.token(payload: payload), deadline: S.deadline())
    }

    static func failure(_ payload: String, with verifier: AccessTokenVerifier = verifier()) async -> TokenVerificationError? {
        await S.failure(of: S.token(payload: payload), with: verifier)
    }

    // MARK: several app clients

    @Test("a user token of a second accepted client verifies and reports its own client_id")
    func secondClient() async throws {
        let verified = try await Self.verify(S.claims(overrides: ["client_id": "\"\(Self.mobileClient)\""]))
        #expect(verified.clientId == Self.mobileClient)
        #expect(verified.principal == .user)
        #expect(verified.username == "alice")
        let first = try await Self.verify(S.claims())
        #expect(first.clientId == S.clientId)
        // Escaped spellings are the same client (JSON), and still report it.
        let escaped = try await Self.verify(S.claims(overrides: ["client_id": #""\u006dobileclient0000000000002""#]))
        #expect(escaped.clientId == Self.mobileClient)
    }

    @Test("an unknown client, a near miss and a machine-only client are refused for user tokens")
    func unknownClient() async {
        #expect(await Self.failure(S.claims(overrides: ["client_id": #""otherclient000000000009""#])) == .wrongClient)
        #expect(await Self.failure(S.claims(overrides: ["client_id": "\"\(Self.mobileClient)x\""])) == .wrongClient)
        #expect(await Self.failure(S.claims(overrides: ["client_id": "\"\(Self.mobileClient.dropLast())\""])) == .wrongClient)
        // A machine client is accepted for its own tokens only, not for users' tokens.
        #expect(await Self.failure(S.claims(overrides: ["client_id": "\"\(Self.serviceClient)\""])) == .wrongClient)
        // Without COGNITO_ACCEPTED_CLIENT_IDS only COGNITO_CLIENT_ID's tokens pass.
        let single = Self.verifier(Self.config(accepted: []))
        #expect(await Self.failure(S.claims(overrides: ["client_id": "\"\(Self.mobileClient)\""]), with: single) == .wrongClient)
    }

    // MARK: issuer forms

    @Test("both issuer forms of the pool's Region and both of a replica Region verify with the one key set")
    func issuerForms() async throws {
        let verifier = Self.verifier(Self.config(replicas: ["eu-west-1"]))
        for issuer in [S.issuer, Self.updatedIssuer, Self.replicaIssuer, Self.replicaUpdatedIssuer] {
            let verified = try await Self.verify(S.claims(overrides: ["iss": "\"\(issuer)\""]), with: verifier)
            #expect(verified.username == "alice")
        }
        // Without the replica Region, its issuers are not on the list.
        #expect(await Self.failure(S.claims(overrides: ["iss": "\"\(Self.replicaIssuer)\""])) == .wrongIssuer)
        #expect(await Self.failure(S.claims(overrides: ["iss": "\"\(Self.replicaUpdatedIssuer)\""])) == .wrongIssuer)
    }

    @Test("an issuer not on the list is refused although the pool's key signed it")
    func issuerNotOnList() async {
        let verifier = Self.verifier(Self.config(replicas: ["eu-west-1"]))
        for issuer in [
            "https://cognito-idp.us-west-2.amazonaws.com/us-east-1_TestPool",  // a Region not configured
            "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_OtherPool",  // another pool
            "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool/",  // trailing slash
            "https://ISSUER-cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool",  // case
            "https://evil.example/us-east-1_TestPool",
        ] {
            #expect(await Self.failure(S.claims(overrides: ["iss": "\"\(issuer)\""]), with: verifier) == .wrongIssuer, "\(issuer)")
        }
        // An explicit COGNITO_ISSUER list replaces the defaults: the ORIGINAL form is then refused.
        let onlyUpdated = Self.verifier(Self.config(issuers: [Self.updatedIssuer]))
        #expect(await Self.failure(S.claims(), with: onlyUpdated) == .wrongIssuer)
        #expect(await Self.failure(S.claims(overrides: ["iss": "\"\(Self.updatedIssuer)\""]), with: onlyUpdated) == nil)
    }

    @Test("a kid miss refetches only from the configured JWKS URL, never from a host the token names")
    func keysOnlyFromConfiguredLocation() async throws {
        let recorder = URLRecorder()
        let verifier = Self.verifier(transport: recorder)
        let payload = S.claims(overrides: ["iss": #""https://evil.example/us-east-1_TestPool""#])
        let token = S.token(header: S.header(kid: "evil-kid"), payload: payload)
        #expect(await S.failure(of: token, with: verifier) == .unknownKeyID)
        #expect(recorder.urls == ["https://upstream.test" + S.jwksPath])
    }

    // MARK: audience

    @Test("a required audience: a string or an array containing it passes; missing, wrong or near misses do not")
    func audience() async throws {
        let audience = "https://api.example.com"
        let verifier = Self.verifier(Self.config(audience: audience))
        _ = try await Self.verify(S.claims(overrides: ["aud": "\"\(audience)\""]), with: verifier)
        _ = try await Self.verify(S.claims(overrides: ["aud": #"["https://other.example.com","\#(audience)"]"#]), with: verifier)
        _ = try await Self.verify(S.claims(overrides: ["aud": #""https:\/\/api.example.com""#]), with: verifier)
        #expect(await Self.failure(S.claims(), with: verifier) == .wrongAudience)
        #expect(await Self.failure(S.claims(overrides: ["aud": #""https://other.example.com""#]), with: verifier) == .wrongAudience)
        #expect(await Self.failure(S.claims(overrides: ["aud": "\"\(audience)/\""]), with: verifier) == .wrongAudience)
        #expect(await Self.failure(S.claims(overrides: ["aud": #""HTTPS://api.example.com""#]), with: verifier) == .wrongAudience)
        #expect(await Self.failure(S.claims(overrides: ["aud": "[]"]), with: verifier) == .wrongAudience)
        #expect(await Self.failure(S.claims(overrides: ["aud": #"["https://other.example.com"]"#]), with: verifier) == .wrongAudience)
        // Machine tokens are bound the same way.
        _ = try await Self.verify(Self.machineClaims(overrides: ["aud": "\"\(audience)\""]), with: verifier)
        #expect(await Self.failure(Self.machineClaims(), with: verifier) == .wrongAudience)
    }

    @Test("without a required audience aud is not required, but must still be a string or an array of strings")
    func audienceUnset() async throws {
        _ = try await Self.verify(S.claims())
        _ = try await Self.verify(S.claims(overrides: ["aud": #""https://anything.example.com""#]))
        _ = try await Self.verify(S.claims(overrides: ["aud": #"["a","b"]"#]))
        #expect(await Self.failure(S.claims(overrides: ["aud": "42"])) == .malformed("aud claim is not a string or an array of strings"))
        #expect(await Self.failure(S.claims(overrides: ["aud": #"["a",1]"#])) == .malformed("aud claim is not a string or an array of strings"))
    }

    // MARK: machine tokens

    @Test("a machine token of a listed client verifies as a machine token")
    func machineToken() async throws {
        let verified = try await Self.verify(Self.machineClaims())
        #expect(verified.principal == .machine)
        #expect(verified.isMachine)
        #expect(verified.clientId == Self.serviceClient)
        #expect(verified.sub == Self.serviceClient)
        #expect(verified.username == "")
        #expect(verified.groups.isEmpty)
        #expect(verified.scopes == ["reports/read", "reports/write"])
        #expect(VerifiedAccessToken.Principal.machine.rawValue == "machine")
    }

    @Test("machine tokens of clients not listed for them, or where they are not accepted, are refused")
    func machineTokenRefusals() async {
        // A user client is not a machine client.
        #expect(await Self.failure(Self.machineClaims(client: S.clientId)) == .machineTokenNotAccepted)
        #expect(await Self.failure(Self.machineClaims(client: Self.mobileClient)) == .machineTokenNotAccepted)
        // A client nobody configured.
        #expect(await Self.failure(Self.machineClaims(client: "strangerclient00000000004")) == .wrongClient)
        // No COGNITO_MACHINE_CLIENT_IDS: none.
        #expect(await Self.failure(Self.machineClaims(), with: Self.verifier(Self.config(machine: []))) == .wrongClient)
        // A verifier not accepting them (the authorizer, until its rules name clients).
        #expect(await Self.failure(Self.machineClaims(), with: Self.verifier(acceptingMachineTokens: false)) == .machineTokenNotAccepted)
    }

    @Test("a token without username that is not Cognito's machine shape is refused")
    func machineShape() async {
        #expect(await Self.failure(Self.machineClaims(overrides: ["sub": #""aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee""#]))
            == .malformed("machine token's sub is not its client_id"))
        #expect(await Self.failure(Self.machineClaims(overrides: ["cognito:groups": #"["admins"]"#]))
            == .malformed("machine token has cognito:groups"))
        let noSub = S.claims(overrides: ["client_id": "\"\(Self.serviceClient)\""], removing: ["sub", "username", "cognito:groups"])
        #expect(await Self.failure(noSub) == .malformed("sub claim missing"))
        // An escaped sub that decodes to the client id is the client id.
        let escapedSub = "\"\\u0073" + Self.serviceClient.dropFirst() + "\""
        #expect(await Self.failure(Self.machineClaims(overrides: ["sub": escapedSub])) == nil)
        // A user client's token without username stays refused as before: not a machine client.
        #expect(await Self.failure(S.claims(removing: ["username"])) == .machineTokenNotAccepted)
    }
}

/// Records the full URL of every request (the fake upstream keeps only the path) and answers
/// with the pool's JWKS.
final class URLRecorder: UpstreamTransport {
    private let recorded = Mutex<[String]>([])
    var urls: [String] { recorded.withLock { $0 } }

    func send(_ request: UpstreamRequest, deadline: NIODeadline, maxBodyBytes: Int) async throws(UpstreamError) -> UpstreamResponse {
        recorded.withLock { $0.append(request.url) }
        return UpstreamResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(JWTTestSupport.defaultJWKS.utf8))
    }
}
