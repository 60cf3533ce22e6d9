import Foundation
import LambdaRuntimeAPIServer

/// How a handler executable is driven: one event on stdin, or one invocation through a real
/// Lambda Runtime API server on loopback.
public enum InvocationMode: String, Sendable, CaseIterable {
    case stdin
    case lambda
}

/// What one invocation produced: the response payload (or why there is none) and the logs.
public struct InvocationResult: Sendable {
    public var payload: [UInt8]?
    public var failure: String?
    public var logs: [UInt8]
    /// A deliberate function error (Lambda mode: the body posted to `/error`; stdin mode: the
    /// error object on stdout with exit code 3).
    public var functionError: [UInt8]?

    public init(payload: [UInt8]?, failure: String?, logs: [UInt8], functionError: [UInt8]? = nil) {
        self.payload = payload
        self.failure = failure
        self.logs = logs
        self.functionError = functionError
    }
}

/// Runs one handler executable (`sign-in`, `me`, `logout`) on one event, in either mode.
public struct FunctionInvoker: Sendable {
    public let executable: String

    public init(executable: String) {
        self.executable = executable
    }

    public func invoke(event: [UInt8], environment: [String: String], mode: InvocationMode) async throws -> InvocationResult {
        switch mode {
        case .stdin: return try await invokeStdin(event: event, environment: environment)
        case .lambda: return try await invokeLambda(event: event, environment: environment)
        }
    }

    func invokeStdin(event: [UInt8], environment: [String: String]) async throws -> InvocationResult {
        let result = try await ProcessRunner(executable: executable).run(stdin: event, environment: environment)
        if result.timedOut {
            return InvocationResult(payload: nil, failure: "timed out", logs: result.stderr)
        }
        if result.exitCode == 3 {
            return InvocationResult(payload: nil, failure: "function error (exit code 3)", logs: result.stderr, functionError: result.stdout)
        }
        guard result.exitCode == 0 else {
            return InvocationResult(payload: nil, failure: "exit code \(result.exitCode)", logs: result.stderr)
        }
        return InvocationResult(payload: result.stdout, failure: nil, logs: result.stderr)
    }

    func invokeLambda(event: [UInt8], environment: [String: String]) async throws -> InvocationResult {
        let server = try await LambdaRuntimeAPIServer.start()
        let logURL = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: logURL) }
        var environment = environment
        environment["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
        environment["AWS_LAMBDA_FUNCTION_NAME"] = URL(fileURLWithPath: executable).lastPathComponent
        let process = try ProcessRunner(executable: executable).start(environment: environment, stderr: logURL)
        var payload: [UInt8]?
        var failure: String?
        var functionError: [UInt8]?
        do {
            let outcome = try await server.invoke(RuntimeAPIInvocation(event: event), timeout: .seconds(30))
            switch outcome.kind {
            case .response: payload = outcome.body
            case .error:
                failure = "invocation error \(outcome.errorType ?? "?"): \(outcome.bodyString)"
                functionError = outcome.body
            case .abandoned: failure = "the function exited without answering"
            }
        } catch {
            failure = "\(error)"
        }
        // A Lambda runtime must finish on SIGTERM and exit 0 (the execution environment's shutdown).
        process.terminate()
        if await ProcessRunner.wait(for: process, timeout: .seconds(5)) {
            failure = failure ?? "did not exit within 5 s of SIGTERM"
        } else if process.terminationStatus != 0, failure == nil {
            failure = "exit code \(process.terminationStatus) after SIGTERM"
        }
        try? await server.shutdown()
        return InvocationResult(
            payload: payload, failure: failure, logs: Array((try? Data(contentsOf: logURL)) ?? Data()), functionError: functionError)
    }
}
