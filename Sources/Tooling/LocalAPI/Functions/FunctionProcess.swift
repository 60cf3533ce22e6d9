import Foundation
import LambdaRuntimeAPIServer
import Synchronization

/// One warm execution environment: a handler executable in Lambda mode against its own
/// in-process Runtime API server. Serves one invocation at a time (the pool sees to that).
final class FunctionProcess: Sendable {
    enum Result: Sendable {
        case response([UInt8])
        case functionError(type: String?, body: [UInt8])
        /// The process died (crash, exit) or closed its connection without answering.
        case crashed(String)
        case timedOut
    }

    let id: Int
    let functionId: String
    private let server: LambdaRuntimeAPIServer
    private let process: Process
    private let state = Mutex(State())

    private struct State {
        var invocations = 0
        var exited = false
        var exitWaiters: [@Sendable () -> Void] = []
    }

    private init(id: Int, functionId: String, server: LambdaRuntimeAPIServer, process: Process) {
        self.id = id
        self.functionId = functionId
        self.server = server
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }

    static func start(
        id: Int, function: StackDescription.Function, executable: String, region: String,
        output: FileHandle
    ) async throws -> FunctionProcess {
        let server = try await LambdaRuntimeAPIServer.start()
        var environment = function.environment
        // The variables Lambda sets for a custom runtime (a subset).
        environment["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
        environment["AWS_LAMBDA_FUNCTION_NAME"] = function.logicalId
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = String(function.memorySize)
        environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST"
        environment["AWS_REGION"] = region
        environment["AWS_DEFAULT_REGION"] = region
        environment["_HANDLER"] = "bootstrap"
        environment["TZ"] = ":UTC"
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        // Lambda hands a function its execution role's credentials; locally, only when a local
        // DynamoDB is named (scripts/serve's moto), this process's own and that endpoint.
        let own = ProcessInfo.processInfo.environment
        if let dynamoDB = own["AWS_ENDPOINT_URL_DYNAMODB"] {
            environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDB
            for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] { environment[name] = own[name] }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        let instance = FunctionProcess(id: id, functionId: function.logicalId, server: server, process: process)
        process.terminationHandler = { [instance] _ in instance.markExited() }
        do {
            try process.run()
        } catch {
            try? await server.shutdown()
            throw LocalAPIError("cannot start \(executable): \(error)")
        }
        return instance
    }

    private func markExited() {
        let waiters = state.withLock { state in
            state.exited = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter() }
    }

    var isAlive: Bool { !state.withLock { $0.exited } }

    /// Runs `callback` once when the process has exited (at once if it already has).
    private func onExit(_ callback: @escaping @Sendable () -> Void) {
        let already = state.withLock { state in
            if state.exited { return true }
            state.exitWaiters.append(callback)
            return false
        }
        if already { callback() }
    }

    /// Invokes once; `cold` is true for the process's first invocation.
    func invoke(event: [UInt8], timeout: Duration, arn: String) async -> (result: Result, cold: Bool) {
        let cold = state.withLock { state in
            state.invocations += 1
            return state.invocations == 1
        }
        let deadline = Int64(Date().timeIntervalSince1970 * 1000) + Int64(timeout.components.seconds * 1000)
            + timeout.components.attoseconds / 1_000_000_000_000_000
        let invocation = RuntimeAPIInvocation(event: event, deadlineEpochMs: deadline, invokedFunctionARN: arn)
        let server = self.server
        let result: Result = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            server.enqueue(invocation)
            Task {
                do {
                    let outcome = try await server.outcome(for: invocation.requestId, timeout: timeout)
                    switch outcome.kind {
                    case .response: once.resume(.response(outcome.body))
                    case .error: once.resume(.functionError(type: outcome.errorType, body: outcome.body))
                    case .abandoned: once.resume(.crashed("the process closed the connection without answering"))
                    }
                } catch {
                    once.resume(.timedOut)
                }
            }
            onExit { [process] in
                once.resume(.crashed("the process exited (status \(process.terminationStatus))"))
            }
        }
        return (result, cold)
    }

    /// SIGTERM (a runtime finishes and exits), SIGKILL after `grace`; then the Runtime API closes.
    func stop(grace: Duration = .seconds(2)) async {
        if process.isRunning {
            if grace == .zero { kill(process.processIdentifier, SIGKILL) } else { process.terminate() }
            let start = ContinuousClock.now
            while process.isRunning {
                if ContinuousClock.now - start > grace {
                    kill(process.processIdentifier, SIGKILL)
                    break
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        try? await server.shutdown()
    }
}

/// Resumes a continuation with the first value offered; later offers are dropped.
final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Value) {
        let taken = continuation.withLock { stored in
            defer { stored = nil }
            return stored
        }
        taken?.resume(returning: value)
    }
}
