import Foundation
import JSONValue
import Synchronization

/// API Gateway's part of a request: route match, CORS, the Lambda authorizer, the format 2.0
/// event, the function's warm process, the answer (or the failed-integration answer), one log line.
public final class RequestDispatcher: Sendable {
    /// Lambda's limit for a synchronous invocation's response payload.
    static let maxResponsePayload = 6 * 1024 * 1024
    private let current: Mutex<ServingGeneration>
    let log: @Sendable (String) -> Void
    /// The dev web app and /openapi.json, answered for paths no template route has.
    let webApp: DevWebApp?
    /// The stage or mapping key requests come through.
    let mount: APIMount

    init(_ generation: ServingGeneration, log: @escaping @Sendable (String) -> Void, webApp: DevWebApp? = nil, mount: APIMount = APIMount()) {
        self.current = Mutex(generation)
        self.log = log
        self.webApp = webApp
        self.mount = mount
    }

    var generation: ServingGeneration { current.withLock { $0 } }

    /// Puts `next` in place for new requests; returns the previous generation.
    func swap(_ next: ServingGeneration) -> ServingGeneration {
        current.withLock { current in
            defer { current = next }
            return current
        }
    }

    public func handle(_ request: GatewayRequest) async -> GatewayResponse {
        let start = ContinuousClock.now
        let generation = self.generation
        var note = ""
        var functionLabel = "-"
        let requestId = UUID().uuidString.lowercased()
        var response = await route(request, generation, requestId, &functionLabel, &note)
        response.headers.append(("apigw-requestid", requestId))
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        log("\(request.method) \(request.rawPath) \(response.status) \(functionLabel) \(String(format: "%.1f", ms)) ms\(note)")
        return response
    }

    private func route(
        _ request: GatewayRequest, _ generation: ServingGeneration, _ requestId: String, _ functionLabel: inout String,
        _ note: inout String
    ) async -> GatewayResponse {
        // Before the template is read, no request is answered "no such route" (404) for a route
        // that is about to exist: 503, API Gateway's answer when it cannot serve, and a retry hint.
        if generation.isStarting {
            var response = GatewayResponse.serviceUnavailable
            response.headers.append(("retry-after", "1"))
            return response
        }
        let stack = generation.stack
        // Routes are matched on the path within the API; outside the stage or mapping, 404.
        guard let path = mount.pathWithinAPI(request.rawPath) else {
            if let page = webApp?.response(request) {
                functionLabel = "(web app)"
                return page
            }
            return GatewayResponse.notFound
        }
        if CORSPolicy.isPreflight(request) {
            let method = request.header("access-control-request-method") ?? ""
            let apiId = generation.routes.match(method: method, path: path)?.route.apiId
                ?? stack.apis.values.first(where: { $0.cors != nil })?.logicalId
            if let apiId, let cors = stack.apis[apiId]?.cors {
                functionLabel = "(preflight)"
                return CORSPolicy(cors).preflight(request)
            }
        }
        guard let match = generation.routes.match(method: request.method, path: path) else {
            if let page = webApp?.response(request) {
                functionLabel = "(web app)"
                return page
            }
            var response = GatewayResponse.notFound
            if stack.apis.count == 1, let cors = stack.apis.values.first?.cors { CORSPolicy(cors).decorate(&response, for: request) }
            return response
        }
        let route = match.route
        let api = stack.apis[route.apiId]
        let builder = EventBuilder(accountId: stack.accountId, apiId: route.apiId, region: stack.region, mount: mount)
        let context = EventBuilder.Context(
            requestId: requestId, routeKey: route.routeKey, pathParameters: match.pathParameters,
            timeEpochMs: Int64(Date().timeIntervalSince1970 * 1000), apiPath: path)
        var response = await integrate(request, route, match, builder, context, generation, &functionLabel, &note)
        if let cors = api?.cors { CORSPolicy(cors).decorate(&response, for: request) }
        return response
    }

