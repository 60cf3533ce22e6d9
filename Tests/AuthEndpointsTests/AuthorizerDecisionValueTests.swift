import Testing

@testable import AuthEndpoints

/// The one decision value (`AuthorizerDecision`): the token's part is every rule's conditions,
/// evaluated once, past the 64 rules its set holds without allocating; the request's part and the
/// policy written from it agree with the reference forms.
@Suite struct AuthorizerDecisionValueTests {
    /// 70 disjoint rules, rule i requiring group `g(i % 3)`.
    static let manyRules: AuthorizerRules = {
        let text = "[" + (0..<70).map { #"{"route":"GET /r\#($0)","groups":["g\#($0 % 3)"]}"# }.joined(separator: ",") + "]"
        return try! AuthorizerRules.parse(text, defaultAllows: true).get()
    }()

    func decide(_ path: String, groups: [String]) -> AuthorizerDecision {
        Self.manyRules.decide(method: ArraySlice("GET".utf8), path: ArraySlice(path.utf8), AuthorizerSubject(clientId: "c", groups: groups))
    }

    @Test func admittedHoldsEveryRulesConditionsPastSixtyFour() {
        for groups in [["g0"], ["g1"], ["g2"], ["g0", "g2"], []] {
            let decision = decide("/elsewhere", groups: groups)
            for (index, rule) in Self.manyRules.rules.enumerated() {
                #expect(decision.admitted.contains(index) == rule.admits(AuthorizerSubject(clientId: "c", groups: groups)), "rule \(index) \(groups)")
            }
            #expect(decision.admitted.count == (0..<70).filter { groups.contains("g\($0 % 3)") }.count)
            #expect(!decision.admitted.contains(70) && !decision.admitted.contains(200))
        }
    }

    @Test func theRequestsPartNamesTheDecidingRule() {
        for index in [0, 63, 64, 65, 67, 69] {
            let decision = decide("/r\(index)", groups: ["g1"])
            #expect(decision.allowed == (index % 3 == 1), "\(index)")
            #expect(decision.rule == index)
        }
        let unmatched = decide("/other", groups: ["g1"])
        #expect(unmatched.allowed && unmatched.rule == nil)
    }

    @Test func thePolicyWrittenFromTheDecisionIsTheReferencePolicy() {
        for groups in [["g1"], ["g0", "g2"], []] {
            let subject = AuthorizerSubject(clientId: "c", groups: groups)
            let statements = Self.manyRules.policy(base: AuthorizerTestSupport.base, subject)
            let context = AuthorizerAnswer.Context(
                sub: "s", username: "u", clientId: "c", scope: "", groups: AuthorizerAnswer.encodedGroups(groups), tokenUse: "access")
            let reference = AuthorizerAnswer.policy(principalId: "s", allow: statements.allow, deny: statements.deny, context: context)
            // The same bytes whichever request of the token asked: the policy is the token's part.
            for path in ["/r64", "/r66", "/x"] {
                let decision = decide(path, groups: groups)
                let written = AuthorizerAnswer.policy(
                    base: AuthorizerTestSupport.base, rules: Self.manyRules, decision: decision, subject: subject, sub: "s", username: "u")
                #expect(written == reference, "\(groups) \(path)")
            }
        }
    }
}
