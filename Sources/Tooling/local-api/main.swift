// local-api (scripts/serve): template.yaml served on 127.0.0.1 as API Gateway HTTP API would,
// through the function executables running warm in Lambda mode, with the Cognito emulator.
import CognitoEmulator
import Dispatch
import Foundation
import LocalAPI

let usage = """
    usage: local-api [serve] [options]    |    local-api bench [--iterations N] [options]
      --port PORT                  HTTP API port on 127.0.0.1 (default 3000; 0 = any free port)
      --cognito-port PORT          emulator port (default 9229)
      --cognito emulator|real      real: COGNITO_* from this environment point at a real user pool
      --concurrency N              warm processes per function at most (default 4)
      --stage NAME                 serve the API as stage NAME: URLs /NAME/..., rawPath keeps /NAME (default $default)
      --mapping-key KEY            serve it behind a custom domain's API mapping KEY (a/b): URLs /KEY/...
      --default-route-arn          the $default route's routeArn is .../{stage}/$default
      --parameter-overrides K=V... template parameters (several after one flag, or repeat the flag)
      --template FILE              (default template.yaml)
      --bin-dir DIR                where the function executables are (default: swift build --show-bin-path)
      --build                      swift build --product <each function's executable> first
      --watch                      rebuild on a source change and swap in new processes
      -h, --help

    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("local-api: \(message)\n".utf8))
    exit(2)
}

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

var arguments = Array(CommandLine.arguments.dropFirst())
var command = "serve"
if let first = arguments.first, !first.hasPrefix("-") {
    command = first
    arguments.removeFirst()
}
var port = 3000
var cognitoPort = 9229
var cognitoReal = false
var concurrency = 4
var mount = APIMount()
var overrides: [String: String] = [:]
var templatePath = "template.yaml"
var binDirectory: String?
var build = false
var watch = false
var iterations = 2000

var index = 0
@MainActor func value(_ flag: String) -> String {
    index += 1
    guard index < arguments.count else { fail("\(flag) needs a value\n\(usage)") }
    return arguments[index]
}
@MainActor func number(_ flag: String) -> Int {
    let text = value(flag)
    guard let number = Int(text), number >= 0 else { fail("\(flag): \(text) is not a number") }
    return number
}
while index < arguments.count {
    let argument = arguments[index]
    switch argument {
    case "--port": port = number(argument)
    case "--cognito-port": cognitoPort = number(argument)
    case "--cognito":
        switch value(argument) {
        case "emulator": cognitoReal = false
        case "real": cognitoReal = true
        case let other: fail("--cognito \(other): expected emulator or real")
        }
    case "--stage":
        let stage = value(argument)
        // API Gateway's stage names: letters, digits, - and _ (or $default).
        guard stage == "$default" || (!stage.isEmpty && stage.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })) else {
            fail("--stage \(stage): letters, digits, - and _ only, or $default")
        }
        mount.stage = stage
    case "--mapping-key":
        let key = value(argument)
        guard !key.isEmpty, key.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ segment in
            !segment.isEmpty && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
        }) else { fail("--mapping-key \(key): path segments of letters, digits, - . _ joined by /") }
        mount.mappingKey = key
    case "--default-route-arn": mount.defaultRouteArn = true
    case "--concurrency":
        concurrency = number(argument)
        if concurrency < 1 { fail("--concurrency must be at least 1") }
    case "--parameter-overrides":
        var taken = 0
        while index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
            index += 1
            taken += 1
            let pair = arguments[index]
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                fail("--parameter-overrides \(pair): expected KEY=VALUE")
            }
            overrides[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        if taken == 0 { fail("--parameter-overrides needs KEY=VALUE") }
    case "--template": templatePath = value(argument)
    case "--bin-dir": binDirectory = value(argument)
    case "--build": build = true
    case "--watch": watch = true
    case "--iterations": iterations = max(50, number(argument))
    case "-h", "--help":
        FileHandle.standardOutput.write(Data(usage.utf8))
        exit(0)
    default: fail("unknown argument \(argument)\n\(usage)")
    }
    index += 1
}

/// Runs a program, inheriting stdout/stderr; true when it exits 0.
func run(_ executable: String, _ arguments: [String], output: FileHandle? = nil) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let output { process.standardOutput = output }
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}

func swiftBinPath() -> String {
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["swift", "build", "--show-bin-path"]
    process.standardOutput = pipe
    do { try process.run() } catch { fail("cannot run swift build --show-bin-path") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The function executables the template names (built before serving with --build).
func functionExecutables(templatePath: String) -> [String] {
    do {
        let template = try TemplateLoader.load(path: templatePath)
        let resources = template["Resources"]?.members ?? [:]
        return resources.keys.sorted().filter { resources[$0]?["Type"]?.string == "AWS::Serverless::Function" }
            .compactMap { FunctionExecutable.name(logicalId: $0) }
    } catch {
        fail("\(error)")
    }
}

func buildFunctions(templatePath: String) -> Bool {
    for product in functionExecutables(templatePath: templatePath) {
        guard run("/usr/bin/env", ["swift", "build", "--product", product], output: FileHandle.standardError) else {
            return false
        }
    }
    return true
}

let templateFile = templatePath
if build, !buildFunctions(templatePath: templateFile) { fail("swift build failed") }

var options = LocalAPIOptions(templatePath: templatePath, binDirectory: binDirectory ?? swiftBinPath())
options.port = port
options.cognitoPort = cognitoPort
options.concurrency = concurrency
options.mount = mount
options.parameterOverrides = overrides
if cognitoReal {
    let environment = ProcessInfo.processInfo.environment
    for required in ["COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN"] where environment[required] == nil {
        fail("--cognito real needs \(required) in the environment")
    }
    options.cognito = .real(environment)
}

let finalOptions = options
let watchRoots = ["Sources", "Package.swift", templatePath]
let shouldWatch = watch
let benchIterations = iterations
let exitCode: Int32 = await {
    switch command {
    case "bench":
        do {
            try await LocalAPIBench.run(options: finalOptions, iterations: benchIterations, print: { say($0) })
            return 0
        } catch {
            FileHandle.standardError.write(Data("local-api bench: \(error)\n".utf8))
            return 1
        }
    case "serve":
        let (signals, sources) = TerminationSignals.stream()
        let api: LocalAPI
        do {
            api = try await LocalAPI.start(finalOptions)
        } catch {
            FileHandle.standardError.write(Data("local-api: \(error)\n".utf8))
            return 1
        }
        for line in api.bannerLines() { say(line) }
        var watcher: Task<Void, Never>?
        if shouldWatch {
            let sourceWatcher = SourceWatcher(roots: watchRoots, api: api, log: { say($0) }, rebuild: {
                buildFunctions(templatePath: templateFile)
            })
            watcher = Task { await sourceWatcher.run() }
            say("Watching Sources, Package.swift and \(templatePath) for changes.")
        }
        say("Ready. Ctrl-C stops the server and every process it started.")
        for await number in signals {
            say("local-api: signal \(number); stopping every process")
            break
        }
        watcher?.cancel()
        await api.shutdown()
        _ = sources
        return 0
    default:
        fail("unknown command \(command)\n\(usage)")
    }
}()
exit(exitCode)
