import JSONValue

/// What a Lambda authorizer's answer means for the request.
public enum AuthorizerDecision: Sendable, Equatable {
    /// Go on; the context becomes `requestContext.authorizer.lambda`.
    case allow(context: JSONValue?)
    /// 403 `{"message":"Forbidden"}`.
    case deny
    /// Unreadable answer, function error, crash or timeout: 500.
    case failed(String)

    /// Format 2.0: simple (`{"isAuthorized": bool, "context": {...}}`) or an IAM policy.
    static func read(_ payload: [UInt8], simple: Bool, routeArn: String) -> AuthorizerDecision {
        guard let value = try? JSONValue.parse(payload), case .object(let object) = value else {
            return .failed("the authorizer answered something that is not a JSON object")
        }
        let context = object["context"]
        if let context, context != .null, context.objectValue == nil {
            return .failed("the authorizer's context is not an object")
        }
        let usableContext = context == .null ? nil : context
        if simple {
            guard let authorized = object["isAuthorized"]?.boolValue else {
                return .failed("the authorizer's simple response has no boolean isAuthorized")
            }
            return authorized ? .allow(context: usableContext) : .deny
        }
        guard let statements = object["policyDocument"]?["Statement"]?.arrayValue else {
            return .failed("the authorizer's IAM response has no policyDocument.Statement")
        }
        var allowed = false
        for statement in statements {
            let actions = strings(statement["Action"])
            let resources = strings(statement["Resource"])
            let coversAction = actions.contains { ["execute-api:Invoke", "execute-api:*", "*"].contains($0) }
            guard coversAction, resources.contains(where: { wildcardMatch($0, routeArn) }) else { continue }
            switch statement["Effect"]?.stringValue {
            case "Deny": return .deny
            case "Allow": allowed = true
            default: continue
            }
        }
        return allowed ? .allow(context: usableContext) : .deny
    }

    static func strings(_ value: JSONValue?) -> [String] {
        if let text = value?.stringValue { return [text] }
        return value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// IAM resource matching: `*` any run of characters, `?` one; everything else byte for byte.
    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.utf8)
        let text = Array(text.utf8)
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
