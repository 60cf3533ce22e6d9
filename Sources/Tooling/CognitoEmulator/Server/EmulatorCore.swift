import Crypto
import FoundationEssentials
import Hummingbird
import JSONValue
import NIOCore
import WireCoding

/// Shared state and helpers behind every route.
final class EmulatorCore: Sendable {
    let options: EmulatorOptions
    let keys: EmulatorSigningKeys
    let store: EmulatorStore
    let faults = FaultInjector()
    let clock: EmulatorClock
    let minter: TokenMinter
    let inspector: AccessTokenInspector
    let peers: PeerAccessPolicy

    static let adminScope = "aws.cognito.signin.user.admin"

    init(options: EmulatorOptions) throws {
        self.options = options
        self.keys = try options.signingKeysPEM.map { try EmulatorSigningKeys.parse(pem: $0) } ?? .generate()
        self.store = EmulatorStore(users: options.users)
        self.clock = EmulatorClock(base: options.now)
        self.minter = TokenMinter(keys: keys, issuer: options.issuer, lifetime: options.accessTokenLifetime)
        // Cognito's GetUser takes an access token of any app client of the pool.
        self.inspector = AccessTokenInspector(
            key: keys.access, issuer: options.issuer, clientIds: options.appClients.filter { !$0.clientCredentials }.map(\.clientId))
        self.peers = PeerAccessPolicy(unsafeExpose: options.unsafeExpose)
    }

    // MARK: access tokens

    /// The checks Cognito makes on a user-authorized call: valid + unexpired, not revoked,
    /// carrying `requiredScope`, for an existing user.
    func authorizeAccessToken(_ token: String, requiredScope: String?) async -> Result<(AccessTokenInspector.Claims, UserRecord), AccessTokenFailure> {
        let claims: AccessTokenInspector.Claims
        switch inspector.inspect(token, now: clock.seconds) {
        case .failure(let problem): return .failure(.token(problem))
        case .success(let value): claims = value
        }
        if await store.isRevoked(originJti: claims.originJti) { return .failure(.token(.revoked)) }
        if let requiredScope, !Exact.contains(claims.scopes, requiredScope) { return .failure(.token(.missingScope)) }
        guard let user = store.user(named: claims.username) else { return .failure(.userNotFound) }
        return .success((claims, user))
    }

    enum AccessTokenFailure: Error {
        case token(AccessTokenProblem)
        case userNotFound
    }

    // MARK: client authentication

    /// The app client with exactly this id (any of the pool's), or nil.
    func appClient(_ clientId: String?) -> EmulatorAppClient? {
        options.appClients.first { Exact.equals(clientId, $0.clientId) }
    }

    /// A client users sign in with (not a client-credentials one), or nil.
    func userClient(_ clientId: String?) -> EmulatorAppClient? {
        appClient(clientId).flatMap { $0.clientCredentials ? nil : $0 }
    }

    /// The resource server with exactly this identifier (RFC 8707 `resource`), or nil.
    func resourceServer(_ identifier: String) -> EmulatorResourceServer? {
        options.resourceServers.first { Exact.equals(identifier, $0.identifier) }
    }

    /// OAuth2 client authentication: `client_secret_basic` or `client_secret_post`, or just
    /// `client_id` for a public client; the authenticated client, or nil. Ids compared
    /// byte-exactly, secrets in constant time.
    func authenticateClient(headers: HTTPFields, form: FormParameters) -> EmulatorAppClient? {
        if let authorization = headers[.authorization] {
            guard let credentials = Exact.credentials(authorization, scheme: "Basic"),
                let decoded = Base64.decode(credentials.trimmingSpaces)
            else { return nil }
            // Split on the first colon byte (RFC 7617), not on a Character a combining mark could extend.
            let bytes = Array(decoded)
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                let id = String(validating: bytes[..<colon], as: UTF8.self),
                let secret = String(validating: bytes[(colon + 1)...], as: UTF8.self),
                let client = appClient(id)
            else { return nil }
            if let configured = client.clientSecret { return ConstantTime.equals(configured, secret) ? client : nil }
            return secret.isEmpty ? client : nil
        }
        guard let client = appClient(form["client_id"]) else { return nil }
        if let configured = client.clientSecret {
            guard let secret = form["client_secret"] else { return nil }
            return ConstantTime.equals(configured, secret) ? client : nil
        }
        return client
    }

    /// SECRET_HASH = Base64(HMAC-SHA256(key: client secret, message: username + client id)).
    func secretHash(for username: String, client: EmulatorAppClient) -> String? {
        guard let secret = client.clientSecret else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Array((username + client.clientId).utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Base64.encode(ByteArray.of(mac))
    }

    // MARK: faults

    enum FaultStyle { case awsJSON, oauth, plain }

    struct ConnectionDropped: Error {}

    /// Appended to the `refresh_token` the token endpoint answers with, while a
    /// `cookieBreakingRefreshToken` fault runs the request.
    @TaskLocal static var refreshTokenSuffix: String = ""

    /// Runs `body` unless a pending fault for `operation` says otherwise.
    func applyingFaults(_ operation: String, style: FaultStyle, context: EmulatorContext, requestId: String, _ body: () async throws -> Response) async throws -> Response {
        guard let fault = await faults.take(for: operation) else { return try await body() }
        options.logger.info("injecting fault", metadata: ["operation": "\(operation)", "kind": "\(fault.kind.rawValue)"])
        switch fault.kind {
        case .latency:
            try await Task.sleep(for: .milliseconds(fault.latencyMs))
            return try await body()
        case .status5xx:
            switch style {
            case .awsJSON: return Responses.awsError("InternalErrorException", "Internal server error.", status: fault.status, requestId: requestId)
            case .oauth, .plain: return Responses.oauthError("server_error", status: fault.status)
            }
        case .throttle:
            switch style {
            case .awsJSON: return Responses.awsError("TooManyRequestsException", "Rate exceeded", status: 400, requestId: requestId)
            case .oauth, .plain:
                return Responses.oauthError("too_many_requests", "Rate exceeded", status: 429, extraHeaders: [.retryAfter: "1"])
            }
        case .malformed:
            // A truncated JSON body with the normal success status and content type.
            let contentType = style == .awsJSON ? Responses.amzJSON : "application/json;charset=UTF-8"
            var headers: HTTPFields = [.contentType: contentType]
            if style == .awsJSON { headers[Responses.amzRequestId] = requestId }
            return Responses.body(#"{"AuthenticationResult":{"AccessToken":"eyJ"#, status: .ok, headers: headers)
        case .cookieBreakingRefreshToken:
            return try await Self.$refreshTokenSuffix.withValue("; Domain=attacker.example; Max-Age=999999999", operation: body)
        case .drop:
            // Close the TCP connection without writing a byte of response.
            try? await context.channel.close(mode: .all)
            throw ConnectionDropped()
        }
    }

    // MARK: helpers

    static func collectBody(_ request: inout Request, limit: Int = 1 << 20) async throws -> [UInt8] {
        let buffer = try await request.collectBody(upTo: limit)
        return Array(buffer.readableBytesView)
    }

    static func queryParameters(_ request: Request) -> FormParameters {
        FormParameters(FormURLEncoding.parseLeniently(request.uri.query ?? ""))
    }

    /// Base URL as the client reached us (for discovery documents and the login form).
    static func baseURL(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "127.0.0.1")
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
