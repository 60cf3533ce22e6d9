import JSONValue

/// Every field any of the four HTTP event shapes (or an authorizer event) may carry, all optional:
/// one streaming pass over the payload (`JSONValue.read`, no intermediate tree), then
/// `LambdaEventDecoder` decides what the event is. Field types are strict (a present, non-null
/// field of the wrong type is `.malformed` with its path), except in the string maps, which are
/// lenient (see `LenientStringMap`). A repeated member name keeps its last value.
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

    /// Invalid JSON anywhere → `.notJSON` (checked to the end even after a type problem); a
    /// non-object → `.notAnHTTPEvent`; else the first field of the wrong type → `.malformed`.
    static func read(_ payload: [UInt8]) throws(LambdaEventError) -> RawEvent {
        var reader = EventFieldReader()
        var event = RawEvent()
        var isObject = true
        do {
            try JSONValue.read(payload) { (json) throws(JSONParseError) in
                guard try json.kind() == .object else {
                    isObject = false
                    return
                }
                try json.object { (key, json) throws(JSONParseError) in
                    try reader.topLevel(key, &json, into: &event)
                }
            }
        } catch {
            throw .notJSON
        }
        guard isObject else { throw .notAnHTTPEvent("the event is not a JSON object") }
        if let problem = reader.problem { throw problem }
        return event
    }
}

/// Reads typed fields; a type problem is recorded (the first one wins) and the value skipped, so
/// the rest of the document is still checked for syntax.
struct EventFieldReader {
    var problem: LambdaEventError?

    mutating func mismatch(_ path: @autoclosure () -> String, _ json: inout JSONReader) throws(JSONParseError) {
        if problem == nil { problem = .malformed("unexpected type at \(path())") }
        try json.skip()
    }

    mutating func topLevel(_ key: String, _ json: inout JSONReader, into event: inout RawEvent) throws(JSONParseError) {
        switch key {
        case "version": event.version = try string(&json, key)
        case "type": event.type = try string(&json, key)
        case "methodArn": event.methodArn = try string(&json, key)
        case "routeArn": event.routeArn = try string(&json, key)
        case "resource": event.resource = try string(&json, key)
        case "path": event.path = try string(&json, key)
        case "httpMethod": event.httpMethod = try string(&json, key)
        case "rawPath": event.rawPath = try string(&json, key)
        case "rawQueryString": event.rawQueryString = try string(&json, key)
        case "routeKey": event.routeKey = try string(&json, key)
        case "body": event.body = try string(&json, key)
        case "isBase64Encoded":
            switch try json.kind() {
            case .null: try json.skip(); event.isBase64Encoded = nil
            case .bool: event.isBase64Encoded = try json.value().boolValue
            default: try mismatch(key, &json); event.isBase64Encoded = nil
            }
        case "headers": event.headers = try stringMap(&json, key)
        case "queryStringParameters": event.queryStringParameters = try stringMap(&json, key)
        case "pathParameters": event.pathParameters = try stringMap(&json, key)
        case "multiValueHeaders": event.multiValueHeaders = try multiMap(&json, key)
        case "multiValueQueryStringParameters": event.multiValueQueryStringParameters = try multiMap(&json, key)
        case "cookies": event.cookies = try stringArray(&json, key)
        case "requestContext": event.requestContext = try requestContext(&json)
        default: try json.skip()
        }
    }

    /// `path` is a literal or a short composition: only an error message needs it.
    mutating func string(_ json: inout JSONReader, _ path: @autoclosure () -> String) throws(JSONParseError) -> String? {
        switch try json.kind() {
        case .string: return try json.string()
        case .null: try json.skip(); return nil
        default: try mismatch(path(), &json); return nil
        }
    }

    mutating func stringArray(_ json: inout JSONReader, _ key: String) throws(JSONParseError) -> [String]? {
        switch try json.kind() {
        case .null: try json.skip(); return nil
        case .array:
            var strings: [String] = []
            try json.array { (position, json) throws(JSONParseError) in
                if try json.kind() == .string {
                    strings.append(try json.string())
                } else {
                    try mismatch("\(key).[\(position)]", &json)
                }
            }
            return strings
        default: try mismatch(key, &json); return nil
        }
    }

    mutating func stringMap(_ json: inout JSONReader, _ key: String) throws(JSONParseError) -> LenientStringMap? {
        switch try json.kind() {
        case .null: try json.skip(); return nil
        case .object:
            var entries: [(String, String?)] = []
            entries.reserveCapacity(16)
            try json.object { (name, json) throws(JSONParseError) in
                entries.append((name, try lenientString(&json, "\(key).\(name)")))
            }
            return LenientStringMap(entries: lastValues(entries).compactMap { name, value in value.map { (name, $0) } })
        default: try mismatch(key, &json); return nil
        }
    }

