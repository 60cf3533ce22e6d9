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
    public static func run(
        _ makeHandler: @Sendable @escaping (_ environment: [String: String], _ logger: Logger) async throws -> HTTPHandler
    ) async -> Never {
        await serve { logger in .http(try await makeHandler(Environment.current(), logger)) }
    }

    /// The same for a handler of another event family (e.g. API Gateway Lambda authorizer events):
    /// the payload bytes go to the handler undecoded and its bytes are the answer. A thrown
    /// `FunctionError` is a function error with that exact message (stdin mode: exit 3).
    public static func run(
        events makeHandler: @Sendable @escaping (_ environment: [String: String], _ logger: Logger) async throws -> EventHandler
    ) async -> Never {
        await serve { logger in .event(try await makeHandler(Environment.current(), logger)) }
    }

    private static func serve(_ makeHandler: @Sendable (Logger) async throws -> InvocationHandler) async -> Never {
        if Environment.get("LAMBDAKIT_NIO_EXECUTOR") != "0" {
            // Performance: Swift concurrency jobs run on NIO's event loops, so an `await` on a Runtime
            // API response resumes on the loop thread that read it instead of switching threads
            // (measured by scripts/bench-runtime). LAMBDAKIT_NIO_EXECUTOR=0 turns it off.
            _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        let level = LogLevelSetting.fromEnvironment()
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
        let logger = Logger(label: "lambda")
        let status: Int32
        if let address = Environment.get("AWS_LAMBDA_RUNTIME_API"), !address.isEmpty {
            status = await RuntimeLoop.run(address: address, logger: logger, makeHandler: makeHandler)
        } else {
            status = await StdinMode.run(
                arguments: Array(CommandLine.arguments.dropFirst()), logger: logger, makeHandler: makeHandler
            )
        }
        exit(status)
    }
}
