/// The authorizer's one decision for a verified token and a request, made once by
/// `RequestRoute.decide` and rendered by each answer writer (`AuthorizerAnswer`): a simple answer
/// writes `allowed`; a policy, which API Gateway caches per token for every route, writes the
/// token's part (`admitted`, `defaultAllows`); the log line names `rule`.
struct AuthorizerDecision: Sendable, Equatable {
    /// The rules whose conditions the token meets, whatever the request.
    var admitted: RuleSet
    /// Whether the default admits the token on a route no rule covers (never a machine token).
    var defaultAllows: Bool
    /// This request: allowed or not.
    var allowed: Bool
    /// The rule that decided this request; nil: the default, or a refusal no rule owns (an
    /// ambiguous path, another reading of the path that a refusing rule covers).
    var rule: Int?

    /// Rule indices (`AUTHORIZER_RULES[i]`), as bits: no allocation for the first 64 rules.
    struct RuleSet: Sendable, Equatable {
        private var low: UInt64 = 0
        private var high: [UInt64] = []

        init() {}

        func contains(_ rule: Int) -> Bool {
            if rule < 64 { return low & (1 << UInt64(rule)) != 0 }
            let word = (rule - 64) >> 6
            return word < high.count && high[word] & (1 << UInt64(rule & 63)) != 0
        }

        mutating func insert(_ rule: Int) {
            if rule < 64 {
                low |= 1 << UInt64(rule)
                return
            }
            let word = (rule - 64) >> 6
            while high.count <= word { high.append(0) }
            high[word] |= 1 << UInt64(rule & 63)
        }

        /// How many rules are in the set.
        var count: Int {
            high.reduce(low.nonzeroBitCount) { $0 + $1.nonzeroBitCount }
        }
    }
}
