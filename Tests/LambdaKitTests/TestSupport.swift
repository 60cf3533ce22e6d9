import Foundation
import Testing

/// Paths and process helpers shared by the LambdaKit tests.
enum TestSupport {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` relative to the package root (never copied into the repo).
    static let sharedDirectory: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let fixturesDirectory = sharedDirectory.appendingPathComponent("fixtures/apigateway")
    /// Skip in a bare clone; under `CI=true` run (and fail) even when `../shared` is missing.
    static var hasFixtures: Bool {
        FileManager.default.fileExists(atPath: fixturesDirectory.path) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The directory of the built products: the running test binary sits in it.
    static let binDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["LAMBDAKIT_BIN_DIR"] {
            return URL(fileURLWithPath: override)
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
            // On some layouts the binary sits inside an .xctest bundle directory.
            while url.pathExtension == "xctest" || url.lastPathComponent == "MacOS" || url.lastPathComponent == "Contents" {
                url = url.deletingLastPathComponent()
            }
            return url
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    static func executable(_ name: String) throws -> String {
        let path = binDirectory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("\(name) not built at \(path): run `swift build --build-tests` first")
        }
        return path
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = fixturesDirectory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestFailure("fixture \(name) missing")
        }
        return Array(data)
    }

    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(String(decoding: bytes, as: UTF8.self))")
        }
        return object
    }

    /// The echo handler's body, decoded from a Lambda response payload.
    static func echoBody(_ payload: [UInt8]) throws -> [String: Any] {
        let response = try json(payload)
        guard let body = response["body"] as? String else { throw TestFailure("no body in \(response)") }
        return try json(Array(body.utf8))
    }

    static func temporaryFile(_ contents: [UInt8] = []) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lambdakit-test-\(UUID().uuidString)")
        try Data(contents).write(to: url)
        return url
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process with stdout/stderr captured in files (no pipe deadlocks), awaited without
/// blocking the cooperative pool.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(_ path: String, arguments: [String] = [], environment: [String: String] = [:], stdin: [UInt8]? = nil) throws {
        stdoutURL = try TestSupport.temporaryFile()
        stderrURL = try TestSupport.temporaryFile()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "AWS_LAMBDA_RUNTIME_API")
        env.removeValue(forKey: "_X_AMZN_TRACE_ID")
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        if let stdin {
            let stdinURL = try TestSupport.temporaryFile(stdin)
            process.standardInput = try FileHandle(forReadingFrom: stdinURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits for exit; throws if it takes longer than `timeout`.
    @discardableResult
    func wait(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning {
            if clock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw TestFailure("process \(process.executableURL?.lastPathComponent ?? "?") did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        process.waitUntilExit()
        return process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    }

    func terminate() { kill(process.processIdentifier, SIGTERM) }

    func kill9IfRunning() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: [UInt8] { Array(FileManager.default.contents(atPath: stdoutURL.path) ?? Data()) }
    var stderr: String { String(decoding: FileManager.default.contents(atPath: stderrURL.path) ?? Data(), as: UTF8.self) }

    /// Runs to completion.
    static func run(
        _ path: String, arguments: [String] = [], environment: [String: String] = [:], stdin: [UInt8]? = nil
    ) async throws -> (status: Int32, stdout: [UInt8], stderr: String) {
        let child = try ChildProcess(path, arguments: arguments, environment: environment, stdin: stdin)
        let status = try await child.wait()
        return (status, child.stdout, child.stderr)
    }
}
