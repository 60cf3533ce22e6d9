// event-replay: every event in events/ through its executable, in stdin mode and in Lambda mode
// (a real Runtime API server on loopback), against the local Cognito emulator; each response is
// compared with the expected one beside the event. Last line: `N passed, M failed`.
import Foundation
import LocalHarness

let usage = """
    usage: event-replay --bin-dir DIR [--events DIR] [--mode stdin|lambda|both] [--filter TEXT]
           event-replay --bin-dir DIR --invoke FUNCTION EVENT.json [--mode stdin|lambda]
    """

var binDirectory: String?
var eventsDirectory = "events"
var modes = InvocationMode.allCases
var filter: String?
var invocation: (function: String, event: String)?
var arguments = CommandLine.arguments.dropFirst()[...]
while let argument = arguments.popFirst() {
    switch argument {
    case "--bin-dir": binDirectory = arguments.popFirst()
    case "--events": eventsDirectory = arguments.popFirst() ?? eventsDirectory
    case "--mode":
        switch arguments.popFirst() {
        case "stdin": modes = [.stdin]
        case "lambda": modes = [.lambda]
        case "both": modes = InvocationMode.allCases
        default: FileHandle.standardError.write(Data((usage + "\n").utf8)); exit(2)
        }
    case "--filter": filter = arguments.popFirst()
    case "--invoke":
        guard let function = arguments.popFirst(), let event = arguments.popFirst() else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            exit(2)
        }
        invocation = (function, event)
    default:
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
}
guard let binDirectory else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}

struct ReplayCase {
    var function: String
    var name: String
    var version: String
    var event: URL
    var expected: URL
    var setup: URL?
    /// `<case>.<tag>.setup.json`: set-up for this event family only, on top of `setup`.
    var tagSetup: URL?

    var label: String { "\(function)/\(name) \(version)" }
}

/// Event file tags: REST (`v1`) and HTTP API (`v2`) proxy events, and the authorizer's families
/// (HTTP API 2.0 with simple or policy answers; REST REQUEST and TOKEN; `v1` there is payload 1.0).
let eventTags: Set<String> = ["v1", "v2", "v2-simple", "v2-policy", "rest-request", "rest-token"]

@MainActor func loadCases() throws -> [ReplayCase] {
    let root = URL(fileURLWithPath: eventsDirectory)
    var cases: [ReplayCase] = []
    for function in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
        let directory = root.appendingPathComponent(function)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let parts = file.split(separator: ".").map(String.init)
            guard parts.count == 3, parts[2] == "json", eventTags.contains(parts[1]) else { continue }
            let setup = directory.appendingPathComponent("\(parts[0]).setup.json")
            let tagSetup = directory.appendingPathComponent("\(parts[0]).\(parts[1]).setup.json")
            cases.append(ReplayCase(
                function: function, name: parts[0], version: parts[1],
                event: directory.appendingPathComponent(file),
                expected: directory.appendingPathComponent("\(parts[0]).\(parts[1]).expected.json"),
                setup: FileManager.default.fileExists(atPath: setup.path) ? setup : nil,
                tagSetup: FileManager.default.fileExists(atPath: tagSetup.path) ? tagSetup : nil))
        }
    }
    return cases.filter { filter == nil || $0.label.contains(filter!) }
}

func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

/// Values that must never show up in logs (and, presented by the client, never in a response).
func secrets(_ placeholders: Placeholders) -> [String] {
    [
        "ACCESS_TOKEN", "ID_TOKEN", "EXPIRED_TOKEN", "REVOKED_TOKEN", "TAMPERED_TOKEN", "CODE", "CODE_VERIFIER", "REFRESH_TOKEN",
        "REVOKED_REFRESH_TOKEN", "SECOND_CLIENT_TOKEN", "UNLISTED_CLIENT_TOKEN", "MACHINE_TOKEN", "AUDIENCE_TOKEN",
        "AUDIENCE_ARRAY_TOKEN", "OTHER_AUDIENCE_TOKEN", "FOREIGN_ISSUER_TOKEN", "NO_ADMIN_SCOPE_TOKEN",
    ]
        .compactMap { placeholders.values[$0] }
}

