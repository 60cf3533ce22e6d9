import JSONValue

/// Every field any of the four HTTP event shapes (or an authorizer event) may carry, all optional:
/// one parsing pass (`JSONValue.parse`), then `LambdaEventDecoder` decides what the event is.
/// Field types are strict (a present, non-null field of the wrong type is `.malformed` with its
/// path), except in the string maps, which are lenient (see `LenientStringMap`).
struct RawEvent {
    var version: String?
    var type: String?
    var methodArn: String?
    var routeArn: String?
    var resource: String?
    var path: String?
    var httpMethod: String?
    var rawPath: String?
    var rawQueryString: String?
    var routeKey: String?
    var headers: LenientStringMap?
    var multiValueHeaders: LenientMultiMap?
    var queryStringParameters: LenientStringMap?
    var multiValueQueryStringParameters: LenientMultiMap?
    var pathParameters: LenientStringMap?
    var cookies: [String]?
    var body: String?
    var isBase64Encoded: Bool?
    var requestContext: RawRequestContext?

    init(_ members: [String: JSONValue]) throws(LambdaEventError) {
        var fields = FieldReader(members: members, path: "")
        version = try fields.string("version")
        type = try fields.string("type")
        methodArn = try fields.string("methodArn")
        routeArn = try fields.string("routeArn")
        resource = try fields.string("resource")
        path = try fields.string("path")
        httpMethod = try fields.string("httpMethod")
        rawPath = try fields.string("rawPath")
        rawQueryString = try fields.string("rawQueryString")
        routeKey = try fields.string("routeKey")
        headers = try fields.object("headers").map { (members) throws(LambdaEventError) in
            try LenientStringMap(members, path: "headers")
        }
        multiValueHeaders = try fields.object("multiValueHeaders").map { (members) throws(LambdaEventError) in
            try LenientMultiMap(members, path: "multiValueHeaders")
        }
        queryStringParameters = try fields.object("queryStringParameters").map { (members) throws(LambdaEventError) in
            try LenientStringMap(members, path: "queryStringParameters")
        }
        multiValueQueryStringParameters = try fields.object("multiValueQueryStringParameters").map {
            (members) throws(LambdaEventError) in try LenientMultiMap(members, path: "multiValueQueryStringParameters")
        }
        pathParameters = try fields.object("pathParameters").map { (members) throws(LambdaEventError) in
            try LenientStringMap(members, path: "pathParameters")
        }
        cookies = try fields.stringArray("cookies")
        body = try fields.string("body")
        isBase64Encoded = try fields.bool("isBase64Encoded")
        requestContext = try fields.object("requestContext").map { (members) throws(LambdaEventError) in
            try RawRequestContext(members)
        }
    }

    struct RawRequestContext {
        var requestId: String?
        var stage: String?
        var domainName: String?
        var apiId: String?
        var accountId: String?
        var routeKey: String?
        var resourcePath: String?
        var http: HTTPInfo?
        var identity: Identity?
        var elb: ELB?
        var authorizer: JSONValue?

        init(_ members: [String: JSONValue]) throws(LambdaEventError) {
            var fields = FieldReader(members: members, path: "requestContext")
            requestId = try fields.string("requestId")
            stage = try fields.string("stage")
            domainName = try fields.string("domainName")
            apiId = try fields.string("apiId")
            accountId = try fields.string("accountId")
            routeKey = try fields.string("routeKey")
            resourcePath = try fields.string("resourcePath")
            http = try fields.object("http").map { (members) throws(LambdaEventError) in
                var fields = FieldReader(members: members, path: "requestContext.http")
                return HTTPInfo(
                    method: try fields.string("method"), path: try fields.string("path"),
                    sourceIp: try fields.string("sourceIp")
                )
            }
            identity = try fields.object("identity").map { (members) throws(LambdaEventError) in
                var fields = FieldReader(members: members, path: "requestContext.identity")
                return Identity(sourceIp: try fields.string("sourceIp"))
            }
            elb = try fields.object("elb").map { (members) throws(LambdaEventError) in
                var fields = FieldReader(members: members, path: "requestContext.elb")
                return ELB(targetGroupArn: try fields.string("targetGroupArn"))
            }
            if let authorizer = members["authorizer"], authorizer != .null { self.authorizer = authorizer }
        }
    }

