import CognitoEmulator
import Foundation
import Logging
import Synchronization

/// The whole stack on loopback: the Cognito emulator (or a real pool), the template's routes
/// served as API Gateway HTTP API would, and the functions as warm Lambda-mode processes.
public final class LocalAPI: Sendable {
    public let options: LocalAPIOptions
    public let port: Int
    public let emulator: CognitoEmulatorServer?
    let server: GatewayServer
    let dispatcher: RequestDispatcher
    let counter: ProcessCounter
    private let generations = GenerationCounter()
    private let retired = Mutex<[ServingGeneration]>([])

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var stack: StackDescription { dispatcher.generation.stack }

    private init(
        options: LocalAPIOptions, port: Int, emulator: CognitoEmulatorServer?, server: GatewayServer,
        dispatcher: RequestDispatcher, counter: ProcessCounter
    ) {
        self.options = options
        self.port = port
        self.emulator = emulator
        self.server = server
        self.dispatcher = dispatcher
        self.counter = counter
    }

    /// The origins and callback URLs of a local app on `port`, as the emulator registers them and
    /// as the CORS / cookie allow-lists use them.
    public static func localOrigins(port: Int) -> [String] { ["http://localhost:\(port)", "http://127.0.0.1:\(port)"] }

    /// Parameters that follow the local set-up when the template declares them (overrides still
    /// win): the origins follow the port; the app and the API share one origin, as on a custom
    /// domain, so the refresh cookie is SameSite=Strict; the example route is served.
    public static func localParameterDefaults(port: Int) -> [String: String] {
        let origins = localOrigins(port: port)
        return [
            "CorsAllowedOrigins": origins.joined(separator: ","),
            "RedirectUris": origins.map { $0 + "/callback" }.joined(separator: ","),
            "RefreshCookieSameSite": "Strict",
            "DeployExample": "true",
            // The revocation table needs a local DynamoDB, which local-api does not emulate:
            // scripts/serve starts moto, creates the table and turns it on (RevocationStore=true).
            "RevocationStore": "false",
        ]
    }

    public static func start(_ options: LocalAPIOptions) async throws -> LocalAPI {
        let counter = ProcessCounter()
        let empty = ServingGeneration(
            number: 0, stack: StackDescription(), binDirectory: options.binDirectory, concurrency: options.concurrency,
            output: options.functionOutput, counter: counter)
        let webApp = DevWebApp()
        let dispatcher = RequestDispatcher(empty, log: options.log, webApp: webApp, mount: options.mount)
        let server = try await GatewayServer.bind(port: options.port, dispatcher: dispatcher)
        var emulator: CognitoEmulatorServer?
        do {
            if options.cognito == .emulator {
                var emulatorOptions = EmulatorOptions()
                emulatorOptions.port = options.cognitoPort
                let origins = localOrigins(port: server.port)
                emulatorOptions.redirectURIs = origins.map { $0 + "/callback" }
                emulatorOptions.logoutURIs = origins.map { $0 + "/" }
                emulatorOptions.logger.logLevel = .warning
                emulator = try await CognitoEmulatorServer.start(emulatorOptions)
            }
            let environment = Self.cognitoEnvironment(options.cognito, emulator: emulator, port: server.port)
            if let domain = environment["COGNITO_DOMAIN"], let clientId = environment["COGNITO_CLIENT_ID"] {
                webApp.configure(
                    DevWebApp.Config(
                        authorizeURL: domain + "/oauth2/authorize", clientId: clientId,
                        scope: "openid email aws.cognito.signin.user.admin"))
            }
            let api = LocalAPI(
                options: options, port: server.port, emulator: emulator, server: server, dispatcher: dispatcher,
                counter: counter)
            try api.reload()
            webApp.configure(protectedPath: api.stack.routes.first { $0.authorizer != nil && $0.method == "GET" && !$0.path.contains("{") }?.path)
            return api
        } catch {
            try? await emulator?.shutdown()
            await server.close()
            throw error
        }
    }

    var cognitoEnvironment: [String: String] { Self.cognitoEnvironment(options.cognito, emulator: emulator, port: port) }

    static func cognitoEnvironment(_ cognito: LocalAPIOptions.Cognito, emulator: CognitoEmulatorServer?, port: Int)
        -> [String: String]
    {
        switch cognito {
        case .emulator:
            var environment = (emulator?.environment ?? [:]).filter { $0.key.hasPrefix("COGNITO_") }
            // The dev web app's own URL is a registered sign-out URL of the emulator's client
            // (logoutURIs above): logout then answers logout_url, which ends the managed-login
            // session and comes back to the page.
            environment["COGNITO_LOGOUT_URI"] = localOrigins(port: port)[0] + "/"
            return environment
        case .real(let environment):
            return environment.filter { $0.key.hasPrefix("COGNITO_") }
        }
    }

