#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore

/// Lambda mode: init, then `next` → handler → `response` | `error`, forever.
enum RuntimeLoop {
    /// Lambda's synchronous invocation payload limit.
    static let maxResponseBytes = 6 * 1024 * 1024

    static func run(
        address: String, logger: Logger, makeHandler: @Sendable (Logger) async throws -> InvocationHandler
    ) async -> Never {
        let client: RuntimeAPIClient
        do {
            client = try RuntimeAPIClient(address: address)
        } catch {
            fatal("\(error)")
        }
        let termination = TerminationGuard()
        let traceEnvironment = TraceIDEnvironment()

        let handler: InvocationHandler
        do {
            handler = try await makeHandler(logger)
        } catch {
            let report = InvocationErrorReport(error)
            logger.error("init failed", metadata: ["errorType": .string(report.errorType), "error": .string(report.errorMessage)])
            do {
                try await client.postInitError(errorType: report.errorType, body: report.json)
            } catch {
                fatal("init failed and could not be reported: \(error)")
            }
            exit(1)
        }

        while true {
            let invocation: RuntimeAPIClient.Invocation
            do {
                invocation = try await client.next()
            } catch {
                fatal("\(error)")
            }
            termination.invocationStarted()
            await serve(
                invocation, client: client, handler: handler, traceEnvironment: traceEnvironment, logger: logger
            )
            termination.invocationFinished()
        }
    }

    private static func serve(
        _ invocation: RuntimeAPIClient.Invocation, client: RuntimeAPIClient, handler: InvocationHandler,
        traceEnvironment: TraceIDEnvironment, logger: Logger
    ) async {
        let headers = invocation.headers
        let traceId = headers.first(name: "lambda-runtime-trace-id")
        // Not setenv: it keeps a copy of every value for good, one per invocation (TraceIDEnvironment).
        traceEnvironment.set(traceId)
        var requestLogger = logger
        requestLogger[metadataKey: "requestId"] = .string(invocation.requestId)
        let deadlineMs = headers.first(name: "lambda-runtime-deadline-ms").flatMap { Int64($0) }
        let context = LambdaContext(
            requestId: invocation.requestId,
            invokedFunctionARN: headers.first(name: "lambda-runtime-invoked-function-arn"),
            traceId: traceId,
            clientContext: headers.first(name: "lambda-runtime-client-context"),
            cognitoIdentity: headers.first(name: "lambda-runtime-cognito-identity"),
            deadline: deadlineMs.map(WallClock.deadline(epochMs:)) ?? .now() + .seconds(30),
            deadlineEpochMs: deadlineMs,
            logger: requestLogger
        )

        let outcome = await Invocation.perform(payload: invocation.body, context: context, handler: handler)
        do {
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
        } catch {
            fatal("\(error)")
        }
    }

    /// One clear line on stderr, then a non-zero exit.
    static func fatal(_ message: String) -> Never {
        StandardStreams.writeLine("lambdakit: \(message)", to: 2)
        exit(1)
    }
}
