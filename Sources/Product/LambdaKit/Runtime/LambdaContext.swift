import Logging
import NIOCore

/// What the handler knows about the invocation besides the request.
public struct LambdaContext: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id` (stdin mode: a generated `local-…` id).
    public var requestId: String
    public var invokedFunctionARN: String?
    /// `Lambda-Runtime-Trace-Id`; also exported as `_X_AMZN_TRACE_ID` for the invocation.
    public var traceId: String?
    /// `Lambda-Runtime-Client-Context` (JSON text, mobile SDK invocations only).
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity` (JSON text).
    public var cognitoIdentity: String?
    /// Lambda: from `Lambda-Runtime-Deadline-Ms`; stdin mode: now + 30 s.
    public var deadline: NIODeadline
    /// The deadline as Unix epoch milliseconds, as Lambda sent it.
    public var deadlineEpochMs: Int64
    /// JSON lines on stderr, with the invocation's ids attached (`requestId`, `apiRequestId`,
    /// `traceId`, `coldStart`).
    public var logger: Logger
    /// Where an event handler records its outcome code for the metrics and the summary line.
    public let outcome: InvocationOutcome

    public init(
        requestId: String, invokedFunctionARN: String? = nil, traceId: String? = nil,
        clientContext: String? = nil, cognitoIdentity: String? = nil,
        deadline: NIODeadline, deadlineEpochMs: Int64? = nil, logger: Logger,
        outcome: InvocationOutcome = InvocationOutcome()
    ) {
        self.requestId = requestId
        self.invokedFunctionARN = invokedFunctionARN
        self.traceId = traceId
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.deadline = deadline
        self.deadlineEpochMs = deadlineEpochMs
            ?? WallClock.nowMs() + (deadline - .now()).nanoseconds / 1_000_000
        self.logger = logger
        self.outcome = outcome
    }

    /// Time left before the deadline (negative once passed).
    public var remainingTime: TimeAmount { deadline - .now() }
}

/// A request handler: one call per invocation. Thrown errors become invocation errors (Lambda:
/// `/error`; stdin mode: one stderr line, exit 1); an HTTP error answer is a returned response.
public typealias HTTPHandler = @Sendable (HTTPRequest, LambdaContext) async throws -> HTTPResponse
