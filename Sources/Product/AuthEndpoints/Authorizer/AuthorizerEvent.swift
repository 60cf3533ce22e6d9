import JSONValue

/// An API Gateway Lambda authorizer event, read strictly in one streaming pass: only the fields a
/// decision needs are kept, repeated member names anywhere are refused (`JSONReader`), and a field
/// of the wrong type makes the event unreadable.
///
/// Performance: the fields are the decoded UTF-8 of their JSON strings, as slices of the event's
/// bytes when nothing was escaped (no copy, no `String`: the Authorization value alone is a
/// kilobyte, and the token in it goes to the verifier as bytes).
struct AuthorizerEvent: Sendable {
    enum Family: Sendable, Equatable {
        /// HTTP API, payload format 2.0 (`version` "2.0", `routeArn`).
        case httpV2
        /// HTTP API, payload format 1.0 (`version` "1.0", `methodArn`).
        case httpV1
        /// REST API REQUEST authorizer (`methodArn`, no `version`).
        case restRequest
        /// REST API TOKEN authorizer (`authorizationToken`, `methodArn`).
        case restToken
    }

    var family: Family
    /// `routeArn` (2.0) or `methodArn`.
    var arn: ArraySlice<UInt8>
    /// 2.0: `requestContext.http.method` and `rawPath`; else nil (the ARN's are used).
    var method: ArraySlice<UInt8>?
    var rawPath: ArraySlice<UInt8>?
    /// Every value of every header named Authorization in any case (headers and
    /// multiValueHeaders merged as API Gateway fills them: a value in both counts once).
    var authorization: [ArraySlice<UInt8>]
    /// TOKEN: `authorizationToken`.
    var authorizationToken: ArraySlice<UInt8>?

