// lambda-runtime-bench: invocations/s through a handler binary's Runtime API loop against the
// loopback server, and the same server driven by the bare client pattern (GET next + POST
// response, no decoding, no handler) as the baseline. Release builds: see scripts/bench-runtime.
//   lambda-runtime-bench --handler PATH [--invocations N] [--warmup N] [--rounds N]
// `soak` measures the handler's memory instead (Soak.swift, scripts/bench-soak):
//   lambda-runtime-bench soak --handler PATH [--invocations N] [--checkpoint N]
import Foundation
@_spi(RuntimeAPI) import LambdaKit
import LambdaRuntimeAPIServer
import NIOCore
import NIOPosix

// A realistic HTTP API v2 event (~1 KB), as a no-op handler would get it.
let event = Array("""
    {"version":"2.0","routeKey":"GET /auth/me","rawPath":"/auth/me","rawQueryString":"",\
    "headers":{"accept":"*/*","authorization":"Bearer x","content-length":"0","host":"abc.execute-api.us-east-1.amazonaws.com",\
    "user-agent":"curl/8.5.0","x-amzn-trace-id":"Root=1-5e9f0c65-1de4d666d4dd26aced652b6c","x-forwarded-for":"1.2.3.4",\
    "x-forwarded-port":"443","x-forwarded-proto":"https"},"requestContext":{"accountId":"123456789012","apiId":"abc",\
    "domainName":"abc.execute-api.us-east-1.amazonaws.com","domainPrefix":"abc","http":{"method":"GET","path":"/auth/me",\
    "protocol":"HTTP/1.1","sourceIp":"1.2.3.4","userAgent":"curl/8.5.0"},"requestId":"LV7fzho-PHcEJPw=","routeKey":"GET /auth/me",\
    "stage":"$default","time":"21/Apr/2020:15:08:21 +0000","timeEpoch":1587481701067},"isBase64Encoded":false}
    """.utf8)
let rawAnswer = Array(#"{"statusCode":204,"headers":{},"body":"","isBase64Encoded":false}"#.utf8)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("lambda-runtime-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == "soak" {
    await Soak.run(arguments: Array(arguments.dropFirst()), event: event)
}

