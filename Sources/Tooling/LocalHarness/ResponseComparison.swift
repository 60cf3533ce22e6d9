import Foundation

/// Compares a Lambda proxy response with the expected one by meaning, not by bytes: header names
/// case-insensitively (REST `headers` + `multiValueHeaders`, HTTP API `cookies` as `set-cookie`),
/// JSON bodies as JSON, and `{{ANY}}` in the expected side matching any value.
public enum ResponseComparison {
    /// The differences, one readable line each; empty when the responses match.
    public static func differences(expected: [UInt8], actual: [UInt8]) -> [String] {
        guard let expectedJSON = try? JSONSerialization.jsonObject(with: Data(expected)) as? [String: Any] else {
            return ["the expected response is not a JSON object"]
        }
        guard let actualJSON = try? JSONSerialization.jsonObject(with: Data(actual)) as? [String: Any] else {
            return ["the response is not a JSON object: \(String(decoding: actual.prefix(200), as: UTF8.self))"]
        }
        var lines: [String] = []
        compare(normalise(expectedJSON), normalise(actualJSON), path: "", into: &lines)
        return lines
    }

    /// Differences between two JSON documents compared as they are (authorizer answers: no
    /// headers or body to normalise), `{{ANY}}` on the expected side matching any value.
    public static func jsonDifferences(expected: [UInt8], actual: [UInt8]) -> [String] {
        guard let expectedJSON = try? JSONSerialization.jsonObject(with: Data(expected), options: [.fragmentsAllowed]) else {
            return ["the expected answer is not JSON"]
        }
        guard let actualJSON = try? JSONSerialization.jsonObject(with: Data(actual), options: [.fragmentsAllowed]) else {
            return ["the answer is not JSON: \(String(decoding: actual.prefix(200), as: UTF8.self))"]
        }
        var lines: [String] = []
        compare(expectedJSON, actualJSON, path: "", into: &lines)
        return lines
    }

    /// Checks an expected `{"functionError": {...}}` against what the invocation produced: a
    /// function error whose error object has those members (its `stackTrace` is not compared).
    public static func functionErrorDifferences(expected: [String: Any], functionError: [UInt8]?, payload: [UInt8]?) -> [String] {
        guard let functionError else {
            let answer = payload.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? "nothing"
            return ["expected a function error, got the answer \(answer)"]
        }
        guard var actual = try? JSONSerialization.jsonObject(with: Data(functionError)) as? [String: Any] else {
            return ["the function error is not a JSON object: \(String(decoding: functionError.prefix(200), as: UTF8.self))"]
        }
        actual["stackTrace"] = nil
        var lines: [String] = []
        compare(expected, actual, path: "functionError", into: &lines)
        return lines
    }

    static func normalise(_ response: [String: Any]) -> [String: Any] {
        var headers: [String: [String]] = [:]
        for (name, value) in (response["headers"] as? [String: Any]) ?? [:] {
            headers[name.lowercased(), default: []].append("\(value)")
        }
        for (name, values) in (response["multiValueHeaders"] as? [String: [Any]]) ?? [:] {
            headers[name.lowercased(), default: []].append(contentsOf: values.map { "\($0)" })
        }
        for cookie in (response["cookies"] as? [Any]) ?? [] {
            headers["set-cookie", default: []].append("\(cookie)")
        }
        var body: Any = response["body"] ?? NSNull()
        if let text = body as? String, (response["isBase64Encoded"] as? Bool) != true,
            let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) {
            body = parsed
        }
        return [
            "statusCode": response["statusCode"] ?? NSNull(),
            "headers": headers.mapValues { $0.sorted() },
            "body": body,
            "isBase64Encoded": response["isBase64Encoded"] ?? false,
        ]
    }

    static func compare(_ expected: Any, _ actual: Any, path: String, into lines: inout [String]) {
        if let wildcard = expected as? String, wildcard == "{{ANY}}" { return }
        if let expectedObject = expected as? [String: Any] {
            guard let actualObject = actual as? [String: Any] else {
                lines.append("\(path): expected an object, got \(render(actual))")
                return
            }
            for key in Set(expectedObject.keys).union(actualObject.keys).sorted() {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                switch (expectedObject[key], actualObject[key]) {
                case (let e?, let a?): compare(e, a, path: childPath, into: &lines)
                case (let e?, nil): lines.append("\(childPath): missing (expected \(render(e)))")
                case (nil, let a?): lines.append("\(childPath): unexpected \(render(a))")
                default: break
                }
            }
            return
        }
        if let expectedArray = expected as? [Any] {
            guard let actualArray = actual as? [Any], actualArray.count == expectedArray.count else {
                lines.append("\(path): expected \(render(expected)), got \(render(actual))")
                return
            }
            for (index, (e, a)) in zip(expectedArray, actualArray).enumerated() {
                compare(e, a, path: "\(path)[\(index)]", into: &lines)
            }
            return
        }
        // `{{ANY}}` inside a string stands for any run of characters there (a cookie's value).
        if let pattern = expected as? String, pattern.contains("{{ANY}}"), let text = actual as? String {
            if !matches(text, pattern: pattern) {
                lines.append("\(path): expected \(render(expected)), got \(render(actual))")
            }
            return
        }
        if render(expected) != render(actual) {
            lines.append("\(path): expected \(render(expected)), got \(render(actual))")
        }
    }

    /// Whether `text` is `pattern` with each `{{ANY}}` replaced by some (non-empty) text.
    static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pattern.components(separatedBy: "{{ANY}}")
        guard let first = parts.first, let last = parts.last, text.hasPrefix(first), text.hasSuffix(last),
            text.count > first.count + last.count
        else { return false }
        var rest = text.dropFirst(first.count).dropLast(last.count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part), range.lowerBound > rest.startIndex else { return false }
            rest = rest[range.upperBound...]
        }
        return !rest.isEmpty
    }

    static func render(_ value: Any) -> String {
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
