import AsyncHTTPClient
import CognitoEmulator
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import WireCoding

/// The local Cognito emulator, started in-process, plus what a harness needs from it: real
/// tokens and authorization codes minted over its real HTTP endpoints, faults, a movable clock.
public final class EmulatorFixture: Sendable {
    public let server: CognitoEmulatorServer
    let http: HTTPClient
    let clockOffset: ClockOffset
    public let username = "demo"
    public let password = "Passw0rd!"

    public var options: EmulatorOptions { server.options }
    public var baseURL: String { server.baseURL }
    public var environment: [String: String] { server.environment }
    public var redirectURI: String { server.options.redirectURIs[0] }

    private init(server: CognitoEmulatorServer, http: HTTPClient, clockOffset: ClockOffset) {
        self.server = server
        self.http = http
        self.clockOffset = clockOffset
    }

    /// With a `clientSecret` the app client is confidential (then `signIn()`, which sends no
    /// SECRET_HASH, is refused; the hosted-UI flow still works).
    /// `signingKeysPEM`: the emulator's keys (one or two PEM RSA private keys); nil generates two.
    /// `refreshTokenRotation`: each refresh returns a new refresh token; the old one works for
    /// `rotationGraceSeconds` more (on the emulator's clock, which `advanceClock` moves).
    public static func start(
        port: Int = 0, clientSecret: String? = nil, signingKeysPEM: String? = nil,
        refreshTokenRotation: Bool = false, rotationGraceSeconds: Int = 0
    ) async throws -> EmulatorFixture {
        try await start(
            makeOptions(
                port: port, clientSecret: clientSecret, signingKeysPEM: signingKeysPEM,
                refreshTokenRotation: refreshTokenRotation, rotationGraceSeconds: rotationGraceSeconds
            )
        )
    }