@MainActor func run(_ replay: ReplayCase, mode: InvocationMode, fixture: EmulatorFixture) async throws -> [String] {
    let eventText = try text(replay.event)
    let expectedText = try text(replay.expected)
    let setupText = try replay.setup.map(text) ?? "{}"
    let tagSetupText = try replay.tagSetup.map(text) ?? "{}"
    let placeholders = Placeholders(fixture: fixture)
    try await placeholders.prepare(
        Placeholders.names(inEvent: eventText).union(Placeholders.names(in: expectedText)).union(Placeholders.names(in: setupText))
            .union(Placeholders.names(in: tagSetupText)))

    let event = try JSONSerialization.data(
        withJSONObject: placeholders.fill(json: try JSONSerialization.jsonObject(with: Data(eventText.utf8))))
    var setup = placeholders.fill(json: try JSONSerialization.jsonObject(with: Data(setupText.utf8))) as? [String: Any] ?? [:]
    let tagSetup = placeholders.fill(json: try JSONSerialization.jsonObject(with: Data(tagSetupText.utf8))) as? [String: Any] ?? [:]
    if let tagEnv = tagSetup["env"] as? [String: String] {
        setup["env"] = ((setup["env"] as? [String: String]) ?? [:]).merging(tagEnv) { $1 }
    }
    if let tagFaults = tagSetup["faults"] { setup["faults"] = tagFaults }

    var environment = fixture.environment
    environment["LOG_LEVEL"] = "debug"
    for (name, value) in (setup["env"] as? [String: String]) ?? [:] {
        environment[name] = value
    }
    try await fixture.clearFaults()
    if let faults = setup["faults"] {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: faults), as: UTF8.self)
        try await fixture.addFaults(json)
    }

    let executable = URL(fileURLWithPath: binDirectory).appendingPathComponent(replay.function).path
    let result = try await FunctionInvoker(executable: executable).invoke(
        event: Array(event), environment: environment, mode: mode)
    try await fixture.clearFaults()
    let expectedFilled = placeholders.fill(expectedText)
    let expectedObject = try? JSONSerialization.jsonObject(with: Data(expectedFilled.utf8)) as? [String: Any]
    var problems: [String] = []
    let payload: [UInt8]
    if let expectedError = expectedObject?["functionError"] as? [String: Any] {
        // An expected function error (an authorizer's Unauthorized) must be one, in both modes.
        problems += ResponseComparison.functionErrorDifferences(
            expected: expectedError, functionError: result.functionError, payload: result.payload)
        payload = result.functionError ?? result.payload ?? []
    } else {
        guard let answer = result.payload else {
            return ["no response: \(result.failure ?? "?")", "logs: \(String(decoding: result.logs.suffix(600), as: UTF8.self))"]
        }
        payload = answer
        problems += result.failure.map { [$0] } ?? []
        if expectedObject?["statusCode"] != nil {
            problems += ResponseComparison.differences(expected: Array(expectedFilled.utf8), actual: payload)
        } else {
            problems += ResponseComparison.jsonDifferences(expected: Array(expectedFilled.utf8), actual: payload)
        }
    }

    // Security: nothing the client presented, and no token Cognito issued, may be logged; nothing
    // the client presented may be echoed back.
    let logs = String(decoding: result.logs, as: UTF8.self)
    let response = String(decoding: payload, as: UTF8.self)
    var watched = secrets(placeholders)
    if let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
        let body = object["body"] as? String,
        let parsed = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
        let issued = parsed["access_token"] as? String {
        watched.append(issued)
        if let refresh = parsed["refresh_token"] as? String { watched.append(refresh) }
    }
    // The refresh token handed out in a cookie must not be logged either.
    if let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] {
        let headerCookies = ((object["headers"] as? [String: Any]) ?? [:]).filter { $0.key.lowercased() == "set-cookie" }.compactMap { $0.value as? String }
        for cookie in ((object["cookies"] as? [String]) ?? []) + headerCookies {
            let value = cookie.split(separator: ";").first.map { $0.split(separator: "=", maxSplits: 1).last.map(String.init) ?? "" } ?? ""
            if !value.isEmpty { watched.append(value) }
        }
    }
    for secret in watched where secret.count >= 16 {
        let signature = String(secret.split(separator: ".").last ?? "")
        if logs.contains(secret) || (signature.count >= 16 && logs.contains(signature)) {
            problems.append("a token or code appears in the logs")
        }
    }
    for secret in secrets(placeholders) where secret.count >= 16 && response.contains(secret) {
        problems.append("a token or code the client sent is echoed in the response")
    }
    return problems
}

