import JSONValue

/// The `route` of an authorizer rule: `METHOD /path`, the method one of API Gateway's or `ANY`, the
/// path literal except for an optional trailing `*` that matches the rest of the path.
///
/// Compared as bytes: a path or method spelled another way (canonically equivalent Unicode, other
/// case) is another route, as it is for API Gateway.
struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    /// API Gateway's methods. `ANY` stands for all of them; in a policy it is written out method
    /// by method, because IAM's `*` also matches `/` and `*/admin/*` would match `GET/x/admin/y`.
    static let methods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]

    /// The methods this route covers (all of `methods` for `ANY`), and their bytes.
    var methods: [String]
    var methodBytes: [[UInt8]]
    var isAnyMethod: Bool
    /// The path without the trailing `*`, starting with `/`.
    var path: [UInt8]
    var isPrefix: Bool
    /// `resources(base:)` without the base, as the inside of JSON strings: what a policy answer
    /// writes after the escaped base, computed once from the configuration.
    var escapedResourceSuffixes: [[UInt8]]

    var description: String {
        (isAnyMethod ? "ANY" : methods[0]) + " " + String(decoding: path, as: UTF8.self) + (isPrefix ? "*" : "")
    }

    /// Parses `METHOD /path`; nil with the reason otherwise.
    static func parse(_ text: String) -> Result<RoutePattern, RuleError> {
        let parts = text.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(RuleError("route \"\(text)\" is not METHOD /path (one space)")) }
        var path = Array(parts[1])
        let methods: [String]
        // Byte comparisons ([UInt8] ==): `get` or a look-alike spelling is not GET.
        let isAny = Array(parts[0]) == Array("ANY".utf8)
        if isAny {
            methods = Self.methods
        } else if let known = Self.methods.first(where: { Array($0.utf8) == Array(parts[0]) }) {
            methods = [known]
        } else {
            return .failure(RuleError("route \"\(text)\": method must be one of \(Self.methods.joined(separator: ", ")) or ANY"))
        }
        guard path.first == UInt8(ascii: "/") else { return .failure(RuleError("route \"\(text)\": the path must start with /")) }
        var isPrefix = false
        if path.last == UInt8(ascii: "*") {
            isPrefix = true
            path.removeLast()
        }
        for byte in path {
            // `*` and `?` are IAM wildcards in a policy's Resource: only the trailing `*` may be one.
            // `%` and non-ASCII would compare differently from API Gateway's own path handling.
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "*"), byte != UInt8(ascii: "?"), byte != UInt8(ascii: "%"),
                byte != UInt8(ascii: "#")
            else {
                return .failure(RuleError("route \"\(text)\": the path may hold printable ASCII only, without %, ?, # or a * before its end"))
            }
        }
        guard RequestPath.isUnambiguous(path) else {
            return .failure(RuleError("route \"\(text)\": the path has an empty, . or .. segment"))
        }
        let tail = String(decoding: path.dropFirst(), as: UTF8.self) + (isPrefix ? "*" : "")
        let suffixes = methods.map { method in
            var escaped: [UInt8] = []
            AuthorizerAnswer.appendEscaped(method + "/" + tail, to: &escaped)
            return escaped
        }
        return .success(
            RoutePattern(
                methods: methods, methodBytes: methods.map { Array($0.utf8) }, isAnyMethod: isAny, path: path, isPrefix: isPrefix,
                escapedResourceSuffixes: suffixes))
    }

    func matches(method: ArraySlice<UInt8>, path requestPath: ArraySlice<UInt8>) -> Bool {
        // Performance: compared in place with memcmp (`prefix` would make a counted slice, and the
        // generic `elementsEqual` walks element by element).
        method.withUnsafeBufferPointer { method in
            requestPath.withUnsafeBufferPointer { requestPath in
                guard methodBytes.contains(where: { $0.withUnsafeBufferPointer { ExactBytes.equal($0, method) } }) else { return false }
                return path.withUnsafeBufferPointer { path in
                    isPrefix
                        ? requestPath.count >= path.count && ExactBytes.equal(UnsafeBufferPointer(rebasing: requestPath[..<path.count]), path)
                        : ExactBytes.equal(requestPath, path)
                }
            }
        }
    }

    /// Whether some request matches both routes.
    func overlaps(_ other: RoutePattern) -> Bool {
        guard methods.contains(where: { method in other.methods.contains(method) }) else { return false }
        switch (isPrefix, other.isPrefix) {
        case (false, false): return path == other.path
        case (true, false): return other.path.starts(with: path)
        case (false, true): return path.starts(with: other.path)
        case (true, true): return path.starts(with: other.path) || other.path.starts(with: path)
        }
    }

    /// The IAM `Resource` patterns of this route under `base` (`arn:…:apiId/stage/`): one per
    /// method, the path without its leading `/` (as API Gateway writes method ARNs).
    func resources(base: String) -> [String] {
        let tail = String(decoding: path.dropFirst(), as: UTF8.self) + (isPrefix ? "*" : "")
        return methods.map { base + $0 + "/" + tail }
    }
}

/// One problem with `AUTHORIZER_RULES` (or another authorizer setting), as one clear line.
struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
