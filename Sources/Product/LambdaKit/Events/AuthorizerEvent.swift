import JSONValue

/// An API Gateway Lambda authorizer event, read strictly in one streaming pass: only the fields a
/// decision needs are kept, repeated member names anywhere are refused (`JSONReader`), and a field
/// of the wrong type makes the event unreadable. LambdaKit owns the wire shape; AuthEndpoints'
/// `AuthorizerEndpoint` decides on it.
///
/// Performance: the fields are where the decoded UTF-8 of their JSON strings is: a range of the
/// event's bytes when nothing was escaped (no copy, no `String`, no reference count: the
/// Authorization value alone is a kilobyte, and the token in it goes to the verifier as bytes).
public struct AuthorizerEvent: Sendable {
    public typealias Text = JSONReader.StringContent

    public enum Family: Sendable, Equatable {
        /// HTTP API, payload format 2.0 (`version` "2.0", `routeArn`).
        case httpV2
        /// HTTP API, payload format 1.0 (`version` "1.0", `methodArn`).
        case httpV1
        /// REST API REQUEST authorizer (`methodArn`, no `version`).
        case restRequest
        /// REST API TOKEN authorizer (`authorizationToken`, `methodArn`).
        case restToken
    }

    public let family: Family
    /// The event as received: the fields below are in it.
    public let payload: [UInt8]
    /// `routeArn` (2.0) or `methodArn`.
    public let arn: Text
    /// 2.0: `requestContext.http.method` and `rawPath`; else nil (the ARN's are used).
    public let method: Text?
    public let rawPath: Text?
    /// 2.0: `requestContext.stage` (`$default`, or a named stage that `rawPath` starts with).
    public let stage: Text?
    /// Every value of every header named Authorization in any case (`headers` and
    /// `multiValueHeaders` merged by `HeaderMerge`, the rule `LambdaEventDecoder` uses too).
    public let authorization: [Text]
    /// TOKEN: `authorizationToken`.
    public let authorizationToken: Text?

    /// A field's bytes (a slice of `payload`, or of the field's decoded copy).
    @inlinable
    public func bytes(_ text: Text) -> ArraySlice<UInt8> {
        text.bytes(in: payload)
    }

    /// A field's bytes for the duration of `body`, without a slice.
    @inlinable
    public func withBytes<R>(_ text: Text, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        text.withBytes(in: payload, body)
    }

    /// Why the event cannot be decided on. Never quotes a value of the event.
    public struct Unreadable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ payload: [UInt8]) throws(Unreadable) -> AuthorizerEvent {
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
        /// The bytes being read: the fields are in it.
        let payload: [UInt8]
        var type: Text?
        var version: Text?
        var methodArn: Text?
        var routeArn: Text?
        var authorizationToken: Text?
        var rawPath: Text?
        var httpMethod: Text?
        var stage: Text?
        var singleAuthorization: [Text] = []
        var multiAuthorization: [Text] = []
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
                    singleAuthorization.append(try json.stringContent())
                })
            case .multiValueHeaders:
                guard try json.kind() != .null else { return try json.skip() }
                guard try json.kind() == .object else { return mark("multiValueHeaders is not an object", &json) }
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    guard isAuthorization(name) else { return try json.skip() }
                    guard try json.kind() == .array else { return mark("a multiValueHeaders value is not an array", &json) }
                    try json.array { (_, json) throws(JSONParseError) in
                        guard try json.kind() == .string else { return mark("a header value is not a string", &json) }
                        multiAuthorization.append(try json.stringContent())
                    }
                })
            case .requestContext:
                guard try json.kind() == .object else { return try json.skip() }
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    if ExactBytes.equal(name, literal: "stage") {
                        stage = try string("requestContext.stage", &json)
                        return
                    }
                    guard ExactBytes.equal(name, literal: "http"), try json.kind() == .object else { return try json.skip() }
                    try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                        guard ExactBytes.equal(name, literal: "method") else { return try json.skip() }
                        httpMethod = try string("requestContext.http.method", &json)
                    })
                })
            case nil:
                try json.skip()
            }
        }

        mutating func string(_ key: String, _ json: inout JSONReader) throws(JSONParseError) -> Text? {
            switch try json.kind() {
            case .string: return try json.stringContent()
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

        func equal(_ text: Text, _ literal: StaticString) -> Bool {
            text.withBytes(in: payload) { ExactBytes.equal($0, literal: literal) }
        }

        /// ASCII case-insensitive, as HTTP header names are (RFC 9110 §5.1).
        func isAuthorization(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
            ExactBytes.equalIgnoringASCIICase(name, lowercase: "authorization")
        }

        func event() throws(Unreadable) -> AuthorizerEvent {
            let authorization = HeaderMerge.values(multi: multiAuthorization, single: singleAuthorization) {
                $0.bytes(in: payload) == $1.bytes(in: payload)
            }
            let isToken = type.map { equal($0, "TOKEN") } ?? false
            let isRequest = type.map { equal($0, "REQUEST") } ?? false
            if isToken, version == nil {
                guard let methodArn, let authorizationToken else {
                    throw Unreadable(description: "TOKEN event without methodArn or authorizationToken")
                }
                return AuthorizerEvent(
                    family: .restToken, payload: payload, arn: methodArn, method: nil, rawPath: nil, stage: nil, authorization: [], authorizationToken: authorizationToken)
            }
            if isRequest, let version, equal(version, "2.0") {
                guard let routeArn, let httpMethod, let rawPath else {
                    throw Unreadable(description: "2.0 REQUEST event without routeArn, rawPath or requestContext.http.method")
                }
                return AuthorizerEvent(
                    family: .httpV2, payload: payload, arn: routeArn, method: httpMethod, rawPath: rawPath, stage: stage,
                    authorization: authorization, authorizationToken: nil)
            }
            if isRequest {
                let isV1 = version.map { equal($0, "1.0") } ?? false
                guard version == nil || isV1, let methodArn else {
                    throw Unreadable(description: "REQUEST event without methodArn, or of an unknown version")
                }
                return AuthorizerEvent(
                    family: isV1 ? .httpV1 : .restRequest, payload: payload, arn: methodArn, method: nil, rawPath: nil, stage: nil,
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
            case 4: return ExactBytes.equal(bytes, literal: "type") ? .type : nil
            case 7:
                if ExactBytes.equal(bytes, literal: "version") { return .version }
                if ExactBytes.equal(bytes, literal: "rawPath") { return .rawPath }
                return ExactBytes.equal(bytes, literal: "headers") ? .headers : nil
            case 8: return ExactBytes.equal(bytes, literal: "routeArn") ? .routeArn : nil
            case 9: return ExactBytes.equal(bytes, literal: "methodArn") ? .methodArn : nil
            case 14: return ExactBytes.equal(bytes, literal: "requestContext") ? .requestContext : nil
            case 17: return ExactBytes.equal(bytes, literal: "multiValueHeaders") ? .multiValueHeaders : nil
            case 18: return ExactBytes.equal(bytes, literal: "authorizationToken") ? .authorizationToken : nil
            default: return nil
            }
        }
    }
}