/// `--invoke`: one event, placeholders minted from a fresh emulator, the response on stdout.
if let invocation {
    let fixture = try await EmulatorFixture.start()
    let placeholders = Placeholders(fixture: fixture)
    let eventText = try text(URL(fileURLWithPath: invocation.event))
    try await placeholders.prepare(Placeholders.names(inEvent: eventText))
    let event = try JSONSerialization.data(
        withJSONObject: placeholders.fill(json: try JSONSerialization.jsonObject(with: Data(eventText.utf8))))
    let executable = URL(fileURLWithPath: binDirectory).appendingPathComponent(invocation.function).path
    var environment = fixture.environment
    for (name, value) in ProcessInfo.processInfo.environment where name.hasPrefix("AUTHORIZER_") {
        environment[name] = value
    }
    let result = try await FunctionInvoker(executable: executable).invoke(
        event: Array(event), environment: environment, mode: modes.count == 1 ? modes[0] : .stdin)
    FileHandle.standardError.write(Data(result.logs))
    await fixture.shutdown()
    if let functionError = result.functionError {
        FileHandle.standardOutput.write(Data(functionError + [UInt8(ascii: "\n")]))
        FileHandle.standardError.write(Data("event-replay: function error\n".utf8))
        exit(3)
    }
    guard let payload = result.payload else {
        FileHandle.standardError.write(Data("event-replay: no response: \(result.failure ?? "?")\n".utf8))
        exit(1)
    }
    FileHandle.standardOutput.write(Data(payload + [UInt8(ascii: "\n")]))
    exit(0)
}

let cases: [ReplayCase]
do {
    cases = try loadCases()
} catch {
    FileHandle.standardError.write(Data("event-replay: cannot read \(eventsDirectory): \(error)\n".utf8))
    exit(2)
}
guard !cases.isEmpty else {
    FileHandle.standardError.write(Data("event-replay: no events under \(eventsDirectory)\n".utf8))
    exit(2)
}

/// The emulator a case runs against: the default one, or one shaped by the set-up's `"emulator"`
/// (`{"refreshTokenRotation": true}`: refresh-token rotation on; `{"tokenRevocation": false}`:
/// the app client's token revocation off; `{"issuerForm": "updated"}`, `{"issuerRegion": "eu-west-1"}`:
/// tokens with the UPDATED issuer or a replica Region's), each started once when a case first needs it.
@MainActor final class Emulators {
    let standard: EmulatorFixture
    private var variants: [String: EmulatorFixture] = [:]

    init(standard: EmulatorFixture) { self.standard = standard }

    func fixture(for replay: ReplayCase) async throws -> EmulatorFixture {
        guard let setup = replay.setup,
            let object = try JSONSerialization.jsonObject(with: Data(try text(setup).utf8)) as? [String: Any],
            let emulator = object["emulator"] as? [String: Any]
        else { return standard }
        // One emulator per distinct set-up (its JSON with sorted keys), started when first needed.
        let variant = String(decoding: try JSONSerialization.data(withJSONObject: emulator, options: [.sortedKeys]), as: UTF8.self)
        if let started = variants[variant] { return started }
        let started = try await EmulatorFixture.start(try EmulatorFixture.makeOptions(setup: emulator))
        variants[variant] = started
        return started
    }

    func shutdown() async {
        await standard.shutdown()
        for fixture in variants.values { await fixture.shutdown() }
    }
}

let emulators = Emulators(standard: try await EmulatorFixture.start())
var passed = 0
var failed = 0
for replay in cases {
    for mode in modes {
        let problems: [String]
        do {
            problems = try await run(replay, mode: mode, fixture: try await emulators.fixture(for: replay))
        } catch {
            problems = ["harness error: \(error)"]
        }
        if problems.isEmpty {
            passed += 1
            print("ok    \(replay.label) \(mode.rawValue)")
        } else {
            failed += 1
            print("FAIL  \(replay.label) \(mode.rawValue)")
            for problem in problems { print("      \(problem)") }
        }
    }
}
await emulators.shutdown()
print("\(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