    mutating func multiMap(_ json: inout JSONReader, _ key: String) throws(JSONParseError) -> LenientMultiMap? {
        switch try json.kind() {
        case .null: try json.skip(); return nil
        case .object:
            var entries: [(String, [String]?)] = []
            try json.object { (name, json) throws(JSONParseError) in
                switch try json.kind() {
                case .null:
                    try json.skip()
                    entries.append((name, nil))
                case .array:
                    var values: [String] = []
                    try json.array { (position, json) throws(JSONParseError) in
                        if let text = try lenientString(&json, "\(key).\(name).[\(position)]") { values.append(text) }
                    }
                    entries.append((name, values))
                default:
                    try mismatch("\(key).\(name)", &json)
                }
            }
            return LenientMultiMap(entries: lastValues(entries).compactMap { name, value in value.map { (name, $0) } })
        default: try mismatch(key, &json); return nil
        }
    }

    /// `null` → nil; strings as they are; numbers and booleans as their text; anything else is malformed.
    mutating func lenientString(_ json: inout JSONReader, _ path: @autoclosure () -> String) throws(JSONParseError) -> String? {
        switch try json.kind() {
        case .string: return try json.string()
        case .null: try json.skip(); return nil
        case .number, .bool:
            switch try json.value() {
            case .int(let number): return String(number)
            case .double(let number): return String(number)
            case .bool(let flag): return flag ? "true" : "false"
            default: return nil
            }
        case .array, .object:
            try mismatch(path(), &json)
            return nil
        }
    }

    mutating func requestContext(_ json: inout JSONReader) throws(JSONParseError) -> RawEvent.RawRequestContext? {
        switch try json.kind() {
        case .null: try json.skip(); return nil
        case .object: break
        default: try mismatch("requestContext", &json); return nil
        }
        var context = RawEvent.RawRequestContext()
        try json.object { (key, json) throws(JSONParseError) in
            switch key {
            case "requestId": context.requestId = try string(&json, "requestContext.requestId")
            case "stage": context.stage = try string(&json, "requestContext.stage")
            case "domainName": context.domainName = try string(&json, "requestContext.domainName")
            case "apiId": context.apiId = try string(&json, "requestContext.apiId")
            case "accountId": context.accountId = try string(&json, "requestContext.accountId")
            case "routeKey": context.routeKey = try string(&json, "requestContext.routeKey")
            case "resourcePath": context.resourcePath = try string(&json, "requestContext.resourcePath")
            case "authorizer":
                let value = try json.value()
                context.authorizer = value == .null ? nil : value
            case "http":
                context.http = nil
                guard try nestedObject(&json, "requestContext.http") else { return }
                var http = RawEvent.HTTPInfo()
                try json.object { (key, json) throws(JSONParseError) in
                    switch key {
                    case "method": http.method = try string(&json, "requestContext.http.method")
                    case "path": http.path = try string(&json, "requestContext.http.path")
                    case "sourceIp": http.sourceIp = try string(&json, "requestContext.http.sourceIp")
                    default: try json.skip()
                    }
                }
                context.http = http
            case "identity":
                context.identity = nil
                guard try nestedObject(&json, "requestContext.identity") else { return }
                var identity = RawEvent.Identity()
                try json.object { (key, json) throws(JSONParseError) in
                    if key == "sourceIp" {
                        identity.sourceIp = try string(&json, "requestContext.identity.sourceIp")
                    } else {
                        try json.skip()
                    }
                }
                context.identity = identity
            case "elb":
                context.elb = nil
                guard try nestedObject(&json, "requestContext.elb") else { return }
                var elb = RawEvent.ELB()
                try json.object { (key, json) throws(JSONParseError) in
                    if key == "targetGroupArn" {
                        elb.targetGroupArn = try string(&json, "requestContext.elb.targetGroupArn")
                    } else {
                        try json.skip()
                    }
                }
                context.elb = elb
            default:
                try json.skip()
            }
        }
        return context
    }

    /// True when an object follows; `null` is consumed, another type recorded and skipped.
    private mutating func nestedObject(_ json: inout JSONReader, _ path: String) throws(JSONParseError) -> Bool {
        switch try json.kind() {
        case .object: return true
        case .null: try json.skip(); return false
        default: try mismatch(path, &json); return false
        }
    }
}

/// Sorted by name, one entry per name holding the last value given for it (JSON objects are
/// unordered; the result must not depend on member order beyond "last wins").
private func lastValues<Value>(_ entries: [(String, Value)]) -> [(String, Value)] {
    // The sort is stable, so among equal names the last one in the document stays last.
    let sorted = entries.sorted { $0.0 < $1.0 }
    var result: [(String, Value)] = []
    result.reserveCapacity(sorted.count)
    for entry in sorted {
        if let last = result.last, last.0 == entry.0 {
            result[result.count - 1] = entry
        } else {
            result.append(entry)
        }
    }
    return result
}

/// A JSON object of strings where `null` values are skipped and numbers/booleans are read as
/// their text (hand-written events do that). Entries are sorted by name.
struct LenientStringMap {
    var entries: [(String, String)]
}

/// A JSON object of string arrays (`multiValueHeaders`, `multiValueQueryStringParameters`).
struct LenientMultiMap {
    var entries: [(String, [String])]
}
