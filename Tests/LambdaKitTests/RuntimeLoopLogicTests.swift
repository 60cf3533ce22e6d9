#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import NIOCore
import Synchronization
import Testing

@_spi(RuntimeAPI) @testable import LambdaKit

/// The runtime loop's rules over an in-process Runtime API; `RuntimeLoopTests` runs the real
/// executable against the loopback Runtime API server.
@Suite("RuntimeLoop with an in-process Runtime API")
struct RuntimeLoopLogicTests {
    struct ConfigError: Error, CustomStringConvertible {
        var description: String { "TABLE_NAME is not set" }
    }

    struct HandlerError: Error, CustomStringConvertible {
        var description: String { "the handler failed" }
    }

    /// The contexts the handler was called with, in order.
    final class SeenContexts: Sendable {
        private let storage = Mutex<[LambdaContext]>([])
        var all: [LambdaContext] { storage.withLock { $0 } }
        func append(_ context: LambdaContext) { storage.withLock { $0.append(context) } }
    }

    static let logger: Logger = {
        var logger = Logger(label: "RuntimeLoopLogicTests")
        logger.logLevel = .critical
        return logger
    }()

    static func run(
        _ api: FakeRuntimeAPI, traceEnvironment: TraceIDEnvironment = TraceIDEnvironment(name: "LAMBDAKIT_TEST_UNUSED_TRACE_ID"),
        _ makeHandler: @Sendable (Logger) async throws -> InvocationHandler
    ) async -> Int32 {
        await RuntimeLoop.run(
            client: api, termination: nil, traceEnvironment: traceEnvironment, logger: logger, makeHandler: makeHandler
        )
    }

    /// Echoes the payload; `"fail"` throws, `"unauthorized"` throws `FunctionError.unauthorized`.
    static let echo = InvocationHandler.event { payload, _ in
        switch String(decoding: payload, as: UTF8.self) {
        case #""fail""#: throw HandlerError()
        case #""unauthorized""#: throw FunctionError.unauthorized
        default: return payload
        }
    }

    @Test("an init error goes to /init/error, no invocation is fetched, and the exit status is 1")
    func initError() async {
        let api = FakeRuntimeAPI([FakeRuntimeAPI.invocation("never")])
        let status = await Self.run(api) { _ in throw ConfigError() }
        #expect(status == 1)
        #expect(api.posts == [
            .initError(errorType: "ConfigError", body: #"{"errorMessage":"TABLE_NAME is not set","errorType":"ConfigError","stackTrace":[]}"#)
        ])
        #expect(api.nextCalls == 0)
    }

    @Test("an init error that cannot be reported still exits 1, without fetching an invocation")
    func initErrorUnreported() async {
        let api = FakeRuntimeAPI([FakeRuntimeAPI.invocation("never")])
        api.postFailure = .unexpectedStatus(500, "error")
        let status = await Self.run(api) { _ in throw ConfigError() }
        #expect(status == 1)
        #expect(api.posts.isEmpty)
        #expect(api.nextCalls == 0)
    }

    @Test("a handler error goes to that invocation's /error and the loop goes on to the next")
    func handlerErrors() async {
        let api = FakeRuntimeAPI([
            FakeRuntimeAPI.invocation("a", payload: #""one""#),
            FakeRuntimeAPI.invocation("b", payload: #""fail""#),
            FakeRuntimeAPI.invocation("c", payload: #""unauthorized""#),
            FakeRuntimeAPI.invocation("d", payload: #""two""#),
        ])
        let status = await Self.run(api) { _ in Self.echo }
        #expect(api.posts == [
            .response(requestId: "a", body: #""one""#),
            .error(requestId: "b", errorType: "HandlerError", body: #"{"errorMessage":"the handler failed","errorType":"HandlerError","stackTrace":[]}"#),
            .error(requestId: "c", errorType: "Unauthorized", body: #"{"errorMessage":"Unauthorized","errorType":"Unauthorized","stackTrace":[]}"#),
            .response(requestId: "d", body: #""two""#),
        ])
        // Then the queue is empty: `next` fails as on a closed connection.
        #expect(api.nextCalls == 5)
        #expect(status == 1)
    }

    @Test("a closed connection while waiting for the next invocation ends the loop with status 1")
    func closedConnection() async {
        let api = FakeRuntimeAPI()
        let status = await Self.run(api) { _ in Self.echo }
        #expect(status == 1)
        #expect(api.nextCalls == 1)
        #expect(api.posts.isEmpty)
    }

    @Test("an answer the Runtime API cannot take ends the loop with status 1, before the next invocation")
    func postFails() async {
        let api = FakeRuntimeAPI([FakeRuntimeAPI.invocation("a"), FakeRuntimeAPI.invocation("b")])
        api.postFailure = .unexpectedStatus(500, "response")
        let status = await Self.run(api) { _ in Self.echo }
        #expect(status == 1)
        #expect(api.nextCalls == 1)
    }

    @Test("the deadline, trace id and context headers reach the handler; the trace id is exported per invocation")
    func deadlineAndTrace() async throws {
        let variable = "LAMBDAKIT_TEST_TRACE_ID_\(UInt32.random(in: 0...UInt32.max))"
        defer { unsetenv(variable) }
        let deadlineMs = WallClock.nowMs() + 60_000
        let api = FakeRuntimeAPI([
            FakeRuntimeAPI.invocation("with", headers: [
                ("Lambda-Runtime-Deadline-Ms", String(deadlineMs)), ("Lambda-Runtime-Trace-Id", "Root=1-aaaaaaaa-1;Sampled=1"),
                ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:f"),
                ("Lambda-Runtime-Client-Context", #"{"client":{}}"#), ("Lambda-Runtime-Cognito-Identity", #"{"cognitoIdentityId":"i"}"#),
            ]),
            FakeRuntimeAPI.invocation("without"),
        ])
        let seen = SeenContexts()
        let handler = InvocationHandler.event { _, context in
            seen.append(context)
            // What code in the process reads while the invocation runs.
            let exported = getenv(variable).map { String(cString: $0) } ?? "unset"
            return Array(#""\#(exported)""#.utf8)
        }
        _ = await Self.run(api, traceEnvironment: TraceIDEnvironment(name: variable)) { _ in handler }

        #expect(api.posts == [
            .response(requestId: "with", body: #""Root=1-aaaaaaaa-1;Sampled=1""#),
            .response(requestId: "without", body: #""unset""#),
        ])
        let contexts = seen.all
        try #require(contexts.count == 2)
        let withHeaders = contexts[0]
        #expect(withHeaders.requestId == "with")
        #expect(withHeaders.traceId == "Root=1-aaaaaaaa-1;Sampled=1")
        #expect(withHeaders.invokedFunctionARN == "arn:aws:lambda:eu-west-1:123456789012:function:f")
        #expect(withHeaders.clientContext == #"{"client":{}}"#)
        #expect(withHeaders.cognitoIdentity == #"{"cognitoIdentityId":"i"}"#)
        #expect(withHeaders.deadlineEpochMs == deadlineMs)
        // The monotonic deadline is the header's wall-clock instant: at most 60 s away, not yet passed.
        let remaining = withHeaders.deadline - .now()
        #expect(remaining <= .seconds(60) && remaining > .nanoseconds(0))

        let withoutHeaders = contexts[1]
        #expect(withoutHeaders.traceId == nil)
        #expect(withoutHeaders.invokedFunctionARN == nil)
        // No deadline header: 30 s from when the invocation arrived.
        let defaultRemaining = withoutHeaders.deadline - .now()
        #expect(defaultRemaining <= .seconds(30) && defaultRemaining > .seconds(15))
    }
}
