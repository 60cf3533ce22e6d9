import Foundation

/// Runs one program to completion with the given environment and standard input, capturing
/// stdout and stderr through temporary files (no pipe can fill up and stall the child). The wait is
/// a poll with `Task.sleep`, never `waitUntilExit` on a running child: a test that blocked a thread
/// of Swift's cooperative pool (two on a 2-core machine) on a slow child stalled every other test.
public struct ProcessRunner: Sendable {
    public struct Result: Sendable {
        public var exitCode: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var timedOut: Bool
    }

    public let executable: String
    public let arguments: [String]

    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    public func run(stdin: [UInt8], environment: [String: String], timeout: Duration = .seconds(30)) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("stdin")
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        try Data(stdin).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)  // a failure shows at the FileHandle that opens it
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)  // a failure shows at the FileHandle that opens it

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        let timedOut = await Self.wait(for: process, timeout: timeout)
        return Result(
            exitCode: process.terminationStatus,
            stdout: Array(try Data(contentsOf: outputURL)),
            stderr: Array(try Data(contentsOf: errorURL)),
            timedOut: timedOut)
    }

    /// Starts the program and returns it running (Lambda mode: it serves until terminated).
    public func start(environment: [String: String], stderr: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)  // a failure shows at the FileHandle that opens it
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stderr)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }

    /// Waits for `process` to exit; past `timeout` it is killed. Returns whether it timed out.
    public static func wait(for process: Process, timeout: Duration) async -> Bool {
        let start = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - start > timeout {
                process.interrupt()
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return true
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        process.waitUntilExit()
        return false
    }
}
