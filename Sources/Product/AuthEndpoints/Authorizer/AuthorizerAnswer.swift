import JSONValue

/// The answers API Gateway reads from a Lambda authorizer, written as bytes.
enum AuthorizerAnswer {
    /// `context` of every answer: strings only (REST refuses arrays and objects), never the token.
    struct Context: Sendable, Equatable {
        var sub: String
        var username: String
        var clientId: String
        /// Space-separated, as in the token's `scope`.
        var scope: String
        /// Comma-separated `cognito:groups`.
        var groups: String
        var tokenUse: String

        func write(into writer: inout JSONWriter) {
            writer.raw("{\"sub\":")
            writer.string(sub)
            writer.raw(",\"username\":")
            writer.string(username)
            writer.raw(",\"client_id\":")
            writer.string(clientId)
            writer.raw(",\"scope\":")
            writer.string(scope)
            writer.raw(",\"groups\":")
            writer.string(groups)
            writer.raw(",\"token_use\":")
            writer.string(tokenUse)
            writer.raw("}")
        }
    }

    /// HTTP API simple response: `{"isAuthorized": true, "context": {...}}`; refused: `{"isAuthorized": false}`.
    static func simple(allowed: Bool, context: Context?) -> [UInt8] {
        guard allowed, let context else { return Array(#"{"isAuthorized":false}"#.utf8) }
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"isAuthorized\":true,\"context\":")
        context.write(into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    /// An IAM policy answer (REST TOKEN/REQUEST, HTTP API 1.0, HTTP API 2.0 with policy responses).
    static func policy(principalId: String, allow: [String], deny: [String], context: Context) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.raw("{\"principalId\":")
        writer.string(principalId)
        writer.raw(",\"policyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[")
        var first = true
        for (effect, resources) in [("Allow", allow), ("Deny", deny)] where !resources.isEmpty {
            if !first { writer.raw(",") }
            first = false
            writer.raw("{\"Action\":\"execute-api:Invoke\",\"Effect\":")
            writer.string(effect)
            writer.raw(",\"Resource\":[")
            for (index, resource) in resources.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(resource)
            }
            writer.raw("]}")
        }
        writer.raw("]},\"context\":")
        context.write(into: &writer)
        writer.raw("}")
        return writer.bytes
    }
}
