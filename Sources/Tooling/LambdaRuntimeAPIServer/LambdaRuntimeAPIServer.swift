import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback implementation of the Lambda Runtime API (2018-06-01) for tests, scripts and
/// benchmarks. Queue events with `enqueue`; a function process started with
/// `AWS_LAMBDA_RUNTIME_API=\(runtimeAPIAddress)` long-polls `next`, which is held until an event is
/// queued; its `/response`, `/error` and `/init/error` posts are recorded and can be awaited.
/// Also serves `POST /_loopback/invoke` (body = event; answer = the function's payload, with
/// `Lambda-Outcome: response|error|abandoned`) so a shell script can drive it with curl.
public final class LambdaRuntimeAPIServer: Sendable {
    public let host: String
    public let port: Int
    private let channel: any Channel
    private let core: ServerCore

    /// The value for `AWS_LAMBDA_RUNTIME_API`.
    public var runtimeAPIAddress: String { "\(host):\(port)" }

    private init(host: String, port: Int, channel: any Channel, core: ServerCore) {
        self.host = host
        self.port = port
        self.channel = channel
        self.core = core
    }

    /// Binds (port 0: any free port) and starts serving.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LambdaRuntimeAPIServer {
        let core = ServerCore()
        let channel = try await LoopbackHTTPServer.bind(host: host, port: port, group: group) { RuntimeAPIServerHandler(core: core) }
        let boundPort = channel.localAddress?.port ?? port
        return LambdaRuntimeAPIServer(host: host, port: boundPort, channel: channel, core: core)
    }

    /// Queues an event; a parked `next` gets it at once. Returns its request id.
    @discardableResult
    public func enqueue(_ invocation: RuntimeAPIInvocation) -> String {
        core.enqueue(invocation)
        return invocation.requestId
    }

    @discardableResult
    public func enqueue(event: [UInt8]) -> String {
        enqueue(RuntimeAPIInvocation(event: event))
    }

    /// Waits for the function's answer to `requestId` (`nil` timeout: wait as long as it takes).
    public func outcome(for requestId: String, timeout: Duration? = nil) async throws -> RuntimeAPIOutcome {
        let eventLoop = channel.eventLoop
        let core = self.core
        return try await withCheckedThrowingContinuation { continuation in
            let token = core.onOutcome(requestId) { continuation.resume(returning: $0) }
            if let token, let timeout {
                eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(timeout))) {
                    if core.cancelOutcomeWaiter(requestId, token: token) {
                        continuation.resume(throwing: RuntimeAPIServerError.timeout("the answer to \(requestId)"))
                    }
                }
            }
        }
    }

    /// The answer recorded for `requestId` so far, without waiting.
    public func recordedOutcome(for requestId: String) -> RuntimeAPIOutcome? {
        core.recordedOutcome(requestId)
    }

    /// Enqueue and wait for the answer.
    public func invoke(_ invocation: RuntimeAPIInvocation, timeout: Duration? = nil) async throws -> RuntimeAPIOutcome {
        enqueue(invocation)
        return try await outcome(for: invocation.requestId, timeout: timeout)
    }

    /// Waits until the function posts `/runtime/init/error`.
    public func initError(timeout: Duration? = nil) async throws -> RuntimeAPIInitError {
        let eventLoop = channel.eventLoop
        let core = self.core
        return try await withCheckedThrowingContinuation { continuation in
            let token = core.onInitError { continuation.resume(returning: $0) }
            if let token, let timeout {
                eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(timeout))) {
                    if core.cancelInitErrorWaiter(token: token) {
                        continuation.resume(throwing: RuntimeAPIServerError.timeout("an init error"))
                    }
                }
            }
        }
    }

    /// The init error posted so far, if any.
    public var receivedInitError: RuntimeAPIInitError? { core.initError }

    /// How many TCP connections clients have opened (a keep-alive runtime opens one).
    public var connectionsOpened: Int { core.connectionsOpened }

    /// Injects (or clears, with nil) misbehaviour on `next`.
    public func setFault(_ fault: RuntimeAPIFault?) {
        core.setFault(fault)
    }

    public func shutdown() async throws {
        try await channel.close()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
