import JSONValue

/// The `route` of an authorizer rule: `METHOD /path`, the method one of API Gateway's or `ANY`, the
/// path literal except for an optional trailing `*` that matches the rest of the path.
///
/// Two ways of matching a request, because **a Deny may over-match, an Allow may not**:
/// - `admits(method:path:)`, the Allow side: exact bytes (a look-alike spelling is another route,
///   as it is for API Gateway), `HEAD` counts as `GET` (servers answer `HEAD` with the `GET`
///   handler), a method outside `methods` counts only for `ANY`, and `/x` also covers `/x/` (REST
///   APIs route both to one resource, and the frameworks behind a proxy integration treat them alike).
/// - `covers(method:path:)`, the Deny side: also ASCII case-insensitive in method and path (a
///   backend behind a greedy `{proxy+}` or `$default` route may route `/ADMIN` or `get` like
///   `/admin` and `GET`), `/x/*` also covers `/x`, and an `ANY` rule's path anywhere in the request
///   path, as its IAM Deny `*/x/*` does (IAM's `*` also matches `/`).
struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    /// API Gateway's methods. `ANY` stands for all of them (and any other method a request carries).
    static let methods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    /// `MethodSet` bit for a method outside `methods` (`PROPFIND`, or `get` read exactly).
    static let otherMethodBit: UInt8 = 1 << 7
    static let getBit: UInt8 = 1 << 1
    static let headBit: UInt8 = 1 << 2

    /// The methods written in the rule (all of `methods` for `ANY`).
    var methods: [String]
    /// Bits of `methods` by index in `RoutePattern.methods`; `ANY` has every bit, `otherMethodBit` included.
    var methodBits: UInt8
    var isAnyMethod: Bool
    /// The path without the trailing `*`, starting with `/`.
    var path: [UInt8]
    /// `path` with ASCII letters lowered, for `covers`.
    var foldedPath: [UInt8]
    var isPrefix: Bool
    /// The rule's IAM resources after the ARN base, as the inside of JSON strings, computed once from
    /// the configuration: what an Allow of this route writes (`allowResources` without the base) and
    /// what a Deny writes (`denyResources`).
    var escapedAllowSuffixes: [[UInt8]]
    var escapedDenySuffixes: [[UInt8]]

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
            // API Gateway's route syntax would start and then match nothing, since rules compare
            // request paths literally: refused with what to write instead (issue 24, item 3).
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "$") {
                return .failure(RuleError(
                    "route \"\(text)\": rules match request paths literally, not API Gateway route syntax ({id}, {proxy+}, ${…}); write a literal path, or a prefix ending in * (e.g. \"DELETE /users/*\" for \"DELETE /users/{id}\", \"ANY /admin/*\" for \"ANY /admin/{proxy+}\")"))
            }
            // Only what a request path carries literally and reads the same to every component:
            // RFC 3986 path characters without `%` (escapes), `;` (path parameters, `..;`), `*`
            // and `?` (IAM wildcards in a policy's Resource; only the trailing `*` may be one).
            guard Self.isLiteralPathByte(byte) else {
                return .failure(RuleError(
                    "route \"\(text)\": the path may hold letters, digits, / and - . _ ~ ! & ' ( ) + , = : @ only (no %, ;, ?, #, \\, spaces or a * before its end)"))
            }
        }
        guard RequestPath.isUnambiguous(path) else {
            return .failure(RuleError("route \"\(text)\": the path has an empty segment, or a segment ending in . (., .., x.)"))
        }
        if !isPrefix, path.count > 1, path.last == UInt8(ascii: "/") {
            // `/x` already covers `/x/`; a rule written `/x/` would read as if `/x` were not covered.
            return .failure(RuleError("route \"\(text)\": write the path without its trailing / (\"\(parts[0]) \(String(decoding: path.dropLast(), as: UTF8.self))\" covers both)"))
        }
        var bits: UInt8 = isAny ? 0xFF : 0
        if !isAny, let index = Self.methods.firstIndex(of: methods[0]) { bits |= 1 << UInt8(index) }
        let pattern = RoutePattern(
            methods: methods, methodBits: bits, isAnyMethod: isAny, path: path, foldedPath: path.map(Self.lowered), isPrefix: isPrefix,
            escapedAllowSuffixes: [], escapedDenySuffixes: [])
        var result = pattern
        result.escapedAllowSuffixes = pattern.allowSuffixes().map(Self.escaped)
        result.escapedDenySuffixes = pattern.denySuffixes().map(Self.escaped)
        return .success(result)
    }

    static func isLiteralPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "/-._~!&'()+,=:@".utf8.contains(byte)
        }
    }

    @inline(__always)
    static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    private static func escaped(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONWriter.appendStringContents(text, to: &bytes)
        return bytes
    }

    /// The methods a policy writes for this rule: `HEAD` with `GET` (see `admits`).
    private var policyMethods: [String] {
        methods == ["GET"] ? ["GET", "HEAD"] : methods
    }

    /// What an Allow of this route covers after the ARN base: each method, the path without its
    /// leading `/` (as API Gateway writes method ARNs), and `/x/` with `/x`.
    func allowSuffixes() -> [String] {
        let tail = String(decoding: path.dropFirst(), as: UTF8.self)
        return policyMethods.flatMap { method -> [String] in
            if isPrefix { return [method + "/" + tail + "*"] }
            return path.count > 1 ? [method + "/" + tail, method + "/" + tail + "/"] : [method + "/" + tail]
        }
    }

    /// What a Deny of this route covers after the ARN base: the Allow's resources, `/x` with `/x/*`,
    /// and for `ANY` every method (`*/x…`: IAM cannot say "no `/`", so this also covers the path
    /// deeper in the request path, as `covers` does). IAM compares case-sensitively, so the case
    /// variants `covers` refuses are not in the cached policy (see the README).
    func denySuffixes() -> [String] {
        let tail = String(decoding: path.dropFirst(), as: UTF8.self)
        var suffixes = isAnyMethod ? [] : allowSuffixes()
        let methodParts = isAnyMethod ? ["*"] : policyMethods
        for method in methodParts {
            if isAnyMethod {
                if isPrefix {
                    suffixes.append(method + "/" + tail + "*")
                } else {
                    suffixes.append(method + "/" + tail)
                    if path.count > 1 { suffixes.append(method + "/" + tail + "/") }
                }
            }
            if isPrefix, path.count > 1, path.last == UInt8(ascii: "/") {
                suffixes.append(method + "/" + String(decoding: path.dropFirst().dropLast(), as: UTF8.self))
            }
        }
        return suffixes
    }

    /// The Allow side (see the type's comment); `method` is the request's `MethodSet.exact`.
    @inline(__always)
    func admits(method: UInt8, path requestPath: UnsafeBufferPointer<UInt8>) -> Bool {
        guard methodBits & method != 0 else { return false }
        return path.withUnsafeBufferPointer { path in
            if isPrefix {
                return requestPath.count >= path.count && ExactBytes.equal(UnsafeBufferPointer(rebasing: requestPath[..<path.count]), path)
            }
            if ExactBytes.equal(requestPath, path) { return true }
            return requestPath.count == path.count + 1 && requestPath.last == UInt8(ascii: "/")
                && ExactBytes.equal(UnsafeBufferPointer(rebasing: requestPath[..<path.count]), path)
        }
    }

    /// The Deny side (see the type's comment); `method` is the request's `MethodSet.folded`.
    func covers(method: UInt8, path requestPath: UnsafeBufferPointer<UInt8>) -> Bool {
        guard methodBits & method != 0 else { return false }
        return foldedPath.withUnsafeBufferPointer { path in
            if isAnyMethod {
                // Anywhere in the path, as `*/x/*`, `*/x` and `*/x/` do in IAM.
                for start in requestPath.indices where requestPath[start] == UInt8(ascii: "/") {
                    if Self.coversAt(start, requestPath, path, isPrefix: isPrefix) { return true }
                }
                return false
            }
            return Self.coversAt(0, requestPath, path, isPrefix: isPrefix)
        }
    }

    private static func coversAt(_ start: Int, _ request: UnsafeBufferPointer<UInt8>, _ path: UnsafeBufferPointer<UInt8>, isPrefix: Bool) -> Bool {
        let rest = request.count - start
        guard rest + 1 >= path.count else { return false }
        func foldedEqual(_ count: Int) -> Bool {
            for index in 0..<count where lowered(request[start + index]) != path[index] { return false }
            return true
        }
        if isPrefix {
            if rest >= path.count, foldedEqual(path.count) { return true }
            // `/x/*` covers `/x`.
            return path.count > 1 && path[path.count - 1] == UInt8(ascii: "/") && rest == path.count - 1 && foldedEqual(rest)
        }
        if rest == path.count { return foldedEqual(rest) }
        return rest == path.count + 1 && request[request.count - 1] == UInt8(ascii: "/") && foldedEqual(path.count)
    }

    /// Whether some request matches both routes (the Allow side).
    func overlaps(_ other: RoutePattern) -> Bool {
        guard methodBits & other.methodBits != 0 else { return false }
        switch (isPrefix, other.isPrefix) {
        case (false, false): return path == other.path
        case (true, false): return (other.path + [UInt8(ascii: "/")]).starts(with: path)
        case (false, true): return (path + [UInt8(ascii: "/")]).starts(with: other.path)
        case (true, true): return path.starts(with: other.path) || other.path.starts(with: path)
        }
    }
}

/// One problem with `AUTHORIZER_RULES` (or another authorizer setting), as one clear line.
struct RuleError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
