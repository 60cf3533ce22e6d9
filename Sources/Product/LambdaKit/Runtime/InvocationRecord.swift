import InvocationTelemetry

/// What the runtime knows about one finished invocation, whichever handler family served it: what
/// every `InvocationObserver` (the summary log line, the metrics document) is given. Holds no
/// part of the request or the answer beyond the route key and the status: never a token, a body,
/// a header, a user or an address.
public struct InvocationRecord: Sendable {
    /// How the invocation ended, as the runtime sees it.
    public enum Result: String, Sendable {
        /// The handler answered (an HTTP error response is an answer).
        case answered
        /// The handler threw a `FunctionError` on purpose (e.g. the authorizer's `Unauthorized`).
        case functionError
        /// The event could not be read, the handler threw, or the answer was too large.
        case failed
    }

    /// `AWS_LAMBDA_FUNCTION_NAME`, else the executable's name (stdin mode).
    public var functionName: String
    /// The request family: `restV1`, `httpV2`, `functionURL`, `alb` (an HTTP event, see
    /// `EventOrigin`), `event` (an event handler's payload), `unknown` (not an HTTP event).
    public var family: String
    /// API Gateway's `routeKey` (HTTP API) or `resource` (REST API) when the event has one: the
    /// template's route, never the requested path.
    public var route: String?
    /// The HTTP status of an HTTP answer.
    public var status: Int?
    /// The stable outcome code: the problem `code` of an HTTP error, `ok`, or what an event
    /// handler recorded (`allow`, `deny`, `unauthorized`…). Always `InvocationOutcome.isBounded`.
    public var outcome: String
    public var result: Result
    /// From the event's arrival at the handler to its encoded answer (not the Runtime API post).
    public var durationNanoseconds: Int64
    /// The first invocation of the process (of the execution environment, in Lambda).
    public var coldStart: Bool
    /// Lambda's request id (stdin mode: a generated `local-…` id).
    public var requestId: String
    /// API Gateway's `requestContext.requestId`, when the event has one.
    public var apiRequestId: String?
    public var traceId: String?
    /// Wall-clock start, Unix epoch milliseconds.
    public var startEpochMs: Int64
    /// The calls to Cognito (and the JWKS host) the handler made, in order.
    public var upstreamCalls: [UpstreamCall]

    public init(
        functionName: String, family: String, route: String? = nil, status: Int? = nil, outcome: String,
        result: Result, durationNanoseconds: Int64, coldStart: Bool, requestId: String,
        apiRequestId: String? = nil, traceId: String? = nil, startEpochMs: Int64, upstreamCalls: [UpstreamCall] = []
    ) {
        self.functionName = functionName
        self.family = family
        self.route = route
        self.status = status
        self.outcome = outcome
        self.result = result
        self.durationNanoseconds = durationNanoseconds
        self.coldStart = coldStart
        self.requestId = requestId
        self.apiRequestId = apiRequestId
        self.traceId = traceId
        self.startEpochMs = startEpochMs
        self.upstreamCalls = upstreamCalls
    }

    /// A server-side failure: a 5xx answer or a failed invocation (not a refusal, not the
    /// authorizer's `Unauthorized`). What the `Faults` metric counts.
    public var isFault: Bool {
        result == .failed || (status ?? 0) >= 500
    }
}
