import FoundationEssentials
import Hummingbird
import JSONValue
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import WireCoding

/// A local Cognito user pool + app client + managed-login domain on one loopback port.
public final class CognitoEmulatorServer: Sendable {
    public let options: EmulatorOptions
    /// Bound port (useful when `options.port` is 0).
    public let port: Int
    /// `http://HOST:PORT`, no trailing slash.
    public let baseURL: String
    private let core: EmulatorCore
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(options: EmulatorOptions, port: Int, core: EmulatorCore, group: ServiceGroup, task: Task<Void, any Error>) {
        self.options = options
        self.port = port
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        self.baseURL = "http://\(host):\(port)"
        self.core = core
        self.group = group
        self.task = task
    }

    /// Starts the server and returns once it accepts connections.
    public static func start(_ options: EmulatorOptions) async throws -> CognitoEmulatorServer {
        guard (0...65535).contains(options.port) else { throw EmulatorConfigurationError("port must be 0...65535") }
        guard !options.redirectURIs.isEmpty else { throw EmulatorConfigurationError("at least one redirect URI is required") }
        guard options.accessTokenLifetime > 0, options.refreshTokenLifetime > 0, options.authorizationCodeLifetime > 0 else {
            throw EmulatorConfigurationError("lifetimes must be positive")
        }
        guard (0...60).contains(options.rotationGraceSeconds) else {
            throw EmulatorConfigurationError("rotation grace period must be 0...60 seconds (Cognito's RetryGracePeriodSeconds range)")
        }
        if let limit = options.getUserReadsPerSecond, limit < 1 { throw EmulatorConfigurationError("the GetUser limit must be at least 1 per second") }
        var clientIds = Set<[UInt8]>()
        for client in options.appClients where !clientIds.insert(Array(client.clientId.utf8)).inserted {
            throw EmulatorConfigurationError("two app clients have the id \(client.clientId)")
        }
        for client in options.appClients where client.clientCredentials && client.clientSecret == nil {
            throw EmulatorConfigurationError("the client-credentials client \(client.clientId) needs a secret (Cognito requires one)")
        }
        // A pre token generation trigger cannot add or override the claims Cognito itself sets.
        for user in options.users {
            for name in user.claims.keys where Exact.contains(TokenMinter.reservedClaims, name) {
                throw EmulatorConfigurationError("user \(user.username): claim \(name) is Cognito's own and cannot be added")
            }
        }
        // Generating RSA keys takes up to a second: on NIO's blocking pool, not on a cooperative
        // thread of the caller's concurrency pool.
        let core = try await NIOThreadPool.singleton.runIfActive { try EmulatorCore(options: options) }
        let router = makeRouter(core)
        let (addresses, continuation) = AsyncStream<SocketAddress?>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress)
                continuation.finish()
            },
            logger: options.logger
        )
        // Our own ServiceGroup (no signal handling: the executable does that) so shutdown()
        // can stop the server gracefully instead of cancelling it.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: options.logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = addresses.makeAsyncIterator()
        guard let address = await iterator.next() else {
            // The server stopped before it was listening: surface its error (e.g. port in use).
            try await task.value
            throw EmulatorConfigurationError("the server stopped before it was listening")
        }
        let port = address?.port ?? 0
        // Judged on the address actually bound (a host name like `localhost` may resolve either way).
        if !PeerAccessPolicy.isLoopback(address) {
            options.warningHandler(exposureWarning(host: options.host, port: port, unsafeExpose: options.unsafeExpose))
        }
        return CognitoEmulatorServer(options: options, port: port, core: core, group: group, task: task)
    }

    /// Stops listening and closes idle connections; requests still running (e.g. an injected
    /// delay) get two seconds before the server task is cancelled.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        let task = self.task
        let deadline = Task {
            try await Task.sleep(for: .seconds(2))
            task.cancel()
        }
        defer { deadline.cancel() }
        do {
            try await task.value
        } catch is CancellationError {}
    }

    /// The `COGNITO_*` variables that point the product at this emulator.
    public var environment: [String: String] {
        Dictionary(uniqueKeysWithValues: environmentPairs)
    }

    /// `scheme://host[:port]` of each http(s) URL, in order, without repeats.
    static func origins(of urls: [String]) -> [String] {
        var origins: [String] = []
        for url in urls {
            guard let components = URLComponents(string: url), let scheme = components.scheme, scheme == "http" || scheme == "https",
                let host = components.host
            else { continue }
            let origin = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
            if !origins.contains(origin) { origins.append(origin) }
        }
        return origins
    }

    /// The same variables in a stable order.
    public var environmentPairs: [(String, String)] {
        var pairs: [(String, String)] = [
            ("COGNITO_USER_POOL_ID", options.userPoolId),
            ("COGNITO_CLIENT_ID", options.clientId),
        ]
        if let secret = options.clientSecret { pairs.append(("COGNITO_CLIENT_SECRET", secret)) }
        pairs += [
            ("COGNITO_DOMAIN", baseURL),
            ("COGNITO_IDP_ENDPOINT", baseURL),
            ("COGNITO_REGION", options.region),
            ("COGNITO_REDIRECT_URI", options.redirectURIs.joined(separator: ",")),
            // The web apps behind the redirect URIs may use the refresh cookie.
            ("AUTH_ALLOWED_ORIGINS", Self.origins(of: options.redirectURIs).joined(separator: ",")),
        ]
        return pairs
    }

    /// `export NAME='value'` lines, shell-quoted, ready to `source`.
    public var exportLines: String {
        environmentPairs.map { "export \($0.0)=\(Self.shellQuote($0.1))\n" }.joined()
    }

    /// The JWKS the emulator serves, as JSON text (for `COGNITO_JWKS` preloading in tests).
    public var jwksJSON: String { core.keys.jwks.serialized() }

    /// For test harnesses only: `token` (an access token this emulator minted) with the claims in
    /// `replacing` set (each value a JSON text: `"\"https://…\""`, `"[\"a\",\"b\"]"`), and
    /// signed again with the pool's access-token key. Cognito never issues such a token (an issuer
    /// no verifier should list, say), yet its signature is the pool's: what a verifier must refuse
    /// on its claims alone.
    public func resigned(_ token: String, replacing claims: [String: String]) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
            case .object(var members)? = try? JSONValue.parse(payload, policy: .jose)
        else { throw EmulatorConfigurationError("not a JWT") }
        for (name, text) in claims {
            guard let value = try? JSONValue.parse(Array(text.utf8), policy: .jose) else {
                throw EmulatorConfigurationError("claim \(name): not a JSON value")
            }
            members[name] = value
        }
        return try core.keys.access.sign(payload: OrderedJSON(sortedFrom: .object(members)))
    }

    /// Moves the emulator's clock forward (expires codes and tokens without waiting).
    public func advanceClock(by seconds: Double) {
        core.clock.advance(by: seconds)
    }

    /// The one line printed when the bind is reachable from other machines.
    static func exposureWarning(host: String, port: Int, unsafeExpose: Bool) -> String {
        let access =
            unsafeExpose
            ? "--unsafe-expose is set: the control API (/_emulator/*) and credentials in the /oauth2/authorize query are open to every peer"
            : "the control API (/_emulator/*) and credentials in the /oauth2/authorize query are disabled for non-loopback peers"
        return "cognito-emulator: WARNING: listening on \(host) port \(port), reachable from other machines; no TLS (tokens and passwords cross the network in clear text); \(access)"
    }

    static func shellQuote(_ value: String) -> String {
        "'" + value.replacing("'", with: #"'\''"#) + "'"
    }

    private static func makeRouter(_ core: EmulatorCore) -> Router<EmulatorContext> {
        let router = Router(context: EmulatorContext.self)
        let api = JSONAPI(core: core)
        let hosted = HostedUI(core: core)
        let token = TokenEndpoint(core: core)
        let resources = OAuthResourceEndpoints(core: core)
        let wellKnown = WellKnown(core: core)
        let control = ControlAPI(core: core)
        let peers = LoopbackOnlyMiddleware(policy: core.peers)

        router.post("/", use: api.handle)
        router.get(":poolId/.well-known/jwks.json", use: wellKnown.jwks)
        router.get(":poolId/.well-known/openid-configuration", use: wellKnown.openIDConfiguration)
        router.get("oauth2/authorize", use: hosted.authorize)
        router.post("oauth2/authorize", use: hosted.authorize)
        router.post("oauth2/token", use: token.handle)
        for path in ["oauth2/userInfo", "oauth2/userinfo"] {
            router.get(RouterPath(path), use: resources.userInfo)
            router.post(RouterPath(path), use: resources.userInfo)
        }
        router.post("oauth2/revoke", use: resources.revoke)
        router.get("logout", use: hosted.logout)
        router.group("_emulator").add(middleware: peers)
            .post("faults", use: control.addFaults)
            .get("faults", use: control.listFaults)
            .delete("faults", use: control.clearFaults)
            .get("clock", use: control.clock)
            .post("clock", use: control.clock)
            .get("health", use: control.health)
        return router
    }
}