    private func integrate(
        _ request: GatewayRequest, _ route: StackDescription.Route, _ match: RouteTable.Match, _ builder: EventBuilder,
        _ context: EventBuilder.Context, _ generation: ServingGeneration, _ functionLabel: inout String, _ note: inout String
    ) async -> GatewayResponse {
        functionLabel = route.functionId
        var authorizerContext: JSONValue?
        if let name = route.authorizer {
            guard let authorizer = generation.stack.apis[route.apiId]?.authorizers[name] else {
                return .internalServerError
            }
            let decision = await authorize(request, authorizer, route, builder, context, generation, &note)
            switch decision {
            case .allow(let context): authorizerContext = context ?? .object([:])
            case .deny: return .forbidden
            case .failed(let reason):
                note += " (authorizer failed: \(reason))"
                return .internalServerError
            case nil: return .unauthorized
            }
        }
        guard let pool = generation.pools[route.functionId], let function = generation.stack.functions[route.functionId] else {
            return .internalServerError
        }
        let event = builder.event(request, context, authorizerContext: authorizerContext)
        let (wait, lambdaTimesOutFirst) = Self.deadline(function: function, route: route)
        let invocation = await pool.invoke(event: event, timeout: wait)
        note += " \(invocation.cold ? "cold" : "warm") #\(invocation.processId)"
        switch invocation.result {
        case .response(let payload):
            guard payload.count <= Self.maxResponsePayload else {
                note += " (response over Lambda's 6 MB limit)"
                return .internalServerError
            }
            guard let response = ProxyResponse.read(payload) else {
                note += " (malformed Lambda proxy response)"
                return .internalServerError
            }
            return response
        case .functionError(let type, _):
            note += " (function error \(type ?? "Unhandled"))"
            return .internalServerError
        case .crashed(let reason):
            note += " (\(reason); process replaced)"
            return .internalServerError
        case .timedOut:
            if lambdaTimesOutFirst {
                note += " (Task timed out after \(function.timeoutSeconds) s; process replaced)"
                return .internalServerError
            }
            note += " (integration timeout \(route.integrationTimeoutMs) ms; process replaced)"
            return .serviceUnavailable
        }
    }

    /// Lambda stops the function at its Timeout (an invocation error: 500); API Gateway gives up
    /// at the integration timeout (503). Whichever comes first decides the answer.
    static func deadline(function: StackDescription.Function, route: StackDescription.Route) -> (Duration, Bool) {
        let lambdaMs = function.timeoutSeconds * 1000
        return lambdaMs <= route.integrationTimeoutMs
            ? (.milliseconds(lambdaMs), true) : (.milliseconds(route.integrationTimeoutMs), false)
    }

    /// nil: an identity source is missing (401 without calling the authorizer).
    private func authorize(
        _ request: GatewayRequest, _ authorizer: StackDescription.Authorizer, _ route: StackDescription.Route,
        _ builder: EventBuilder, _ context: EventBuilder.Context, _ generation: ServingGeneration, _ note: inout String
    ) async -> AuthorizerDecision? {
        var values: [String] = []
        for source in authorizer.identitySources {
            guard let value = identityValue(source, request, route, builder, context), !value.isEmpty else { return nil }
            values.append(value)
        }
        let cache = generation.caches[route.apiId + "/" + authorizer.name]
        let key = AuthorizerCache.key(values)
        if authorizer.ttlSeconds > 0, let cached = cache?.lookup(key) {
            note += " authorizer cached"
            return cached
        }
        guard let pool = generation.pools[authorizer.functionId],
            let function = generation.stack.functions[authorizer.functionId]
        else { return .failed("function \(authorizer.functionId) is not served") }
        let event = builder.authorizerEvent(request, context, identitySource: values)
        // API Gateway waits at most 10 s for an authorizer.
        let wait = Duration.milliseconds(min(function.timeoutSeconds * 1000, 10_000))
        let invocation = await pool.invoke(event: event, timeout: wait)
        note += " authorizer \(authorizer.functionId) \(invocation.cold ? "cold" : "warm") #\(invocation.processId)"
        let decision: AuthorizerDecision
        switch invocation.result {
        case .response(let payload):
            decision = AuthorizerDecision.read(payload, simple: authorizer.simpleResponses, routeArn: builder.routeArn(request, context))
        case .functionError(let type, _): decision = .failed("function error \(type ?? "Unhandled")")
        case .crashed(let reason): decision = .failed(reason)
        case .timedOut: decision = .failed("timed out")
        }
        cache?.store(key, decision, ttlSeconds: authorizer.ttlSeconds)
        return decision
    }

    private func identityValue(
        _ source: StackDescription.IdentitySource, _ request: GatewayRequest, _ route: StackDescription.Route,
        _ builder: EventBuilder, _ context: EventBuilder.Context
    ) -> String? {
        switch source {
        case .header(let name):
            let values = request.values(name)
            return values.isEmpty ? nil : values.joined(separator: ",")
        case .queryString(let name):
            return EventBuilder.queryParameters(request.rawQueryString)[name]
        case .stageVariable:
            return nil
        case .context(let name):
            switch name {
            case "httpMethod": return request.method
            case "path": return request.rawPath
            case "routeKey": return route.routeKey
            case "stage": return builder.mount.stage
            case "apiId": return builder.apiId
            case "accountId": return builder.accountId
            case "requestId": return context.requestId
            case "identity.sourceIp": return request.sourceIp
            case "domainName": return request.header("host")
            default: return nil
            }
        }
    }
}