    /// Reads the template again.
    public func readStack() throws -> StackDescription {
        let template = try TemplateLoader.load(path: options.templatePath)
        var reader = StackReader(template: template)
        reader.parameterOverrides = options.parameterOverrides
        reader.localParameterDefaults = Self.localParameterDefaults(port: port)
        reader.cognitoEnvironment = cognitoEnvironment
        if let region = emulator?.options.region ?? cognitoEnvironment["COGNITO_REGION"] { reader.region = region }
        return try reader.read()
    }

    /// Reads the stack and swaps in a new generation of (not yet started) processes; the old
    /// generation finishes its requests in flight, then its processes stop.
    @discardableResult
    public func reload() throws -> StackDescription {
        let stack = try readStack()
        for function in stack.functions.values {
            let path = options.binDirectory + "/" + function.executableName
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw LocalAPIError("function \(function.logicalId): no executable at \(path) (swift build --product \(function.executableName))")
            }
        }
        let next = ServingGeneration(
            number: generations.next(), stack: stack, binDirectory: options.binDirectory, concurrency: options.concurrency,
            output: options.functionOutput, counter: counter)
        let previous = dispatcher.swap(next)
        retired.withLock { $0.append(previous) }
        Task { await previous.retire() }
        return stack
    }

    public var generation: Int { dispatcher.generation.number }

    /// Processes started so far by the current generation for `functionId`, and its peak of
    /// concurrent invocations.
    public func poolStatistics(_ functionId: String) async -> (started: Int, live: Int, peakBusy: Int) {
        guard let pool = dispatcher.generation.pools[functionId] else { return (0, 0, 0) }
        return (await pool.started, await pool.liveCount, await pool.peakBusy)
    }

    /// Stops listening, every process of every generation, and the emulator.
    public func shutdown() async {
        await server.close()
        await dispatcher.generation.stopAll()
        for generation in retiredGenerations() { await generation.stopAll() }
        try? await emulator?.shutdown()
    }

    private func retiredGenerations() -> [ServingGeneration] { retired.withLock { $0 } }

    /// What the banner prints: URLs, the demo user, each route and what runs it, then warnings.
    public func bannerLines() -> [String] {
        let stack = self.stack
        var lines: [String] = []
        lines.append("Local API: \(baseURL)  (also http://localhost:\(port); loopback only)")
        lines.append("Demo web app: http://localhost:\(port)/   OpenAPI document: http://localhost:\(port)/openapi.json")
        if let emulator {
            lines.append("Cognito emulator: \(emulator.baseURL)  pool \(emulator.options.userPoolId), client \(emulator.options.clientId)")
            if let user = emulator.options.users.first {
                lines.append("Demo user: \(user.username) / \(user.password)")
            }
            lines.append("Sign in: \(emulator.baseURL)/oauth2/authorize?response_type=code&client_id=\(emulator.options.clientId)&redirect_uri=\(emulator.options.redirectURIs[0])&scope=openid+email+aws.cognito.signin.user.admin&code_challenge=...&code_challenge_method=S256")
        } else {
            lines.append("Cognito: the real user pool \(cognitoEnvironment["COGNITO_USER_POOL_ID"] ?? "?") from the environment")
        }
        lines.append("Routes:")
        for route in stack.routes.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
            let function = stack.functions[route.functionId]
            var line = "  \(route.routeKey.padding(toLength: 24, withPad: " ", startingAt: 0)) -> \(route.functionId) (\(function?.executableName ?? "?"), timeout \(function?.timeoutSeconds ?? 0) s)"
            if let authorizer = route.authorizer { line += " behind authorizer \(authorizer)" }
            lines.append(line)
        }
        for api in stack.apis.values.sorted(by: { $0.logicalId < $1.logicalId }) {
            if let cors = api.cors {
                lines.append("CORS (\(api.logicalId)): origins \(cors.allowOrigins.joined(separator: ", "))\(cors.allowCredentials ? ", with credentials" : "")")
            }
            for authorizer in api.authorizers.values.sorted(by: { $0.name < $1.name }) {
                lines.append("Authorizer \(authorizer.name): \(authorizer.functionId), payload 2.0, \(authorizer.simpleResponses ? "simple" : "IAM policy") responses, cache \(authorizer.ttlSeconds) s")
            }
        }
        if !stack.emulated.isEmpty, emulator != nil {
            lines.append("Served by the emulator instead of deployed: \(stack.emulated.joined(separator: ", "))")
        }
        lines.append("Up to \(options.concurrency) warm processes per function, started on demand.")
        for warning in stack.warnings { lines.append("warning: \(warning)") }
        return lines
    }
}

final class GenerationCounter: Sendable {
    private let counter = ProcessCounter()
    func next() -> Int { counter.next() }
}
