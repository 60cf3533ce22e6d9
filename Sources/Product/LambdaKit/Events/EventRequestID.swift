import JSONValue

/// API Gateway's request id (`requestContext.requestId`) of an event LambdaKit does not decode
/// (an authorizer's REQUEST event has one; a TOKEN event has none), for the log lines and the
/// metrics document. Only a string of at most 128 bytes is taken: it is an id API Gateway
/// generates, and anything else is not one (and would only bloat every log line).
enum EventRequestID {
    static let maxBytes = 128

    static func find(in payload: [UInt8]) -> String? {
        var found: String?
        do throws(JSONParseError) {
            try JSONValue.read(payload) { (json) throws(JSONParseError) in
                guard try json.kind() == .object else { return }
                try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                    guard name.elementsEqual("requestContext".utf8), try json.kind() == .object else { return try json.skip() }
                    try json.object(nameBytes: { (name, json) throws(JSONParseError) in
                        guard name.elementsEqual("requestId".utf8), try json.kind() == .string else { return try json.skip() }
                        let id = try json.string()
                        if id.utf8.count <= maxBytes { found = id }
                    })
                })
            }
        } catch {
            // Not JSON, or not an object: the handler refuses such an event itself; no id to log.
            return nil
        }
        return found
    }
}
