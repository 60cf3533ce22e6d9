#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import NIOPosix

/// The entry point of every handler executable.
public enum LambdaMain {
    /// Picks the mode (`AWS_LAMBDA_RUNTIME_API` set → Runtime API loop, else stdin mode), bootstraps
    /// swift-log with `JSONLogHandler` (stderr, `LOG_LEVEL` / `AWS_LAMBDA_LOG_LEVEL`), calls
    /// `makeHandler` once with the process environment (read once, by `Environment`) and the
    /// logger (init; a thrown error is an init error: Lambda → `/runtime/init/error` +
    /// exit 1; stdin → one stderr line + exit 2), then serves events. Never returns.
    /// Do not bootstrap `LoggingSystem` yourself before calling this.
    ///
    /// Every invocation is reported to the summary log line, the metrics document (unless
    /// `METRICS=off`; namespace `METRICS_NAMESPACE`) and then to `observers`.
    public static func run(
        observers: [any InvocationObserver] = [],
        _ makeHandler: @Sendable @escaping (_ environment: [String: String], _ logger: Logger) async throws -> HTTPHandler
    ) async -> Never {
        await serve(observers: observers) { logger in .http(try await makeHandler(Environment.current(), logger)) }
    }

    /// The same for a handler of another event family (e.g. API Gateway Lambda authorizer events):
    /// the payload bytes go to the handler undecoded and its bytes are the answer. A thrown
    /// `FunctionError` is a function error with that exact message (stdin mode: exit 3).
    /// An event handler records its outcome code with `context.outcome.record(_:)`.
    public static func run(
        observers: [any InvocationObserver] = [],
        events makeHandler: @Sendable @escaping (_ environment: [String: String], _ logger: Logger) async throws -> EventHandler
    ) async -> Never {
        await serve(observers: observers) { logger in .event(try await makeHandler(Environment.current(), logger)) }
    }

    /// The summary line, the metrics document when on, then the caller's observers. Bad
    /// `METRICS*` settings are returned as the init error to report.
    static func observers(
        environment: [String: String], extra: [any InvocationObserver]
    ) -> (observers: InvocationObservers, problem: MetricsSettings.Invalid?) {
        var all: [any InvocationObserver] = [InvocationSummaryLog()]
        switch MetricsSettings.fromEnvironment(environment) {
        case .success(let settings):
            if settings.enabled {
                all.append(EMFMetricsWriter(namespace: settings.namespace, functionName: functionName(environment: environment)))
            }
            return (InvocationObservers(all: all + extra), nil)
        case .failure(let problem):
            return (InvocationObservers(all: all + extra), problem)
        }
    }

    /// `AWS_LAMBDA_FUNCTION_NAME`, else the executable's file name (stdin mode: `me`, `authorizer`…).
    static func functionName(environment: [String: String]) -> String {
        if let name = environment["AWS_LAMBDA_FUNCTION_NAME"], !name.isEmpty { return name }
        let path = CommandLine.arguments.first ?? "function"
        return path.split(separator: "/").last.map(String.init) ?? "function"
    }

    private static func serve(
        observers extra: [any InvocationObserver], _ makeHandler: @Sendable @escaping (Logger) async throws -> InvocationHandler
    ) async -> Never {
        if Environment.get("LAMBDAKIT_NIO_EXECUTOR") != "0" {
            // Performance: Swift concurrency jobs run on NIO's event loops, so an `await` on a Runtime
            // API response resumes on the loop thread that read it instead of switching threads
            // (measured by scripts/bench-runtime). LAMBDAKIT_NIO_EXECUTOR=0 turns it off.
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        let level = LogLevelSetting.fromEnvironment()
        // The provider puts the invocation's ids on lines of loggers made at init, too.
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = JSONLogHandler(label: label, logLevel: level)
                handler.metadataProvider = provider
                return handler
            },
            metadataProvider: InvocationLogMetadata.provider
        )
        let logger = Logger(label: "lambda")
        let environment = Environment.current()
        let (observers, problem) = observers(environment: environment, extra: extra)
        let functionName = functionName(environment: environment)
        if problem == nil, observers.all.contains(where: { $0 is EMFMetricsWriter }),
            let filter = environment["AWS_LAMBDA_LOG_LEVEL"].flatMap(LogLevelSetting.parse), filter > .info
        {
            // Lambda drops lines it reads as INFO (a metrics document has no level) above INFO.
            logger.warning(
                "Lambda's application log level is above INFO: it drops the metrics documents; set it to INFO or METRICS=off")
        }
        // A bad METRICS setting fails init the way any configuration error does.
        let make: @Sendable (Logger) async throws -> InvocationHandler = { logger in
            if let problem { throw problem }
            return try await makeHandler(logger)
        }
        let status: Int32
        if let address = Environment.get("AWS_LAMBDA_RUNTIME_API"), !address.isEmpty {
            status = await RuntimeLoop.run(
                address: address, logger: logger, observers: observers, functionName: functionName, makeHandler: make
            )
        } else {
            status = await StdinMode.run(
                arguments: Array(CommandLine.arguments.dropFirst()), logger: logger, observers: observers,
                functionName: functionName, makeHandler: make
            )
        }
        exit(status)
    }
}
