import AuthCore
import JSONValue

/// `AUTHORIZER_RULES` (first match wins) and `AUTHORIZER_DEFAULT`, plus the IAM policy a token gets
/// under them.
struct AuthorizerRules: Sendable, Equatable {
    var rules: [AuthorizerRule]
    /// What a valid token gets on a route no rule matches.
    var defaultAllows: Bool
    /// Every claim name of the rules' `claims` conditions, once each: a condition's `slot` is its
    /// index here, and a decision reads these claims of the token (`AuthorizerSubject.claims`).
    var claimNames: StringClaimNames

    init(rules: [AuthorizerRule] = [], defaultAllows: Bool = true) {
        var names: [String] = []
        var rules = rules
        for rule in rules.indices {
            for condition in (rules[rule].claims ?? []).indices {
                let name = rules[rule].claims![condition].name
                if let slot = names.firstIndex(where: { ExactText.equal($0, name) }) {
                    rules[rule].claims![condition].slot = slot
                } else {
                    rules[rule].claims![condition].slot = names.count
                    names.append(name)
                }
            }
        }
        self.rules = rules
        self.defaultAllows = defaultAllows
        self.claimNames = StringClaimNames(names)
    }

    /// What a valid token gets from the default: a machine token never (only a rule naming its
    /// client admits it).
    @inline(__always)
    func defaultAllows(_ subject: AuthorizerSubject) -> Bool {
        defaultAllows && !subject.isMachine
    }

    /// The rules whose conditions `subject` meets: the token's part of every decision, evaluated
    /// once per request (the policy states it for every route; the request's decision reads it).
    func admitted(_ subject: AuthorizerSubject) -> AuthorizerDecision.RuleSet {
        var admitted = AuthorizerDecision.RuleSet()
        // Performance: in place, so no rule (its arrays) is copied and reference-counted per request.
        rules.withUnsafeBufferPointer { rules in
            for index in rules.indices
            where AuthorizerRule.conditions(
                groups: rules[index].groups, scopes: rules[index].scopes, clients: rules[index].clients, claims: rules[index].claims, subject)
            {
                admitted.insert(index)
            }
        }
        return admitted
    }

    /// The decision for one request on its method and path (`RequestRoute` adds the other readings).
    ///
    /// Allowed when the first rule whose route admits the request (exact bytes, see `RoutePattern`)
    /// admits the token, or no rule's route does and the default allows; and, in any case, no rule
    /// the token fails covers the request (case variants, `/x` for `/x/*`): what the cached IAM
    /// policy says (its Deny wins), plus the refusals IAM cannot write.
    func decide(method: ArraySlice<UInt8>, path: ArraySlice<UInt8>, _ subject: AuthorizerSubject) -> AuthorizerDecision {
        let admitted = admitted(subject)
        let defaultAllows = defaultAllows(subject)
        let (allowed, rule) = method.withUnsafeBufferPointer { method in
            path.withUnsafeBufferPointer { path in decide(method: method, path: path, admitted: admitted, defaultAllows: defaultAllows) }
        }
        return AuthorizerDecision(admitted: admitted, defaultAllows: defaultAllows, allowed: allowed, rule: rule)
    }

    func decide(
        method: UnsafeBufferPointer<UInt8>, path: UnsafeBufferPointer<UInt8>, admitted: AuthorizerDecision.RuleSet, defaultAllows: Bool
    ) -> (allowed: Bool, rule: Int?) {
        // Security: an ambiguous path (escapes, empty or dot segments, `;`, `\`) could be routed by
        // API Gateway or the backend to a route whose rule it does not match here; refused outright.
        guard RequestPath.isUnambiguous(path) else { return (false, nil) }
        let methods = MethodSet(method)
        return rules.withUnsafeBufferPointer { rules in
            var firstAdmitting: Int?
            for index in rules.indices where rules[index].route.covers(method: methods.folded, path: path) {
                // A refusal wins wherever it is (IAM's explicit Deny).
                if !admitted.contains(index) { return (false, index) }
                // `admits` implies `covers`: one scan finds both.
                if firstAdmitting == nil, rules[index].route.admits(method: methods.exact, path: path) { firstAdmitting = index }
            }
            return firstAdmitting.map { (true, $0) } ?? (defaultAllows, nil)
        }
    }

