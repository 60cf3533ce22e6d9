import InvocationTelemetry
import Logging
import NIOCore

/// One invocation, the same in both modes: decode the event, call the handler, encode the
/// response for the event's origin, enforce the payload limit; then tell the observers.
enum Invocation {
    enum Outcome: Sendable {
        case response([UInt8])
        case failure(InvocationErrorReport)
        /// A `FunctionError` the handler threw on purpose (stdin mode: on stdout, exit 3).
        case functionError(InvocationErrorReport)
    }

    /// What the observers learn from the event and the answer, besides the outcome.
    struct Observed: Sendable {
        var family: String
        var route: String?
        var status: Int?
        /// The handler's own code (`HTTPResponse.outcome`), before the defaults.
        var code: String?
        var apiRequestId: String?
        /// The upstream calls the handler made (recorded by AuthCore's transport).
        var upstreamCalls: [UpstreamCall] = []
    }

    /// The invocation's ids as log metadata: every line the handler writes carries them (the
    /// JSON log handler lifts them to the top level). `apiRequestId` is added once the event is read.
    static func logger(_ base: Logger, requestId: String, traceId: String?, coldStart: Bool) -> Logger {
        var logger = base
        for (key, value) in InvocationLogMetadata.make(requestId: requestId, traceId: traceId, coldStart: coldStart, apiRequestId: nil) {
            logger[metadataKey: key] = value
        }
        return logger
    }

    /// Performs the invocation and reports it to `observers` (before the caller posts or prints
    /// the answer, so the lines belong to the invocation). `observeFailures` false (stdin mode):
    /// a failed invocation is reported by its caller's one clear line only. Returns the outcome and
    /// the invocation's logger with every id (`apiRequestId` once the event was read), for the
    /// caller's own lines about it.
    static func run(
        payload: [UInt8], context: LambdaContext, handler: InvocationHandler, observers: InvocationObservers,
        functionName: String, coldStart: Bool, observeFailures: Bool = true
    ) async -> (Outcome, Logger) {
        let startEpochMs = WallClock.nowMs()
        let start = NIODeadline.now()
        var context = context
        let (outcome, observed) = await perform(payload: payload, context: &context, handler: handler, coldStart: coldStart)
        let duration = (NIODeadline.now() - start).nanoseconds
        guard !observers.all.isEmpty else { return (outcome, context.logger) }
        let result: InvocationRecord.Result
        let code: String
        switch outcome {
        case .response:
            result = .answered
            if let own = observed.code ?? context.outcome.recorded {
                code = own
            } else if let status = observed.status, status >= 400 {
                code = "http_\(status)"
            } else {
                code = "ok"
            }
        case .functionError(let report):
            result = .functionError
            // The authorizer's `Unauthorized` is `unauthorized` unless it recorded why.
            code = context.outcome.recorded ?? report.errorType.lowercased()
        case .failure(let report):
            guard observeFailures else { return (outcome, context.logger) }
            result = .failed
            code = context.outcome.recorded ?? report.outcomeCode
        }
        let record = InvocationRecord(
            functionName: functionName, family: observed.family, route: observed.route, status: observed.status,
            outcome: InvocationOutcome.bounded(code), result: result, durationNanoseconds: duration,
            coldStart: coldStart, requestId: context.requestId, apiRequestId: observed.apiRequestId,
            traceId: context.traceId, startEpochMs: startEpochMs, upstreamCalls: observed.upstreamCalls
        )
        observers.finished(record, logger: context.logger)
        return (outcome, context.logger)
    }

    static func perform(
        payload: [UInt8], context: inout LambdaContext, handler: InvocationHandler, coldStart: Bool
    ) async -> (Outcome, Observed) {
        switch handler {
        case .http(let handler): return await perform(payload: payload, context: &context, handler: handler, coldStart: coldStart)
        case .event(let handler): return await perform(payload: payload, context: &context, handler: handler, coldStart: coldStart)
        }
    }

    static func perform(
        payload: [UInt8], context: inout LambdaContext, handler: HTTPHandler, coldStart: Bool
    ) async -> (Outcome, Observed) {
        let request: HTTPRequest
        do {
            request = try LambdaEventDecoder.decode(payload)
        } catch {
            return (.failure(InvocationErrorReport(error)), Observed(family: "unknown"))
        }
        var observed = Observed(
            family: request.origin.rawValue, route: request.requestContext.route,
            apiRequestId: request.requestContext.requestId
        )
        if let apiRequestId = observed.apiRequestId { context.logger[metadataKey: "apiRequestId"] = .string(apiRequestId) }
        let response: HTTPResponse
        do {
            let context = context
            response = try await scoped(context, &observed, coldStart) { try await handler(request, context) }
        } catch {
            return (failure(error), observed)
        }
        observed.status = response.status
        observed.code = response.outcome
        return (limited(LambdaResponseEncoder.encode(response, for: request)), observed)
    }

    static func perform(
        payload: [UInt8], context: inout LambdaContext, handler: EventHandler, coldStart: Bool
    ) async -> (Outcome, Observed) {
        var observed = Observed(family: "event", apiRequestId: EventRequestID.find(in: payload))
        if let apiRequestId = observed.apiRequestId { context.logger[metadataKey: "apiRequestId"] = .string(apiRequestId) }
        do {
            let context = context
            let answer = try await scoped(context, &observed, coldStart) { try await handler(payload, context) }
            return (limited(answer), observed)
        } catch {
            return (failure(error), observed)
        }
    }

    /// Runs `body` (the handler) with the invocation's task-locals: its ids for every logger, and
    /// a fresh upstream call log, read into `observed` however the handler ends.
    private static func scoped<T>(
        _ context: LambdaContext, _ observed: inout Observed, _ coldStart: Bool, _ body: () async throws -> T
    ) async throws -> T {
        let metadata = InvocationLogMetadata.make(
            requestId: context.requestId, traceId: context.traceId, coldStart: coldStart, apiRequestId: observed.apiRequestId
        )
        let calls = UpstreamCallLog()
        defer { observed.upstreamCalls = calls.all }
        return try await UpstreamCallLog.$current.withValue(calls) {
            try await InvocationLogMetadata.$current.withValue(metadata) { try await body() }
        }
    }

    private static func failure(_ error: any Error) -> Outcome {
        if let functionError = error as? FunctionError {
            return .functionError(InvocationErrorReport(errorType: functionError.errorType, errorMessage: functionError.errorMessage))
        }
        return .failure(InvocationErrorReport(error))
    }

    private static func limited(_ body: [UInt8]) -> Outcome {
        guard body.count <= RuntimeLoop.maxResponseBytes else {
            return .failure(
                InvocationErrorReport(
                    errorType: "Runtime.ResponseSizeTooLarge",
                    errorMessage: "response is \(body.count) bytes, over the \(RuntimeLoop.maxResponseBytes)-byte limit"
                )
            )
        }
        return .response(body)
    }
}