    /// The emulator with exactly `options`; its clock is `options.now` moved by `advanceClock`.
    public static func start(_ options: EmulatorOptions) async throws -> EmulatorFixture {
        let offset = ClockOffset()
        var options = options
        let now = options.now ?? { Date().timeIntervalSince1970 }
        options.now = { now() + offset.seconds }
        let server = try await CognitoEmulatorServer.start(options)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(10))
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        return EmulatorFixture(server: server, http: http, clockOffset: offset)
    }

    /// Runs `body` with a fresh emulator (the parameters of `start`), shutting it down however
    /// `body` ends.
    public static func with<T>(
        port: Int = 0, clientSecret: String? = nil, signingKeysPEM: String? = nil,
        refreshTokenRotation: Bool = false, rotationGraceSeconds: Int = 0,
        _ body: (EmulatorFixture) async throws -> T
    ) async throws -> T {
        let options = makeOptions(
            port: port, clientSecret: clientSecret, signingKeysPEM: signingKeysPEM,
            refreshTokenRotation: refreshTokenRotation, rotationGraceSeconds: rotationGraceSeconds
        )
        return try await with(options, body)
    }

    /// Runs `body` with a fresh emulator started with `options`, shutting it down however `body` ends.
    public static func with<T>(_ options: EmulatorOptions, _ body: (EmulatorFixture) async throws -> T) async throws -> T {
        let fixture = try await start(options)
        do {
            let result = try await body(fixture)
            await fixture.shutdown()
            return result
        } catch {
            await fixture.shutdown()
            throw error
        }
    }

    /// The options `start` and `with` use: quiet logs, the wall clock.
    public static func makeOptions(
        port: Int = 0, clientSecret: String? = nil, signingKeysPEM: String? = nil,
        refreshTokenRotation: Bool = false, rotationGraceSeconds: Int = 0, tokenRevocation: Bool = true
    ) -> EmulatorOptions {
        var options = EmulatorOptions()
        options.tokenRevocation = tokenRevocation
        options.port = port
        options.clientSecret = clientSecret
        options.refreshTokenRotation = refreshTokenRotation
        options.rotationGraceSeconds = rotationGraceSeconds
        options.signingKeysPEM = signingKeysPEM
        options.logger.logLevel = .warning
        return options
    }

    public func shutdown() async {
        try? await http.shutdown()
        try? await server.shutdown()
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// One request to the emulator, as given (redirects are never followed); the whole answer.
    public func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil,
        timeout: TimeAmount = .seconds(20)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    public struct Tokens: Sendable {
        public var accessToken: String
        public var idToken: String
        public var refreshToken: String
    }

    /// The options of a replay set-up's `"emulator"` object: `refreshTokenRotation` (true),
    /// `tokenRevocation` (false), `issuerForm` (`original`, `updated`), `issuerRegion` (a replica
    /// Region); anything else is an error.
    public static func makeOptions(setup: [String: Any], clientSecret: String? = nil, signingKeysPEM: String? = nil) throws -> EmulatorOptions {
        var options = makeOptions(clientSecret: clientSecret, signingKeysPEM: signingKeysPEM)
        for (key, value) in setup {
            switch key {
            case "refreshTokenRotation" where value as? Bool == true: options.refreshTokenRotation = true
            case "tokenRevocation" where value as? Bool == false: options.tokenRevocation = false
            case "issuerForm":
                guard let form = (value as? String).flatMap(EmulatorOptions.IssuerForm.init(rawValue:)) else {
                    throw HarnessError("emulator set-up issuerForm must be original or updated")
                }
                options.issuerForm = form
            case "issuerRegion":
                guard let region = value as? String else { throw HarnessError("emulator set-up issuerRegion must be a Region") }
                options.issuerRegion = region
            default: throw HarnessError("unknown emulator set-up \(key): \(value)")
            }
        }
        return options
    }

    /// `InitiateAuth` with `USER_PASSWORD_AUTH` for the demo user, with the main app client or
    /// another public client of the pool.
    public func signIn(clientId: String? = nil) async throws -> Tokens {
        let body: [String: Any] = [
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": clientId ?? options.clientId,
            "AuthParameters": ["USERNAME": username, "PASSWORD": password],
        ]
        let answer = try await jsonAPI("InitiateAuth", body)
        guard let result = answer["AuthenticationResult"] as? [String: Any],
            let access = result["AccessToken"] as? String, let id = result["IdToken"] as? String,
            let refresh = result["RefreshToken"] as? String
        else { throw HarnessError("InitiateAuth answered without tokens") }
        return Tokens(accessToken: access, idToken: id, refreshToken: refresh)
    }

    /// An access token whose `exp` is two hours in the past: minted with the emulator's clock
    /// moved back, so it is genuinely signed and expired.
    public func expiredAccessToken() async throws -> String {
        clockOffset.seconds = -7200
        defer { clockOffset.seconds = 0 }
        return try await signIn().accessToken
    }

    /// Moves the emulator's clock by `seconds` (tokens and grace periods age; real time does not pass).
    public func advanceClock(by seconds: Double) {
        clockOffset.seconds += seconds
    }

    /// A token already revoked by `GlobalSignOut`.
    public func revokedAccessToken() async throws -> String {
        let token = try await signIn().accessToken
        try await globalSignOut(token)
        return token
    }

    /// `/oauth2/revoke` for a refresh token (and every access token issued from it).
    public func revoke(refreshToken: String) async throws {
        var request = HTTPClientRequest(url: baseURL + "/oauth2/revoke")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let form = "token=\(refreshToken)&client_id=\(options.clientId)"
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await http.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw HarnessError("revoke answered \(response.status.code)") }
    }

    public func globalSignOut(_ accessToken: String) async throws {
        _ = try await jsonAPI("GlobalSignOut", ["AccessToken": accessToken])
    }

    /// An access token of the demo user without `aws.cognito.signin.user.admin`: what an app
    /// client that does not allow that scope gets. Genuine (hosted UI, `/oauth2/token`), so it
    /// passes local verification; Cognito refuses it to `GetUser` and `GlobalSignOut` ("Access
    /// Token does not have required scopes").
    public func accessTokenWithoutAdminScope() async throws -> String {
        try await hostedUIAccessToken(scope: "openid email")
    }

    /// The demo user's access token through the hosted UI (`/oauth2/authorize`, then
    /// `/oauth2/token`), with `resource` (RFC 8707: the token's `aud`) when given.
    public func hostedUIAccessToken(
        scope: String = "openid email aws.cognito.signin.user.admin", resource: String? = nil
    ) async throws -> String {
        let verifier = Self.makeCodeVerifier()
        let code = try await authorizationCode(codeVerifier: verifier, scope: scope, resource: resource)
        return try await tokenEndpointAccessToken([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", verifier), ("client_id", options.clientId),
        ])
    }

    /// `POST /oauth2/token` with `form` (and `authorization`, when given); the answer's access token.
    private func tokenEndpointAccessToken(_ form: [(name: String, value: String)], authorization: String? = nil) async throws -> String {
        var request = HTTPClientRequest(url: baseURL + "/oauth2/token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: FormURLEncoding.encode(form)))
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok,
            let object = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any],
            let token = object["access_token"] as? String
        else { throw HarnessError("token endpoint answered \(response.status.code) without an access token") }
        return token
    }

    /// Logs the demo user in through `/oauth2/authorize` with PKCE S256 and returns the code.
    public func authorizationCode(
        codeVerifier: String, scope: String = "openid email aws.cognito.signin.user.admin", resource: String? = nil
    ) async throws -> String {
        let challenge = Base64URL.encode(Array(SHA256.hash(data: Array(codeVerifier.utf8))))
        var components = URLComponents(string: baseURL + "/oauth2/authorize")!
        components.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: options.clientId),
            .init(name: "redirect_uri", value: redirectURI), .init(name: "scope", value: scope),
            .init(name: "state", value: "harness"), .init(name: "code_challenge", value: challenge),
            .init(name: "code_challenge_method", value: "S256"),
            .init(name: "username", value: username), .init(name: "password", value: password),
        ]
        if let resource { components.queryItems?.append(.init(name: "resource", value: resource)) }
        let request = HTTPClientRequest(url: components.url!.absoluteString)
        let response = try await http.execute(request, timeout: .seconds(10))
        guard response.status == .found, let location = response.headers.first(name: "Location"),
            let code = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "code" })?.value
        else { throw HarnessError("authorize answered \(response.status.code) without a code") }
        return code
    }

    /// A machine token: the client-credentials grant at `/oauth2/token` for the pool's
    /// confidential client-credentials client (HTTP Basic), with `resource` when given.
    public func clientCredentialsToken(resource: String? = nil) async throws -> String {
        guard let client = options.appClients.first(where: \.clientCredentials), let secret = client.clientSecret else {
            throw HarnessError("the emulator has no client-credentials client")
        }
        var form: [(name: String, value: String)] = [("grant_type", "client_credentials")]
        if let resource { form.append(("resource", resource)) }
        return try await tokenEndpointAccessToken(
            form, authorization: "Basic " + Base64.encode(Array("\(client.clientId):\(secret)".utf8)))
    }

    /// A fresh PKCE code verifier (43 unreserved characters).
    public static func makeCodeVerifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Faults for the next calls, in the emulator's `/_emulator/faults` JSON (one object or an array).
    public func addFaults(_ json: String) async throws {
        var request = HTTPClientRequest(url: baseURL + "/_emulator/faults")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await http.execute(request, timeout: .seconds(5))
        guard response.status == .created else { throw HarnessError("fault injection answered \(response.status.code)") }
    }

    public func clearFaults() async throws {
        var request = HTTPClientRequest(url: baseURL + "/_emulator/faults")
        request.method = .DELETE
        _ = try await http.execute(request, timeout: .seconds(5))
    }

    private func jsonAPI(_ operation: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: baseURL + "/")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
        request.headers.add(name: "X-Amz-Target", value: "AWSCognitoIdentityProviderService.\(operation)")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await http.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw HarnessError("\(operation) answered \(response.status.code)") }
        return (try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any]) ?? [:]
    }
}

/// How far the emulator's clock is moved from the wall clock (shared with its `now` closure).
final class ClockOffset: Sendable {
    private let storage = Mutex<Double>(0)

    var seconds: Double {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
