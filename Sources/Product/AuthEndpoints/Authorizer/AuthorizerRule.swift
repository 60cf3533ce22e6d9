import AuthCore
import JSONValue

/// One entry of `AUTHORIZER_RULES`: `{"route": "GET /admin/*", "groups": ["admins"], "scopes": [...],
/// "clients": [...], "claims": {"custom:tenant": ["acme"]}}`. Every condition present must hold.
struct AuthorizerRule: Sendable, Equatable {
    var route: RoutePattern
    /// The token must be in at least one of these groups (nil: no group condition).
    var groups: [String]?
    /// The token must have every one of these scopes (nil: no scope condition).
    var scopes: [String]?
    /// The token's `client_id` must be one of these (nil: no client condition). Machine tokens are
    /// admitted only by rules with this condition (issue 21: a service's token reaches only the
    /// routes a rule names its client on).
    var clients: [String]?
    /// Each named string claim must equal one of its values (nil: no claim condition).
    var claims: [ClaimCondition]?

    /// `"claims": {"custom:tenant": ["acme", "globex"]}`: one member.
    struct ClaimCondition: Sendable, Equatable {
        var name: String
        var values: [String]
        /// The claim's slot in `AuthorizerRules.claimNames` (set by `AuthorizerRules.parse`).
        var slot: Int
    }

    /// Claims the other conditions or the verifier decide (or that are not strings): a rule naming
    /// one would duplicate or contradict them.
    static let reservedClaims = [
        "aud", "auth_time", "client_id", "cognito:groups", "exp", "iat", "iss", "jti", "nbf", "origin_jti", "scope", "token_use",
    ]

    /// Whether a token with these facts satisfies the rule's conditions, on the conditions alone
    /// (`AuthorizerRules.admitted` calls it once per rule and request): calling a method on a rule
    /// in an array copies the whole rule (its reference-counted arrays) first.
    /// Security: exact bytes (`ExactText`), so a group `admins` spelled with a look-alike or
    /// another normalisation form in a token is not `admins`; likewise clients and claim values.
    @inline(__always)
    static func conditions(
        groups: [String]?, scopes: [String]?, clients: [String]?, claims: [ClaimCondition]?, _ subject: AuthorizerSubject
    ) -> Bool {
        if let clients {
            if !ExactText.contains(clients, subject.clientId) { return false }
        } else if subject.isMachine {
            // Fail closed: a machine token acts for no user; only a rule naming its client admits it.
            return false
        }
        if let groups, !groups.contains(where: { ExactText.contains(subject.groups, $0) }) { return false }
        if let scopes, !scopes.allSatisfy({ ExactText.contains(subject.scopes, $0) }) { return false }
        if let claims {
            for condition in claims {
                guard let value = subject.claim(condition.slot), ExactText.contains(condition.values, value) else { return false }
            }
        }
        return true
    }

    /// Whether every token this rule admits is admitted by `other` too.
    func implies(_ other: AuthorizerRule) -> Bool {
        if let otherGroups = other.groups {
            guard let groups, groups.allSatisfy({ ExactText.contains(otherGroups, $0) }) else { return false }
        }
        let ownScopes = scopes ?? []
        guard (other.scopes ?? []).allSatisfy({ ExactText.contains(ownScopes, $0) }) else { return false }
        if let otherClients = other.clients {
            guard let clients, clients.allSatisfy({ ExactText.contains(otherClients, $0) }) else { return false }
        } else if clients != nil, groups == nil {
            // This rule may admit a machine token of its clients (one without groups); `other`
            // admits no machine token. (Which clients issue machine tokens is not known here.)
            return false
        }
        for condition in other.claims ?? [] {
            guard let own = claims?.first(where: { ExactText.equal($0.name, condition.name) }),
                own.values.allSatisfy({ ExactText.contains(condition.values, $0) })
            else { return false }
        }
        return true
    }

    static func parse(_ value: JSONValue, index: Int) -> Result<AuthorizerRule, RuleError> {
        let label = "AUTHORIZER_RULES[\(index)]"
        guard case .object(let members) = value else { return .failure(RuleError("\(label) is not an object")) }
        for name in members.keys where !["route", "groups", "scopes", "clients", "claims"].contains(where: { ExactText.equal($0, name) }) {
            // A misspelt condition ("group") must not silently become "no condition".
            return .failure(RuleError("\(label) has an unknown member \"\(name)\" (route, groups, scopes, clients, claims)"))
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
        for name in ["groups", "scopes", "clients"] {
            guard let raw = members[name] else { continue }
            switch stringList(raw, label: "\(label).\(name)", refusingRepeats: name == "clients") {
            case .success(let strings): lists[name] = strings
            case .failure(let error): return .failure(error)
            }
        }
        var claims: [ClaimCondition]?
        if let raw = members["claims"] {
            guard case .object(let conditions) = raw, !conditions.isEmpty else {
                // An empty object would mean "no condition" to one reader and "nobody" to another.
                return .failure(RuleError("\(label).claims must be a non-empty object of claim name to values, e.g. {\"custom:tenant\":[\"acme\"]}"))
            }
            var parsed: [ClaimCondition] = []
            for name in conditions.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                guard !name.isEmpty else { return .failure(RuleError("\(label).claims has an empty claim name")) }
                if reservedClaims.contains(where: { ExactText.equal($0, name) }) {
                    return .failure(RuleError(
                        "\(label).claims cannot name \"\(name)\": use groups, scopes or clients, or COGNITO_REQUIRED_AUDIENCE for aud; the others are checked by the verifier"))
                }
                switch stringList(conditions[name]!, label: "\(label).claims[\"\(name)\"]", refusingRepeats: true) {
                case .success(let values): parsed.append(ClaimCondition(name: name, values: values, slot: -1))
                case .failure(let error): return .failure(error)
                }
            }
            claims = parsed
        }
        return .success(AuthorizerRule(route: route, groups: lists["groups"], scopes: lists["scopes"], clients: lists["clients"], claims: claims))
    }

    /// A non-empty array of non-empty strings.
    private static func stringList(_ raw: JSONValue, label: String, refusingRepeats: Bool) -> Result<[String], RuleError> {
        guard case .array(let items) = raw, !items.isEmpty else {
            // An empty list would mean "nobody" to one reader and "anybody" to another.
            return .failure(RuleError("\(label) must be a non-empty array of strings"))
        }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue, !text.isEmpty else {
                return .failure(RuleError("\(label) must be a non-empty array of strings"))
            }
            if refusingRepeats, ExactText.contains(strings, text) {
                return .failure(RuleError("\(label) repeats \"\(text)\""))
            }
            strings.append(text)
        }
        return .success(strings)
    }
}
