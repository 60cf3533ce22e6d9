// lambda-runtime-api: a loopback Lambda Runtime API for scripts.
// See `usage` below; the library is LambdaRuntimeAPIServer.
import Foundation
import LambdaRuntimeAPIServer

let usage = """
    usage: lambda-runtime-api [--host H] [--port P] [--port-file FILE] [--raw] [--timeout SEC]
                              [--function-timeout SEC] [--events FILE...] [--exec PROGRAM [ARG...]]
      --events FILE...  invoke these event files in order (until the next --option)
      --exec PROG ...   start PROG (all remaining arguments) with AWS_LAMBDA_RUNTIME_API set, feed it
                        the events, then SIGTERM it; its stdout is sent to stderr
      --raw             print each answer's payload alone, one line each (as the stdin mode prints it)
                        instead of {"event","requestId","outcome","errorType"?,"payload"} JSON lines
      --port-file FILE  write HOST:PORT there once listening (the address is also printed on stderr)
      --timeout SEC     how long to wait for each answer (default 60)
      --function-timeout SEC  the invocation deadline given to the function (default 30)
    Without --events: serve until SIGINT/SIGTERM; `curl --data-binary @event.json
    http://HOST:PORT/_loopback/invoke` answers with the payload (header Lambda-Outcome).
    Exit: 0 every event answered with /response (and PROG exited 0); 1 otherwise; 2 usage; 3 start failure.
    """

func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("lambda-runtime-api: \(message)\n".utf8))
    exit(code)
}

func note(_ message: String) {
    FileHandle.standardError.write(Data("lambda-runtime-api: \(message)\n".utf8))
}

var host = "127.0.0.1"
var port = 0
var portFile: String?
var raw = false
var answerTimeout = 60.0
var functionTimeout = 30.0
var eventFiles: [String] = []
var command: [String] = []

var arguments = Array(CommandLine.arguments.dropFirst())[...]
while let argument = arguments.popFirst() {
    func value() -> String {
        guard let value = arguments.popFirst() else { fail("\(argument) needs a value\n\(usage)", code: 2) }
        return value
    }
    switch argument {
    case "--host": host = value()
    case "--port": port = Int(value()) ?? -1
    case "--port-file": portFile = value()
    case "--raw": raw = true
    case "--timeout": answerTimeout = Double(value()) ?? -1
    case "--function-timeout": functionTimeout = Double(value()) ?? -1
    case "--events":
        while let next = arguments.first, !next.hasPrefix("--") {
            eventFiles.append(next)
            arguments.removeFirst()
        }
    case "--exec":
        command = Array(arguments)
        arguments = []
        if command.isEmpty { fail("--exec needs a program\n\(usage)", code: 2) }
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        fail("unknown argument \(argument)\n\(usage)", code: 2)
    }
}
guard (0...65535).contains(port), answerTimeout > 0, functionTimeout > 0 else { fail("bad number\n\(usage)", code: 2) }

var events: [(name: String, bytes: [UInt8])] = []
for file in eventFiles {
    guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)", code: 2) }
    events.append((file, Array(data)))
}

let server: LambdaRuntimeAPIServer
do {
    server = try await LambdaRuntimeAPIServer.start(host: host, port: port)
} catch {
    fail("cannot listen on \(host):\(port): \(error)", code: 3)
}
note("listening on \(server.runtimeAPIAddress)")
if let portFile {
    do {
        try Data(server.runtimeAPIAddress.utf8).write(to: URL(fileURLWithPath: portFile))
    } catch {
        fail("cannot write \(portFile): \(error)", code: 3)
    }
}

// Ends the child too when we are interrupted.
nonisolated(unsafe) var child: Process?
let signalSources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
    signal(number, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
    source.setEventHandler {
        if let child, child.isRunning { child.terminate() }
        exit(number == SIGTERM && eventFiles.isEmpty ? 0 : 1)
    }
    source.resume()
    return source
}

