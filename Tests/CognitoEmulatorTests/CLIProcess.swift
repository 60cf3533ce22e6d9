import Foundation
import LocalHarness
import Synchronization

/// The `cognito-emulator` executable as a child process, its output read line by line.
final class CLIProcess {
    /// The binary beside the test bundle (`swift build --build-tests` builds it), if there.
    static var binary: String? {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Inside an .xctest bundle on macOS the binary sits a few levels down.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("cognito-emulator").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    private let process: Process
    private let stdout = OutputBuffer()
    private let stderr = OutputBuffer()

    /// Text the pipe's reader thread appends to and the test reads.
    final class OutputBuffer: Sendable {
        let text = Mutex<String>("")
    }

    init(arguments: [String]) throws {
        guard let binary = Self.binary else { throw HarnessError("cognito-emulator binary not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        self.process = process
        out.fileHandleForReading.readabilityHandler = { [stdout] handle in
            let data = handle.availableData
            stdout.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        err.fileHandleForReading.readabilityHandler = { [stderr] handle in
            let data = handle.availableData
            stderr.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    func firstStdoutLine(containing text: String, timeout: Duration = .seconds(30)) async -> String? {
        await firstLine(in: stdout, containing: text, timeout: timeout)
    }

    func firstStderrLine(containing text: String, timeout: Duration = .seconds(30)) async -> String? {
        await firstLine(in: stderr, containing: text, timeout: timeout)
    }

    /// Polls the output every 50 ms until a complete line has `text`, the process exits, or the timeout.
    private func firstLine(in buffer: OutputBuffer, containing text: String, timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lines = buffer.text.withLock { $0 }.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = lines.first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { return nil }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
