import Foundation
import JSONValue
import Testing

@testable import AuthEndpoints

/// `ProblemCode` is the one list of problem codes: the OpenAPI document lists exactly these, and
/// every recorded event answers with one of them.
@Suite struct ProblemCodeContractTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// 405 is not an operation of a route, so the document has no response for it (scripts/check-contract
    /// checks a 405 for `Allow` and a problem body instead): the one code it does not list.
    static let undocumented: Set<ProblemCode> = [.methodNotAllowed]

    static var enumerated: Set<String> { Set(ProblemCode.allCases.map(\.rawValue)) }

    /// Every `code` enum of a problem schema in the document.
    static func documentedCodes(_ document: JSONValue) -> Set<String> {
        var codes: Set<String> = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let values = members["code"]?["enum"]?.arrayValue { codes.formUnion(values.compactMap(\.stringValue)) }
                members.values.forEach(walk)
            case .array(let values):
                values.forEach(walk)
            default:
                break
            }
        }
        walk(document)
        return codes
    }

    static func document() throws -> JSONValue {
        let path = root.appendingPathComponent("Sources/Product/AuthEndpoints/OpenAPI/openapi.json")
        return try JSONValue.parse(Array(try Data(contentsOf: path)))
    }

    @Test("the OpenAPI document lists every problem code, and only those")
    func openAPIDocument() throws {
        let documented = Self.documentedCodes(try Self.document())
        #expect(!documented.isEmpty)
        #expect(documented.subtracting(Self.enumerated).sorted() == [], "codes the document lists but ProblemCode lacks")
        let expected = Self.enumerated.subtracting(Self.undocumented.map(\.rawValue))
        #expect(expected.subtracting(documented).sorted() == [], "ProblemCode cases the document does not list")
        #expect(documented.isDisjoint(with: Self.undocumented.map(\.rawValue)))
    }

    /// The problem codes of every recorded HTTP answer in events/*/*.expected.json.
    static func recordedCodes() throws -> (files: Int, codes: [String: String]) {
        let events = root.appendingPathComponent("events")
        var files = 0
        var codes: [String: String] = [:]
        for function in try FileManager.default.contentsOfDirectory(atPath: events.path).sorted() {
            let folder = events.appendingPathComponent(function)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".expected.json") {
                let expected = try JSONValue.parse(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
                // Authorizer answers are not HTTP responses.
                guard expected["statusCode"] != nil else { continue }
                files += 1
                var contentTypes: [String] = []
                for (headerName, value) in expected["headers"]?.objectValue ?? [:] where headerName.lowercased() == "content-type" {
                    contentTypes += value.stringValue.map { [$0] } ?? []
                }
                for (headerName, values) in expected["multiValueHeaders"]?.objectValue ?? [:] where headerName.lowercased() == "content-type" {
                    contentTypes += values.arrayValue?.compactMap(\.stringValue) ?? []
                }
                guard contentTypes.contains("application/problem+json") else { continue }
                let body = try JSONValue.parse(Array((expected["body"]?.stringValue ?? "").utf8))
                codes["\(function)/\(name)"] = body["code"]?.stringValue ?? "(no code)"
            }
        }
        return (files, codes)
    }

    @Test("every recorded problem answer (events/*/*.expected.json) carries a ProblemCode")
    func recordedEvents() throws {
        let (files, codes) = try Self.recordedCodes()
        #expect(files > 0 && !codes.isEmpty, "no recorded HTTP answers found under events/")
        for (file, code) in codes.sorted(by: { $0.key < $1.key }) {
            #expect(ProblemCode(rawValue: code) != nil, "\(file): \(code)")
        }
    }
}