if !command.isEmpty {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0].contains("/") ? command[0] : "/usr/bin/env")
    process.arguments = command[0].contains("/") ? Array(command.dropFirst()) : command
    var environment = ProcessInfo.processInfo.environment
    environment["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
    process.environment = environment
    // Our stdout carries the answers; the function's stdout must not mix into it.
    process.standardOutput = FileHandle.standardError
    do {
        try process.run()
    } catch {
        fail("cannot start \(command[0]): \(error)", code: 3)
    }
    child = process
}

if events.isEmpty {
    if let child {
        child.waitUntilExit()
        note("function exited with status \(child.terminationStatus)")
        exit(child.terminationStatus == 0 ? 0 : 1)
    }
    while true { try? await Task.sleep(for: .seconds(3600)) }
}

func isValidJSON(_ bytes: [UInt8]) -> Bool {
    (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil
}

func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let ids = events.map { event in
    server.enqueue(
        RuntimeAPIInvocation(event: event.bytes, timeout: .milliseconds(Int64(functionTimeout * 1000)))
    )
}

var counts: [String: Int] = [:]
var initErrorReported = false
for (index, event) in events.enumerated() {
    let requestId = ids[index]
    var outcome: RuntimeAPIOutcome?
    let started = Date()
    var childGoneSince: Date?
    while outcome == nil, Date().timeIntervalSince(started) < answerTimeout {
        outcome = try? await server.outcome(for: requestId, timeout: .milliseconds(100))
        if outcome == nil, let child, !child.isRunning {
            // Answers posted just before exiting may still be in flight: a short grace period.
            if let since = childGoneSince, Date().timeIntervalSince(since) > 0.5 { break }
            childGoneSince = childGoneSince ?? Date()
        }
    }
    var fields = ["\"event\":\(jsonString(event.name))", "\"requestId\":\(jsonString(requestId))"]
    let kind: String
    if let outcome {
        kind = outcome.kind.rawValue
        fields.append("\"outcome\":\"\(kind)\"")
        if let errorType = outcome.errorType { fields.append("\"errorType\":\(jsonString(errorType))") }
        if outcome.kind != .abandoned {
            if isValidJSON(outcome.body) {
                fields.append("\"payload\":\(outcome.bodyString)")
            } else {
                fields.append("\"payloadText\":\(jsonString(outcome.bodyString))")
            }
        }
        if raw { emit(outcome.kind == .abandoned ? "" : outcome.bodyString) }
    } else {
        kind = child.map { $0.isRunning } == false ? "notDelivered" : "timeout"
        fields.append("\"outcome\":\"\(kind)\"")
        if raw { emit("") }
    }
    counts[kind, default: 0] += 1
    if let initError = server.receivedInitError, !initErrorReported {
        initErrorReported = true
        var initFields = ["\"outcome\":\"initError\""]
        if let errorType = initError.errorType { initFields.append("\"errorType\":\(jsonString(errorType))") }
        initFields.append(isValidJSON(initError.body) ? "\"payload\":\(initError.bodyString)"
            : "\"payloadText\":\(jsonString(initError.bodyString))")
        if !raw { emit("{" + initFields.joined(separator: ",") + "}") }
        note("the function reported an init error")
    }
    if !raw { emit("{" + fields.joined(separator: ",") + "}") }
}

var childStatus: Int32 = 0
if let child {
    if child.isRunning { child.terminate() }
    let deadline = Date().addingTimeInterval(5)
    while child.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    if child.isRunning {
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        note("function did not exit within 5 s of SIGTERM; killed")
    }
    childStatus = child.terminationReason == .exit ? child.terminationStatus : 128 + child.terminationStatus
}
let summary = counts.keys.sorted().map { "\(counts[$0]!) \($0)" }.joined(separator: ", ")
note("\(events.count) events: \(summary)" + (child != nil ? "; function exit status \(childStatus)" : ""))
_ = signalSources
try? await server.shutdown()
exit(counts["response", default: 0] == events.count && childStatus == 0 ? 0 : 1)
