import Foundation
import LambdaRuntimeAPIServer

/// `lambda-runtime-bench soak`: the handler process's resident memory over many invocations, each
/// with its own trace id as real Lambda sends them. The growth over the second half of the run is
/// the figure: start-up and warm-up are over by then, so it is what a warm process keeps adding.
///   lambda-runtime-bench soak --handler PATH [--invocations N] [--checkpoint N]
enum Soak {
    /// Target for the second-half growth of the default run (10,000 invocations).
    static let targetKB = 512

    static func run(arguments: [String], event: [UInt8]) async -> Never {
        var handlerPath: String?
        var invocations = 20_000
        var checkpoint = 2_000
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : ""
            switch arguments[index] {
            case "--handler": handlerPath = value
            case "--invocations": invocations = Int(value) ?? 0
            case "--checkpoint": checkpoint = Int(value) ?? 0
            default: fail("unknown argument \(arguments[index])")
            }
            index += 2
        }
        // The half-way point must be a checkpoint: the figure is RSS(N) - RSS(N/2).
        guard let handlerPath, invocations > 0, checkpoint > 0, (invocations / 2) % checkpoint == 0,
            invocations % 2 == 0
        else {
            fail("usage: lambda-runtime-bench soak --handler PATH [--invocations N] [--checkpoint N] (N/2 a multiple of the checkpoint)")
        }

        do {
            print("soak: \(invocations) invocations, a fresh trace id each; handler VmRSS every \(checkpoint)")
            let residentKB = try await measure(
                handlerPath: handlerPath, event: event, invocations: invocations, checkpoint: checkpoint
            )
            let growth = residentKB[invocations]! - residentKB[invocations / 2]!
            let firstHalf = residentKB[invocations / 2]! - residentKB[checkpoint]!
            print("first half (start-up, warm-up): \(firstHalf) kB from \(checkpoint) to \(invocations / 2) invocations")
            print("target second-half growth < \(targetKB) kB: \(growth < targetKB ? "met" : "NOT met")")
            print("soak rss growth: \(growth) kB")
            exit(growth < targetKB ? 0 : 1)
        } catch {
            fail("\(error)")
        }
    }

    /// Runs the invocations in batches of `checkpoint`; VmRSS in kB after each, keyed by invocations done.
    static func measure(handlerPath: String, event: [UInt8], invocations: Int, checkpoint: Int) async throws -> [Int: Int] {
        let server = try await LambdaRuntimeAPIServer.start()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: handlerPath)
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
        environment["LOG_LEVEL"] = "warning"
        environment["ECHO_MODE"] = "noop"
        process.environment = environment
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var residentKB: [Int: Int] = [:]
        var done = 0
        while done < invocations {
            // Default RuntimeAPIInvocation: a fresh request id and a fresh random X-Ray trace id.
            let ids = (0..<checkpoint).map { _ in server.enqueue(RuntimeAPIInvocation(event: event)) }
            if let last = ids.last { _ = try await server.outcome(for: last, timeout: .seconds(120)) }
            for id in ids {
                let kind = server.recordedOutcome(for: id)?.kind
                guard kind == .response else { throw SoakError("invocation \(id) ended as \(String(describing: kind))") }
            }
            done += checkpoint
            guard let kB = vmRSS(process.processIdentifier) else {
                throw SoakError("no VmRSS in /proc/\(process.processIdentifier)/status")
            }
            residentKB[done] = kB
            print("  \(done) invocations: \(kB) kB")
            fflush(nil)  // all streams: Swift 6 refuses a reference to the C global `stdout`
        }
        guard server.connectionsOpened == 1 else {
            throw SoakError("the handler opened \(server.connectionsOpened) connections, expected 1")
        }
        try await server.shutdown()
        return residentKB
    }

    struct SoakError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The `VmRSS` line of /proc/PID/status, in kB.
    static func vmRSS(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.count >= 2 ? Int(fields[1]) : nil
        }
        return nil
    }
}
