import Foundation
@testable import LocalAPI
import LocalHarness
import Testing

/// template.yaml is the one list of the Lambda functions (issue 19): everything else that needs
/// the list derives it (scripts/functions, scripts/package, scripts/sam/Makefile, local-api) or is
/// checked against it here.
@Suite("The function list")
struct FunctionListTests {
    static let root = LocalAPIFixture.packageRoot

    /// Logical id -> executable, as local-api reads the template.
    func templateFunctions() throws -> [String: String?] {
        let template = try TemplateLoader.load(path: Self.root.appendingPathComponent("template.yaml").path)
        let resources = template["Resources"]?.members ?? [:]
        var functions: [String: String?] = [:]
        for (id, resource) in resources where resource["Type"]?.string == "AWS::Serverless::Function" {
            functions[id] = FunctionExecutable.name(logicalId: id)
        }
        return functions
    }

    /// The handler executables: the folders of Sources/Product with a main.swift.
    func productExecutables() throws -> Set<String> {
        let product = Self.root.appendingPathComponent("Sources/Product")
        let folders = try FileManager.default.contentsOfDirectory(atPath: product.path)
        return Set(folders.filter { FileManager.default.fileExists(atPath: product.appendingPathComponent("\($0)/main.swift").path) })
    }

    @Test func everyTemplateFunctionIsAProductExecutableAndEveryExecutableAFunction() throws {
        let functions = try templateFunctions()
        #expect(!functions.isEmpty)
        for (id, executable) in functions {
            #expect(executable != nil, "function \(id) is not named <Executable>Function")
        }
        #expect(Set(functions.values.compactMap { $0 }) == (try productExecutables()))
    }

    @Test func packageSwiftDeclaresEachFunctionAsAnExecutableProduct() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        for executable in try templateFunctions().values.compactMap({ $0 }) {
            #expect(manifest.contains(#".executable(name: "\#(executable)", targets: ["\#(executable)"])"#), "Package.swift has no product \(executable)")
        }
    }

    /// Recorded events are replayed against the executable their folder names.
    @Test func everyEventFolderNamesAFunction() throws {
        let executables = Set(try templateFunctions().values.compactMap { $0 })
        let events = Self.root.appendingPathComponent("events")
        for folder in try FileManager.default.contentsOfDirectory(atPath: events.path) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: events.appendingPathComponent(folder).path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { continue }
            #expect(executables.contains(folder), "events/\(folder) names no function of template.yaml")
        }
    }

    /// scripts/functions applies the same rule in sed for the shell scripts and the Makefile.
    @Test func theShellReaderAgreesWithTheSwiftRule() async throws {
        let result = try await ProcessRunner(executable: Self.root.appendingPathComponent("scripts/functions").path)
            .run(stdin: [], environment: ProcessInfo.processInfo.environment)
        #expect(result.exitCode == 0 && !result.timedOut)
        let output = result.stdout
        var listed: [String: String?] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            try #require(words.count == 2)
            listed[words[0]] = words[1] == "?" ? nil : words[1]
        }
        #expect(listed == (try templateFunctions()))
    }
}
