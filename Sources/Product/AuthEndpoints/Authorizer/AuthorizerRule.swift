import AuthCore
import JSONValue

/// One entry of `AUTHORIZER_RULES`: `{"route": "GET /admin/*", "groups": ["admins"], "scopes": [...]}`.
struct AuthorizerRule: Sendable, Equatable {
    var route: RoutePattern
    /// The token must be in at least one of these groups (nil: no group condition).
    var groups: [String]?
    /// The token must have every one of these scopes (nil: no scope condition).
    var scopes: [String]?

    /// Whether a token with these groups and scopes satisfies the rule's conditions.
    /// Security: exact bytes (`ExactText`), so a group `admins` spelled with a look-alike or
    /// another normalisation form in a token is not `admins`.
    func admits(groups tokenGroups: [String], scopes tokenScopes: [String]) -> Bool {
        Self.conditions(groups: groups, scopes: scopes, admitGroups: tokenGroups, scopes: tokenScopes)
    }

    /// `admits` on the two conditions alone, for the per-request path: calling the method on a
    /// rule in an array copies the whole rule (six reference-counted arrays) first.
    @inline(__always)
    static func conditions(groups: [String]?, scopes: [String]?, admitGroups tokenGroups: [String], scopes tokenScopes: [String]) -> Bool {
        if let groups, !groups.contains(where: { ExactText.contains(tokenGroups, $0) }) { return false }
        if let scopes, !scopes.allSatisfy({ ExactText.contains(tokenScopes, $0) }) { return false }
        return true
    }

    /// Whether every token this rule admits is admitted by `other` too.
    func implies(_ other: AuthorizerRule) -> Bool {
        if let otherGroups = other.groups {
            guard let groups, groups.allSatisfy({ ExactText.contains(otherGroups, $0) }) else { return false }
        }
        let ownScopes = scopes ?? []
        return (other.scopes ?? []).allSatisfy { ExactText.contains(ownScopes, $0) }
    }

    static func parse(_ value: JSONValue, index: Int) -> Result<AuthorizerRule, RuleError> {
        let label = "AUTHORIZER_RULES[\(index)]"
        guard case .object(let members) = value else { return .failure(RuleError("\(label) is not an object")) }
        for name in members.keys where !["route", "groups", "scopes"].contains(where: { ExactText.equal($0, name) }) {
            // A misspelt condition ("group") must not silently become "no condition".
            return .failure(RuleError("\(label) has an unknown member \"\(name)\" (route, groups, scopes)"))
        }
        guard let routeText = members["route"]?.stringValue else {
            return .failure(RuleError("\(label) needs a route string, e.g. \"GET /admin/*\""))
        }
        let route: RoutePattern
        switch RoutePattern.parse(routeText) {
        case .success(let parsed): route = parsed
        case .failure(let error): return .failure(RuleError("\(label): \(error.description)"))
        }
        var lists: [String: [String]] = [:]
        for name in ["groups", "scopes"] {
            guard let raw = members[name] else { continue }
            guard case .array(let items) = raw, !items.isEmpty else {
                // An empty list would mean "nobody" to one reader and "anybody" to another.
                return .failure(RuleError("\(label).\(name) must be a non-empty array of strings"))
            }
            var strings: [String] = []
            for item in items {
                guard let text = item.stringValue, !text.isEmpty else {
                    return .failure(RuleError("\(label).\(name) must be a non-empty array of strings"))
                }
                strings.append(text)
            }
            lists[name] = strings
        }
        return .success(AuthorizerRule(route: route, groups: lists["groups"], scopes: lists["scopes"]))
    }
}