    /// Whether a rule the token fails covers the request: for the other readings of a request's
    /// path (with the stage or a mapping key still in front), which may add refusals, never an Allow.
    func refuses(method: UnsafeBufferPointer<UInt8>, path: UnsafeBufferPointer<UInt8>, admitted: AuthorizerDecision.RuleSet) -> Bool {
        guard RequestPath.isUnambiguous(path) else { return true }
        let methods = MethodSet(method)
        return rules.withUnsafeBufferPointer { rules in
            rules.indices.contains { index in
                !admitted.contains(index) && rules[index].route.covers(method: methods.folded, path: path)
            }
        }
    }

    /// `refuses` for every tail of `path` that starts at a `/` (`/v1/admin/x`, `/admin/x`, `/x`):
    /// when a mapping key of unknown length may be in front of the path within the API.
    func refusesAnyTail(method: UnsafeBufferPointer<UInt8>, path: UnsafeBufferPointer<UInt8>, admitted: AuthorizerDecision.RuleSet) -> Bool {
        guard RequestPath.isUnambiguous(path) else { return true }
        for start in path.indices where path[start] == UInt8(ascii: "/") {
            if refuses(method: method, path: UnsafeBufferPointer(rebasing: path[start...]), admitted: admitted) { return true }
        }
        return false
    }

    /// The one list of those resources' suffixes after the ARN base (`RequestPath.isUnambiguous`:
    /// escapes, empty segments, segments ending in `.`, `;`, `\\`).
    static let ambiguousPathSuffixes: [StaticString] = ["*%*", "*//*", "*./*", "*.", "*;*", "*\\*"]
    /// The same, as the inside of JSON strings: what the policy writer appends.
    static let escapedAmbiguousPathSuffixes: [StaticString] = ["*%*", "*//*", "*./*", "*.", "*;*", "*\\\\*"]

    /// ARNs whose method part is not an HTTP method: `$default` (the `$default` route).
    static let nonMethodSuffix: StaticString = "$*"

    /// Parses `AUTHORIZER_RULES` (a JSON array; repeated member names refused) and checks that
    /// every token's answer can be written as one cache-safe IAM policy.
    static func parse(_ text: String, defaultAllows: Bool) -> Result<AuthorizerRules, RuleError> {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            return .failure(RuleError("AUTHORIZER_RULES is not valid JSON (\(error.description))"))
        }
        guard case .array(let items) = value else {
            return .failure(RuleError("AUTHORIZER_RULES must be a JSON array of rules"))
        }
        var rules: [AuthorizerRule] = []
        for (index, item) in items.enumerated() {
            switch AuthorizerRule.parse(item, index: index) {
            case .success(let rule): rules.append(rule)
            case .failure(let error): return .failure(error)
            }
        }
        for (later, rule) in rules.enumerated() {
            for earlier in 0..<later where rules[earlier].route.overlaps(rule.route) && !rules[earlier].implies(rule) {
                // First match wins, but a cached IAM policy has no order: Deny of the later rule's
                // routes would also refuse the overlap the earlier rule admits.
                return .failure(RuleError(
                    "AUTHORIZER_RULES[\(later)] (\(rule.route)) overlaps AUTHORIZER_RULES[\(earlier)] (\(rules[earlier].route)) and can refuse a token that rule admits; no cache-safe IAM policy says that. Give the earlier rule at least the later rule's conditions (a clients condition in the earlier rule admits machine tokens, so the later one needs clients too), or make the routes disjoint"))
            }
        }
        return .success(AuthorizerRules(rules: rules, defaultAllows: defaultAllows))
    }
}