    /// Why the event cannot be decided on. Never quotes a value of the event.
    struct Unreadable: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static func read(_ payload: [UInt8]) throws(Unreadable) -> AuthorizerEvent {
        var fields = Fields(payload: payload)
        do {
            try JSONValue.read(payload) { (json) throws(JSONParseError) in
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    try fields.topLevel(name, &json)
                })
            }
        } catch {
            throw Unreadable(description: "not a JSON object without repeated members (\(error.reason))")
        }
        if let problem = fields.problem { throw Unreadable(description: problem) }
        return try fields.event()
    }

    private struct Fields {
        /// The bytes being read: the fields are slices of it.
        let payload: [UInt8]
        var type: ArraySlice<UInt8>?
        var version: ArraySlice<UInt8>?
        var methodArn: ArraySlice<UInt8>?
        var routeArn: ArraySlice<UInt8>?
        var authorizationToken: ArraySlice<UInt8>?
        var rawPath: ArraySlice<UInt8>?
        var httpMethod: ArraySlice<UInt8>?
        var singleAuthorization: [ArraySlice<UInt8>] = []
        var multiAuthorization: [ArraySlice<UInt8>] = []
        var problem: String?

        mutating func topLevel(_ name: UnsafeBufferPointer<UInt8>, _ json: inout JSONReader) throws(JSONParseError) {
            // Member names and the values that pick the event's family compare as bytes: Swift's
            // `==` would take "TO\u{212A}EN" (KELVIN SIGN) for "TOKEN".
            switch Name.name(name) {
            case .type: type = try string("type", &json)
            case .version: version = try string("version", &json)
            case .methodArn: methodArn = try string("methodArn", &json)
            case .routeArn: routeArn = try string("routeArn", &json)
            case .authorizationToken: authorizationToken = try string("authorizationToken", &json)
            case .rawPath: rawPath = try string("rawPath", &json)
            case .headers:
                guard try json.kind() != .null else { return try json.skip() }
                guard try json.kind() == .object else { return mark("headers is not an object", &json) }
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    guard isAuthorization(name) else { return try json.skip() }
                    guard try json.kind() == .string else { return mark("a header value is not a string", &json) }
                    singleAuthorization.append(try json.stringContent().bytes(in: payload))
                })
            case .multiValueHeaders:
                guard try json.kind() != .null else { return try json.skip() }
                guard try json.kind() == .object else { return mark("multiValueHeaders is not an object", &json) }
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    guard isAuthorization(name) else { return try json.skip() }
                    guard try json.kind() == .array else { return mark("a multiValueHeaders value is not an array", &json) }
                    try json.array { (_, json) throws(JSONParseError) in
                        guard try json.kind() == .string else { return mark("a header value is not a string", &json) }
                        multiAuthorization.append(try json.stringContent().bytes(in: payload))
                    }
                })
            case .requestContext:
                guard try json.kind() == .object else { return try json.skip() }
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    guard ByteText.equal(name, "http"), try json.kind() == .object else { return try json.skip() }
                    try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                        guard ByteText.equal(name, "method") else { return try json.skip() }
                        httpMethod = try string("requestContext.http.method", &json)
                    })
                })
            case nil:
                try json.skip()
            }
        }

        mutating func string(_ key: String, _ json: inout JSONReader) throws(JSONParseError) -> ArraySlice<UInt8>? {
            switch try json.kind() {
            case .string: return try json.stringContent().bytes(in: payload)
            case .null:
                try json.skip()
                return nil
            default:
                mark("\(key) is not a string", &json)
                return nil
            }
        }

        mutating func mark(_ why: String, _ json: inout JSONReader) {
            if problem == nil { problem = why }
            // The value is skipped by JSONReader (the callback did not read it).
        }

        /// ASCII case-insensitive, as HTTP header names are (RFC 9110 §5.1).
        func isAuthorization(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
            ByteText.equalIgnoringASCIICase(name, "authorization")
        }

        func event() throws(Unreadable) -> AuthorizerEvent {
            // Merged as LambdaKit merges REST headers: every multi value, then each single value
            // only when it is not among them (API Gateway repeats the last value in `headers`).
            var authorization = multiAuthorization
            if authorization.isEmpty {
                authorization = singleAuthorization  // HTTP API events have no multiValueHeaders
            } else {
                // Two spellings of the name in `headers` are two headers, even with one value.
                for value in singleAuthorization where !multiAuthorization.contains(where: { $0 == value }) {
                    authorization.append(value)
                }
            }
            let isToken = type.map { ByteText.equal($0, "TOKEN") } ?? false
            let isRequest = type.map { ByteText.equal($0, "REQUEST") } ?? false
            if isToken, version == nil {
                guard let methodArn, let authorizationToken else {
                    throw Unreadable(description: "TOKEN event without methodArn or authorizationToken")
                }
                return AuthorizerEvent(
                    family: .restToken, arn: methodArn, method: nil, rawPath: nil, authorization: [], authorizationToken: authorizationToken)
            }
            if isRequest, let version, ByteText.equal(version, "2.0") {
                guard let routeArn, let httpMethod, let rawPath else {
                    throw Unreadable(description: "2.0 REQUEST event without routeArn, rawPath or requestContext.http.method")
                }
                return AuthorizerEvent(
                    family: .httpV2, arn: routeArn, method: httpMethod, rawPath: rawPath,
                    authorization: authorization, authorizationToken: nil)
            }
            if isRequest {
                let isV1 = version.map { ByteText.equal($0, "1.0") } ?? false
                guard version == nil || isV1, let methodArn else {
                    throw Unreadable(description: "REQUEST event without methodArn, or of an unknown version")
                }
                return AuthorizerEvent(
                    family: isV1 ? .httpV1 : .restRequest, arn: methodArn, method: nil, rawPath: nil,
                    authorization: authorization, authorizationToken: nil)
            }
            throw Unreadable(description: "not an API Gateway Lambda authorizer event (type TOKEN or REQUEST)")
        }
    }

    /// The top-level members the reader keeps, recognised by their exact bytes.
    private enum Name {
        case type, version, methodArn, routeArn, authorizationToken, rawPath, headers, multiValueHeaders, requestContext

        /// Performance: picked by length, then compared as bytes (no `String` per member).
        static func name(_ bytes: UnsafeBufferPointer<UInt8>) -> Name? {
            switch bytes.count {
            case 4: return ByteText.equal(bytes, "type") ? .type : nil
            case 7:
                if ByteText.equal(bytes, "version") { return .version }
                if ByteText.equal(bytes, "rawPath") { return .rawPath }
                return ByteText.equal(bytes, "headers") ? .headers : nil
            case 8: return ByteText.equal(bytes, "routeArn") ? .routeArn : nil
            case 9: return ByteText.equal(bytes, "methodArn") ? .methodArn : nil
            case 14: return ByteText.equal(bytes, "requestContext") ? .requestContext : nil
            case 17: return ByteText.equal(bytes, "multiValueHeaders") ? .multiValueHeaders : nil
            case 18: return ByteText.equal(bytes, "authorizationToken") ? .authorizationToken : nil
            default: return nil
            }
        }
    }
}