    struct HTTPInfo {
        var method: String?
        var path: String?
        var sourceIp: String?
    }

    struct Identity {
        var sourceIp: String?
    }

    struct ELB {
        var targetGroupArn: String?
    }
}

/// Reads optional typed fields of one JSON object; `null` or absent is `nil`.
struct FieldReader {
    let members: [String: JSONValue]
    let path: String

    func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    func mismatch(_ key: String) -> LambdaEventError {
        .malformed("unexpected type at \(fieldPath(key))")
    }

    mutating func string(_ key: String) throws(LambdaEventError) -> String? {
        switch members[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw mismatch(key)
        }
    }

    mutating func bool(_ key: String) throws(LambdaEventError) -> Bool? {
        switch members[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw mismatch(key)
        }
    }

    /// Nested readers get their path as a literal from the caller: building it here would allocate
    /// on every invocation for a string only an error message needs.
    mutating func object(_ key: String) throws(LambdaEventError) -> [String: JSONValue]? {
        switch members[key] {
        case nil, .null?: return nil
        case .object(let members)?: return members
        default: throw mismatch(key)
        }
    }

    mutating func stringArray(_ key: String) throws(LambdaEventError) -> [String]? {
        switch members[key] {
        case nil, .null?: return nil
        case .array(let values)?:
            var strings: [String] = []
            strings.reserveCapacity(values.count)
            for (position, value) in values.enumerated() {
                guard case .string(let text) = value else {
                    throw .malformed("unexpected type at \(fieldPath(key)).[\(position)]")
                }
                strings.append(text)
            }
            return strings
        default: throw mismatch(key)
        }
    }
}

/// A JSON object of strings where `null` values are skipped and numbers/booleans are read as
/// their text (hand-written events do that). Entries are sorted by name: JSON objects are unordered
/// and the result must not depend on hashing order.
struct LenientStringMap {
    var entries: [(String, String)]

    init(_ members: [String: JSONValue], path: String) throws(LambdaEventError) {
        var entries: [(String, String)] = []
        entries.reserveCapacity(members.count)
        for (key, value) in members {
            if let text = try lenientString(value, path: "\(path).\(key)") { entries.append((key, text)) }
        }
        self.entries = entries.sorted { $0.0 < $1.0 }
    }
}

/// A JSON object of string arrays (`multiValueHeaders`, `multiValueQueryStringParameters`).
struct LenientMultiMap {
    var entries: [(String, [String])]

    init(_ members: [String: JSONValue], path: String) throws(LambdaEventError) {
        var entries: [(String, [String])] = []
        entries.reserveCapacity(members.count)
        for (key, value) in members {
            switch value {
            case .null: continue
            case .array(let elements):
                var values: [String] = []
                values.reserveCapacity(elements.count)
                for (position, element) in elements.enumerated() {
                    if let text = try lenientString(element, path: "\(path).\(key).[\(position)]") { values.append(text) }
                }
                entries.append((key, values))
            default:
                throw .malformed("unexpected type at \(path).\(key)")
            }
        }
        self.entries = entries.sorted { $0.0 < $1.0 }
    }
}

/// `null` → nil; strings as they are; numbers and booleans as their text; anything else is malformed.
func lenientString(_ value: JSONValue, path: @autoclosure () -> String) throws(LambdaEventError) -> String? {
    switch value {
    case .null: return nil
    case .string(let text): return text
    case .int(let number): return String(number)
    case .bool(let flag): return flag ? "true" : "false"
    case .double(let number): return String(number)
    case .array, .object: throw .malformed("unexpected type at \(path())")
    }
}
