import Logging
import NIOCore

/// Lambda mode: init, then `next` → handler → `response` | `error`, until the Runtime API fails.
/// `run` returns the process's exit status (`LambdaMain` exits with it); SIGTERM exits 0 through
/// `TerminationGuard`.
enum RuntimeLoop {
    /// Lambda's synchronous invocation payload limit.
    static let maxResponseBytes = 6 * 1024 * 1024

    static func run(
        address: String, logger: Logger, observers: InvocationObservers, functionName: String,
        makeHandler: @Sendable (Logger) async throws -> InvocationHandler
    ) async -> Int32 {
        let client: RuntimeAPIClient
        do {
            client = try RuntimeAPIClient(address: address)
        } catch {
            return failure("\(error)")
        }
        return await run(
            client: client, termination: TerminationGuard(), logger: logger, observers: observers, functionName: functionName,
            makeHandler: makeHandler
        )
    }

    /// The loop over `client`: 1 when init fails (after `/init/error`) or the Runtime API does;
    /// it never returns otherwise. `termination` (nil in tests) is told when an invocation is in flight.
    static func run<Client: LambdaRuntimeAPI>(
        client: Client, termination: TerminationGuard?, traceEnvironment: TraceIDEnvironment = TraceIDEnvironment(),
        logger: Logger, observers: InvocationObservers = .none, functionName: String = "function",
        makeHandler: @Sendable (Logger) async throws -> InvocationHandler
    ) async -> Int32 {
        let handler: InvocationHandler
        do {
            handler = try await makeHandler(logger)
        } catch {
            let report = InvocationErrorReport(error)
            logger.error("init failed", metadata: ["errorType": .string(report.errorType), "error": .string(report.errorMessage)])
            do {
                _ = try await client.postInitError(errorType: report.errorType, body: report.json)
            } catch {
                return failure("init failed and could not be reported: \(error)")
            }
            return 1
        }

        // Cold: the first invocation of this execution environment (Lambda runs one at a time).
        var coldStart = true
        while true {
            let invocation: RuntimeAPIClient.Invocation
            do {
                invocation = try await client.next()
            } catch {
                return failure("\(error)")
            }
            termination?.invocationStarted()
            do throws(RuntimeAPIClientError) {
                try await serve(
                    invocation, client: client, handler: handler, traceEnvironment: traceEnvironment, logger: logger,
                    observers: observers, functionName: functionName, coldStart: coldStart
                )
            } catch {
                return failure("\(error)")
            }
            coldStart = false
            termination?.invocationFinished()
        }
    }

    /// Runs the handler for `invocation` and posts its answer; throws when the answer cannot be posted.
    private static func serve<Client: LambdaRuntimeAPI>(
        _ invocation: RuntimeAPIClient.Invocation, client: Client, handler: InvocationHandler,
        traceEnvironment: TraceIDEnvironment, logger: Logger, observers: InvocationObservers, functionName: String,
        coldStart: Bool
    ) async throws(RuntimeAPIClientError) {
        let headers = invocation.headers
        let traceId = headers.first(name: "lambda-runtime-trace-id")
        // Not setenv: it keeps a copy of every value for good, one per invocation (TraceIDEnvironment).
        traceEnvironment.set(traceId)
        let invocationLogger = Invocation.logger(logger, requestId: invocation.requestId, traceId: traceId, coldStart: coldStart)
        let deadlineMs = headers.first(name: "lambda-runtime-deadline-ms").flatMap { Int64($0) }
        let context = LambdaContext(
            requestId: invocation.requestId,
            invokedFunctionARN: headers.first(name: "lambda-runtime-invoked-function-arn"),
            traceId: traceId,
            clientContext: headers.first(name: "lambda-runtime-client-context"),
            cognitoIdentity: headers.first(name: "lambda-runtime-cognito-identity"),
            deadline: deadlineMs.map(WallClock.deadline(epochMs:)) ?? .now() + .seconds(30),
            deadlineEpochMs: deadlineMs,
            logger: invocationLogger
        )

        let (outcome, requestLogger) = await Invocation.run(
            payload: invocation.body, context: context, handler: handler, observers: observers, functionName: functionName,
            coldStart: coldStart
        )
        let status: Int
        switch outcome {
        case .response(let body):
            status = try await client.postResponse(requestId: invocation.requestId, body: body)
        case .functionError(let report):
            // Deliberate (e.g. an authorizer's Unauthorized): not a failure of the function.
            requestLogger.info("function error", metadata: ["errorType": .string(report.errorType)])
            status = try await client.postError(
                requestId: invocation.requestId, errorType: report.errorType, body: report.json
            )
        case .failure(let report):
            requestLogger.error(
                "invocation failed",
                metadata: ["errorType": .string(report.errorType), "error": .string(report.errorMessage)]
            )
            status = try await client.postError(
                requestId: invocation.requestId, errorType: report.errorType, body: report.json
            )
        }
        if status >= 300 {
            requestLogger.warning("Runtime API refused the answer", metadata: ["status": "\(status)"])
        }
    }

    /// One clear line on stderr; the exit status for it.
    static func failure(_ message: String) -> Int32 {
        StandardStreams.writeLine("lambdakit: \(message)", to: 2)
        return 1
    }
}
