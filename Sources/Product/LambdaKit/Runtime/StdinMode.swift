#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import FoundationEssentials
import Logging
import NIOCore

/// Local mode: one event from stdin or `--event FILE`, the response JSON on stdout.
/// Exit 0 answered; 1 the event is unreadable / not JSON / not an HTTP event / the handler threw
/// (then stderr holds that one `lambdakit:` line only: no summary line, no metrics document);
/// 2 init (configuration) failed or bad arguments; 3 the handler threw a `FunctionError` (its
/// error object, as Lambda would post it to `/error`, is on stdout). Stdout holds only the answer.
/// `run` returns that status; `LambdaMain` exits with it.
enum StdinMode {
    static let usage = "usage: <handler> [--event FILE]   (no --event: the event is read from stdin)"

    static func run(
        arguments: [String], logger: Logger, observers: InvocationObservers, functionName: String,
        makeHandler: @Sendable (Logger) async throws -> InvocationHandler
    ) async -> Int32 {
        var eventFile: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--event", index + 1 < arguments.count {
                eventFile = arguments[index + 1]
                index += 2
            } else if argument.hasPrefix("--event=") {
                eventFile = String(argument.dropFirst("--event=".count))
                index += 1
            } else if argument == "-h" || argument == "--help" {
                StandardStreams.writeLine(usage, to: 2)
                return 0
            } else {
                return fail("unexpected argument \(argument); \(usage)", code: 2)
            }
        }

        let handler: InvocationHandler
        do {
            handler = try await makeHandler(logger)
        } catch {
            return fail("init failed: \(error)", code: 2)
        }

        let payload: [UInt8]
        if let eventFile {
            guard let bytes = StandardStreams.readFile(eventFile) else {
                return fail("cannot read event file \(eventFile): \(String(cString: strerror(errno)))", code: 1)
            }
            payload = bytes
        } else {
            guard let bytes = StandardStreams.readAll(fd: 0) else { return fail("cannot read the event from stdin", code: 1) }
            payload = bytes
        }

        let requestId = "local-" + UUID().uuidString.lowercased()
        // One process, one invocation: always a cold start. A trace id exported by the caller is used.
        let traceId = Environment.get("_X_AMZN_TRACE_ID").flatMap { $0.isEmpty ? nil : $0 }
        let requestLogger = Invocation.logger(logger, requestId: requestId, traceId: traceId, coldStart: true)
        let context = LambdaContext(requestId: requestId, traceId: traceId, deadline: .now() + .seconds(30), logger: requestLogger)
        let (outcome, _) = await Invocation.run(
            payload: payload, context: context, handler: handler, observers: observers, functionName: functionName,
            coldStart: true, observeFailures: false
        )
        switch outcome {
        case .response(let body):
            StandardStreams.write(body + [UInt8(ascii: "\n")], to: 1)
            return 0
        case .functionError(let report):
            // The error object Lambda would post to /error, on stdout; exit 3 tells it from a crash.
            StandardStreams.write(report.json + [UInt8(ascii: "\n")], to: 1)
            return 3
        case .failure(let report):
            return fail("\(report.errorType): \(report.errorMessage)", code: 1)
        }
    }

    private static func fail(_ message: String, code: Int32) -> Int32 {
        StandardStreams.writeLine("lambdakit: \(message)", to: 2)
        return code
    }
}
