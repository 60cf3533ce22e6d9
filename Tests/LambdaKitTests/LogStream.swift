import JSONValue
import Testing

/// The stderr of a handler process, read as CloudWatch Logs would: one JSON object per line.
/// Metrics documents are the lines with `_aws`; log lines are the ones with `level`.
struct LogStream {
    var raw: String
    var lines: [[String: JSONValue]] = []
    var unparsed: [String] = []

    init(_ stderr: String) {
        raw = stderr
        for line in stderr.split(separator: "\n", omittingEmptySubsequences: true) {
            if case .object(let members)? = try? JSONValue.parse(Array(line.utf8)) {
                lines.append(members)
            } else {
                unparsed.append(String(line))
            }
        }
    }

    var metricDocuments: [[String: JSONValue]] { lines.filter { $0["_aws"] != nil } }
    var logLines: [[String: JSONValue]] { lines.filter { $0["level"] != nil } }
    var summaries: [[String: JSONValue]] { logLines.filter { $0["message"]?.stringValue == "invocation" } }

    /// The raw text of each metrics document, for the EMF validator.
    var metricDocumentTexts: [[UInt8]] {
        raw.split(separator: "\n").filter { $0.contains("\"_aws\"") }.map { Array($0.utf8) }
    }

    /// What every invocation's stream must satisfy: each line JSON, each metrics document valid EMF
    /// with only the bounded dimensions, no secret anywhere.
    func checkCommonRules(functionName: String, secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(unparsed.isEmpty, "lines that are not JSON objects: \(unparsed)", sourceLocation: sourceLocation)
        // Every other line is a log line whose `level` is one of Lambda's names, or Lambda's JSON
        // log-level filtering would read it as INFO and keep or drop it wrongly.
        let lambdaLevels: Set<String> = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        for line in lines where line["_aws"] == nil {
            let level = line["level"]?.stringValue ?? "(none)"
            #expect(lambdaLevels.contains(level), "level \(level) is not a Lambda level name", sourceLocation: sourceLocation)
        }
        for text in metricDocumentTexts {
            let problems = EMFValidator.problems(text)
            #expect(problems.isEmpty, "invalid EMF: \(problems) in \(String(decoding: text, as: UTF8.self))", sourceLocation: sourceLocation)
        }
        for document in metricDocuments {
            #expect(Self.dimensionNames(document) == ["FunctionName", "Outcome"], sourceLocation: sourceLocation)
            #expect(document["FunctionName"]?.stringValue == functionName, sourceLocation: sourceLocation)
            let outcome = document["Outcome"]?.stringValue ?? ""
            #expect(!outcome.isEmpty && outcome.utf8.count <= 64 && outcome.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F },
                    "unbounded Outcome \(outcome)", sourceLocation: sourceLocation)
            #expect(document["level"] == nil, "a metrics document must not be filtered by log level", sourceLocation: sourceLocation)
        }
        for secret in secrets {
            #expect(!raw.contains(secret), "a secret reached the log stream", sourceLocation: sourceLocation)
        }
    }

    /// Every dimension name any directive of `document` uses.
    static func dimensionNames(_ document: [String: JSONValue]) -> Set<String> {
        var names: Set<String> = []
        for directive in document["_aws"]?["CloudWatchMetrics"]?.arrayValue ?? [] {
            for set in directive["Dimensions"]?.arrayValue ?? [] {
                for name in set.arrayValue ?? [] { if let name = name.stringValue { names.insert(name) } }
            }
        }
        return names
    }
}
