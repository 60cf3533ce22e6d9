import Foundation
import Testing

/// Domain failures become bytes at exactly two edges: `ErrorTable` for HTTP (the only place that
/// builds a `Problem` or spells a problem code) and the authorizer's answer writer, which sees no
/// HTTP type. These read the sources as text.
@Suite struct ErrorEdgeTests {
    static let product = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Product")

    /// The lines of the Swift files under `folder` (relative to Sources/Product) that match
    /// `pattern`, comment lines left out, as "path:line: text".
    static func matches(_ pattern: Regex<AnyRegexOutput>, under folder: String, except allowed: Set<String> = []) throws -> (scanned: Int, lines: [String]) {
        var lines: [String] = []
        var scanned = 0
        let files = FileManager.default.enumerator(atPath: product.appendingPathComponent(folder).path)
        while let name = files?.nextObject() as? String {
            let path = folder.isEmpty ? name : folder + "/" + name
            guard name.hasSuffix(".swift"), !allowed.contains(path) else { continue }
            // Simple word boundaries: Unicode's default would read `ErrorTable.upstream` as one word.
            let pattern = pattern.wordBoundaryKind(.simple)
            scanned += 1
            let text = try String(contentsOf: product.appendingPathComponent(path), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                lines.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        return (scanned, lines)
    }

    @Test("only ErrorTable builds a Problem or spells a problem code in Sources/Product")
    func oneHTTPWriter() throws {
        // A `Problem` being built (`Problem(`, not `KeyProblem(`) or a code spelled as a labelled
        // literal (`code: "…"`).
        let (scanned, offenders) = try Self.matches(
            try Regex(#"(\bProblem\(|\bcode: *")"#), under: "", except: ["AuthEndpoints/HTTP/ErrorTable.swift"])
        #expect(scanned > 50)
        #expect(offenders == [])
    }

    /// It reads its token with `BearerCredential`, never through the HTTP-facing `BearerGuard`.
    @Test("the authorizer sees no HTTP type")
    func authorizerHasNoHTTPTypes() throws {
        let (scanned, offenders) = try Self.matches(
            try Regex(#"\b(Problem|ProblemCode|ErrorTable|BearerGuard|HTTPRequest|HTTPResponse)\b"#), under: "AuthEndpoints/Authorizer")
        #expect(scanned > 5)
        #expect(offenders == [])
    }
}
