import JSONValue

/// The answers a Lambda authorizer gives API Gateway, as bytes: the wire shapes, not what goes in
/// them (the caller's decision).
///
/// - The simple response of an HTTP API (payload 2.0, simple responses on):
///   `{"isAuthorized":true|false,"context":{…}}`
///   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
/// - The IAM policy response (REST APIs, HTTP API 1.0 and 2.0 without simple responses):
///   `{"principalId":…,"policyDocument":{"Version":"2012-10-17","Statement":[{"Action":
///   "execute-api:Invoke","Effect":"Allow|Deny","Resource":[…]}]},"context":{…}}`
///   (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html).
///
/// `context` holds strings only: a REST API refuses an authorizer answer whose context has an
/// array or an object.
public enum AuthorizerResponse {
    /// The simple response of a refused request.
    public static let refused: [UInt8] = Array(#"{"isAuthorized":false}"#.utf8)

    /// The simple response of an allowed request, its `context` members written by `context`.
    @inlinable
    public static func allowed(context: (inout Context) -> Void) -> [UInt8] {
        var writer = Context(JSONWriter(capacity: 512), prefix: "{\"isAuthorized\":true,\"context\":{")
        context(&writer)
        writer.json.raw("}}")
        return writer.json.bytes
    }

    /// The `context` object: string members, in the order written.
    public struct Context {
        @usableFromInline var json: JSONWriter
        @usableFromInline var first = true

        @inlinable
        init(_ json: JSONWriter, prefix: StaticString) {
            self.json = json
            self.json.raw(prefix)
        }

        /// `"name":"value"`.
        @inlinable
        public mutating func string(_ name: StaticString, _ value: String) {
            member(name)
            json.string(value)
        }

        /// `"name":"v1<separator>v2…"`, the parts escaped one by one (escaping is per byte, so that
        /// is the escaped joined string) without building the joined `String`.
        @inlinable
        public mutating func joined(_ name: StaticString, _ values: [String], separator: StaticString) {
            member(name)
            json.bytes.append(UInt8(ascii: "\""))
            // In place: iterating the array would copy (retain and release) each string.
            values.withUnsafeBufferPointer { values in
                for index in values.indices {
                    if index > 0 { json.raw(separator) }
                    JSONWriter.appendStringContents(values[index], to: &json.bytes)
                }
            }
            json.bytes.append(UInt8(ascii: "\""))
        }

        /// `"name":"value"` for a constant value that needs no escaping (plain ASCII without `"`,
        /// `\\` or control characters), written as it is.
        @inlinable
        public mutating func literal(_ name: StaticString, _ value: StaticString) {
            assert(value.withUTF8Buffer { $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") } })
            member(name)
            json.bytes.append(UInt8(ascii: "\""))
            json.raw(value)
            json.bytes.append(UInt8(ascii: "\""))
        }

        /// Performance: one append of the name, single bytes around it (an answer has seven members).
        @inlinable @inline(__always)
        mutating func member(_ name: StaticString) {
            if !first { json.bytes.append(UInt8(ascii: ",")) }
            first = false
            json.bytes.append(UInt8(ascii: "\""))
            json.raw(name)
            json.bytes.append(UInt8(ascii: "\""))
            json.bytes.append(UInt8(ascii: ":"))
        }
    }

    /// An IAM policy response, written in one pass: `statement` opens each statement, `resource`
    /// adds the base ARN and a suffix to it, `finish` writes the context.
    public struct Policy {
        public enum Effect: Sendable {
            case allow, deny
        }

        @usableFromInline var json: JSONWriter
        /// The escaped base ARN (`arn:…:apiId/stage/`) every resource starts with.
        @usableFromInline let escapedBase: [UInt8]
        @usableFromInline var firstStatement = true
        @usableFromInline var firstResource = true

        public init(principalId: String, base: String) {
            var escapedBase: [UInt8] = []
            escapedBase.reserveCapacity(base.utf8.count + 8)
            JSONWriter.appendStringContents(base, to: &escapedBase)
            self.escapedBase = escapedBase
            json = JSONWriter(capacity: 1024)
            json.raw("{\"principalId\":")
            json.string(principalId)
            json.raw(",\"policyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[")
        }

        @inlinable
        public mutating func statement(_ effect: Effect) {
            if !firstStatement { json.raw("]},") }
            firstStatement = false
            firstResource = true
            switch effect {
            case .allow: json.raw("{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\",\"Resource\":[")
            case .deny: json.raw("{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Deny\",\"Resource\":[")
            }
        }

        /// The base ARN followed by `escapedSuffix` (already the inside of a JSON string).
        @inlinable
        public mutating func resource(escapedSuffix: UnsafeBufferPointer<UInt8>) {
            json.raw(firstResource ? "\"" : ",\"")
            firstResource = false
            json.bytes.append(contentsOf: escapedBase)
            json.bytes.append(contentsOf: escapedSuffix)
            json.raw("\"")
        }

        @inlinable
        public mutating func resource(escapedSuffix: StaticString) {
            escapedSuffix.withUTF8Buffer { resource(escapedSuffix: $0) }
        }

        /// Closes the last statement and the document and writes `context`.
        @inlinable
        public consuming func finish(context: (inout Context) -> Void) -> [UInt8] {
            json.raw("]}]},\"context\":")
            var writer = Context(json, prefix: "{")
            context(&writer)
            writer.json.raw("}}")
            return writer.json.bytes
        }
    }
}