// Child mode: the baseline client loop.
if arguments.first == "--raw-client" {
    guard let address = ProcessInfo.processInfo.environment["AWS_LAMBDA_RUNTIME_API"] else { fail("no AWS_LAMBDA_RUNTIME_API") }
    // The same executor set-up as LambdaMain, so the ratio measures LambdaMain's own work.
    if ProcessInfo.processInfo.environment["LAMBDAKIT_NIO_EXECUTOR"] != "0" {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
    do {
        let client = try RuntimeAPIClient(address: address)
        while true {
            let invocation = try await client.next()
            try await client.postResponse(requestId: invocation.requestId, body: rawAnswer)
        }
    } catch {
        exit(0)  // the server went away: the run is over
    }
}

// In-process cost of the event/response work LambdaMain adds per invocation (no I/O).
if arguments.first == "--codec" {
    let count = 20_000
    let clock = ContinuousClock()
    let start = clock.now
    for _ in 0..<count {
        let request = try LambdaEventDecoder.decode(event)
        _ = LambdaResponseEncoder.encode(HTTPResponse(status: 204), for: request)
    }
    let elapsed = clock.now - start
    let micros = (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(count)
    print("decode event + encode response: \(String(format: "%.1f", micros)) us per invocation")
    exit(0)
}

var handlerPath: String?
var invocations = 20_000
var warmup = 2_000
var rounds = 3
var index = 0
while index < arguments.count {
    let value = index + 1 < arguments.count ? arguments[index + 1] : ""
    switch arguments[index] {
    case "--handler": handlerPath = value
    case "--invocations": invocations = Int(value) ?? 0
    case "--warmup": warmup = Int(value) ?? -1
    case "--rounds": rounds = Int(value) ?? 0
    default: fail("unknown argument \(arguments[index])")
    }
    index += 2
}
guard let handlerPath, invocations > 0, warmup >= 0, rounds > 0 else {
    fail("usage: lambda-runtime-bench --handler PATH [--invocations N] [--warmup N] [--rounds N]")
}

/// Starts `executable` against a fresh server, runs warmup + timed invocations, returns invocations/s.
var childCPUMicrosPerInvocation: [Double] = []

@MainActor func measure(_ executable: String, _ extraArguments: [String], environment extra: [String: String]) async throws -> Double {
    let server = try await LambdaRuntimeAPIServer.start()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = extraArguments
    var environment = ProcessInfo.processInfo.environment
    environment["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
    environment["LOG_LEVEL"] = "warning"
    environment.merge(extra) { _, new in new }
    process.environment = environment
    try process.run()
    var cpuBefore = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &cpuBefore)
    defer {
        process.terminate()
        process.waitUntilExit()
        var cpuAfter = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &cpuAfter)
        func micros(_ usage: rusage) -> Double {
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
        }
        childCPUMicrosPerInvocation.append((micros(cpuAfter) - micros(cpuBefore)) / Double(warmup + invocations))
    }
    func batch(_ count: Int) async throws {
        let ids = (0..<count).map { _ in server.enqueue(RuntimeAPIInvocation(event: event, traceId: "Root=1-00000000-000000000000000000000000")) }
        // The function answers in order: waiting for the last answer only keeps the measuring
        // process from waking up once per invocation.
        if let last = ids.last { _ = try await server.outcome(for: last, timeout: .seconds(120)) }
        for id in ids {
            let outcome = server.recordedOutcome(for: id)
            guard outcome?.kind == .response else { fail("invocation \(id) ended as \(String(describing: outcome?.kind))") }
        }
    }
    try await batch(warmup)
    let clock = ContinuousClock()
    let start = clock.now
    try await batch(invocations)
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    guard server.connectionsOpened == 1 else { fail("\(executable) opened \(server.connectionsOpened) connections, expected 1") }
    try await server.shutdown()
    return Double(invocations) / seconds
}

let selfPath = URL(fileURLWithPath: CommandLine.arguments[0]).path
var loopRates: [Double] = []
var baselineRates: [Double] = []
do {
    for _ in 0..<rounds {
        baselineRates.append(try await measure(selfPath, ["--raw-client"], environment: [:]))
        loopRates.append(try await measure(handlerPath, [], environment: ["ECHO_MODE": "noop"]))
    }
} catch {
    fail("\(error)")
}
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let loop = median(loopRates)
let baseline = median(baselineRates)
func format(_ value: Double) -> String { String(Int(value.rounded())) }
print("invocations per round: \(invocations) (after \(warmup) warm-up), rounds: \(rounds), medians below")
print("baseline  raw client (GET next + POST response): \(format(baseline)) round-trip pairs/s  [\(baselineRates.map(format).joined(separator: " "))]")
print("runtime   LambdaMain + no-op handler:            \(format(loop)) invocations/s  [\(loopRates.map(format).joined(separator: " "))]")
print("loop overhead per invocation: \(String(format: "%.1f", 1e6 / loop)) us (baseline \(String(format: "%.1f", 1e6 / baseline)) us)")
let cpu = childCPUMicrosPerInvocation
let baselineCPU = stride(from: 0, to: cpu.count, by: 2).map { cpu[$0] }
let loopCPU = stride(from: 1, to: cpu.count, by: 2).map { cpu[$0] }
print("function process CPU per invocation (user+sys, median): runtime \(String(format: "%.1f", median(loopCPU))) us, baseline \(String(format: "%.1f", median(baselineCPU))) us")
print("ratio runtime/baseline: \(String(format: "%.2f", loop / baseline))")
print("target >= 3000 invocations/s: \(loop >= 3000 ? "met" : "NOT met")")
exit(loop >= 3000 ? 0 : 1)
