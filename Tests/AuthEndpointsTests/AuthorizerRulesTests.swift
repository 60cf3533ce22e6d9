import AuthCore
import Testing

@testable import AuthEndpoints

@Suite struct AuthorizerRulesTests {
    static let rulesJSON = #"[{"route":"GET /admin/*","groups":["admins"]},{"route":"ANY /reports/*","scopes":["reports/read"]},{"route":"GET /public","groups":["users"]}]"#

    func rules(_ text: String = rulesJSON, defaultAllows: Bool = true) throws -> AuthorizerRules {
        try AuthorizerRules.parse(text, defaultAllows: defaultAllows).get()
    }

    func bytes(_ text: String) -> ArraySlice<UInt8> { ArraySlice(text.utf8) }

    @Test func firstMatchWinsAndTheDefaultDecidesTheRest() throws {
        let rules = try rules()
        #expect(rules.decide(method: bytes("GET"), path: bytes("/admin/x"), groups: ["admins"], scopes: []).allowed)
        #expect(!rules.decide(method: bytes("GET"), path: bytes("/admin/x"), groups: ["users"], scopes: []).allowed)
        // POST /admin is not GET /admin/*: the default (allow) decides.
        let post = rules.decide(method: bytes("POST"), path: bytes("/admin/x"), groups: [], scopes: [])
        #expect(post.allowed && post.rule == nil)
        #expect(!rules.decide(method: bytes("DELETE"), path: bytes("/reports/1"), groups: ["admins"], scopes: ["openid"]).allowed)
        #expect(rules.decide(method: bytes("DELETE"), path: bytes("/reports/1"), groups: [], scopes: ["openid", "reports/read"]).allowed)
        // The exact path only: /public/x is not /public.
        #expect(rules.decide(method: bytes("GET"), path: bytes("/public/x"), groups: [], scopes: []).rule == nil)
        let denying = try self.rules(defaultAllows: false)
        #expect(!denying.decide(method: bytes("GET"), path: bytes("/pets"), groups: ["admins"], scopes: []).allowed)
    }

    @Test func groupsAndScopesCompareAsExactBytes() throws {
        let rules = try rules()
        // "admins" with KELVIN SIGN-free look-alikes and other normal forms are other groups.
        #expect(!rules.decide(method: bytes("GET"), path: bytes("/admin/x"), groups: ["Admins", "admins "], scopes: []).allowed)
        let unicode = try self.rules(#"[{"route":"GET /x","groups":["caf\u00e9"]}]"#)
        #expect(!unicode.decide(method: bytes("GET"), path: bytes("/x"), groups: ["cafe\u{301}"], scopes: []).allowed)
        #expect(unicode.decide(method: bytes("GET"), path: bytes("/x"), groups: ["caf\u{e9}"], scopes: []).allowed)
    }

    @Test func ambiguousPathsAreRefused() throws {
        let rules = try rules()
        for path in ["/%61dmin/x", "/admin//x", "/./admin/x", "/pets/../admin/x", "pets", "/pets/."] {
            #expect(!rules.decide(method: bytes("GET"), path: bytes(path), groups: ["admins"], scopes: []).allowed, "\(path)")
        }
        #expect(rules.decide(method: bytes("GET"), path: bytes("/pets/"), groups: [], scopes: []).allowed)
    }

    @Test(arguments: [
        #"{"route":"GET /x"}"#, #"[{"route":"GET /x","route":"GET /y"}]"#, #"[{"route":"get /x"}]"#, #"[{"route":"GET  /x"}]"#,
        #"[{"route":"GET x"}]"#, #"[{"route":"GET /a*b"}]"#, #"[{"route":"GET /a?"}]"#, #"[{"route":"GET /%61"}]"#,
        #"[{"route":"GET /x","groups":[]}]"#, #"[{"route":"GET /x","group":["a"]}]"#, #"[{"route":"GET /x","scopes":"a"}]"#,
        #"[{"route":"GET /x","groups":[1]}]"#, "[", #"[{"route":"GET /a//b"}]"#,
    ])
    func invalidRulesAreRefused(_ text: String) {
        #expect(throws: RuleError.self) { try AuthorizerRules.parse(text, defaultAllows: true).get() }
    }

    @Test func rulesNoCachedPolicyCanExpressAreRefusedAtInit() throws {
        // GET /reports/public admits anyone, then ANY /reports/* needs a scope: Deny of
        // /reports/* would also refuse /reports/public.
        let conflict = #"[{"route":"GET /reports/public"},{"route":"ANY /reports/*","scopes":["reports/read"]}]"#
        #expect(throws: RuleError.self) { try AuthorizerRules.parse(conflict, defaultAllows: true).get() }
        // Fine when the earlier rule asks at least as much as the later one.
        let implied = #"[{"route":"GET /reports/public","scopes":["reports/read","x"]},{"route":"ANY /reports/*","scopes":["reports/read"]}]"#
        _ = try AuthorizerRules.parse(implied, defaultAllows: true).get()
        let config = AuthorizerConfig.fromEnvironment(["AUTHORIZER_RULES": conflict])
        guard case .failure(let error) = config else { Issue.record("accepted"); return }
        let problems = error.problems
        #expect(problems.count == 1)
        #expect(problems[0].contains("AUTHORIZER_RULES[1]"))
    }

    @Test func settingsTakeExactValuesOnly() {
        for (name, value) in [("AUTHORIZER_DEFAULT", "Deny"), ("AUTHORIZER_RESPONSE", "iam"), ("AUTHORIZER_CHECK_REVOCATION", "yes")] {
            guard case .failure(let error) = AuthorizerConfig.fromEnvironment([name: value]) else {
                Issue.record("\(name)=\(value) accepted"); continue
            }
            let problems = error.problems
            #expect(problems == ["\(name) must be " + (name == "AUTHORIZER_DEFAULT" ? "allow or deny" : name == "AUTHORIZER_RESPONSE" ? "simple or policy" : "true or false")])
        }
        #expect((try? AuthorizerConfig.fromEnvironment(["AUTHORIZER_DEFAULT": "deny", "AUTHORIZER_RESPONSE": "policy", "AUTHORIZER_CHECK_REVOCATION": "true"]).get())
            == AuthorizerConfig(rules: AuthorizerRules(defaultAllows: false), responseFormat: .policy, checkRevocation: true))
    }

    /// The policy of one token, evaluated by IAM for every route, agrees with `decide` for each.
    @Test(arguments: [true, false])
    func policiesAgreeWithTheRulesOnEveryRoute(defaultAllows: Bool) throws {
        let rules = try rules(defaultAllows: defaultAllows)
        let base = AuthorizerTestSupport.base
        let tokens: [([String], [String])] = [([], []), (["admins"], []), (["users"], ["reports/read"]), (["admins", "users"], ["reports/read"])]
        let paths = ["/", "/admin", "/admin/", "/admin/x/y", "/reports", "/reports/q1", "/public", "/public/x", "/pets/1", "/x/admin/y", "/%61dmin/x", "/a//b", "/a/../admin/x"]
        for (groups, scopes) in tokens {
            let statements = rules.policy(base: base, groups: groups, scopes: scopes)
            let answer = AuthorizerAnswer.policy(
                principalId: "p", allow: statements.allow, deny: statements.deny,
                context: .init(sub: "p", username: "u", clientId: "c", scope: "", groups: "", tokenUse: "access"))
            for method in RoutePattern.methods {
                for path in paths {
                    let expected = rules.decide(method: bytes(method), path: bytes(path), groups: groups, scopes: scopes).allowed
                    let arn = base + method + "/" + path.dropFirst()
                    #expect(try AuthorizerTestSupport.iamAllows(answer, arn: arn) == expected, "\(groups) \(scopes) \(method) \(path)")
                }
            }
        }
    }

    @Test func methodArnsParse() throws {
        let arn = try #require(ExecuteAPIArn.parse(ArraySlice("arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/".utf8)))
        #expect(arn.base == "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/")
        #expect(arn.method == Array("GET".utf8))
        #expect(arn.path == Array("/".utf8))
        let deep = try #require(ExecuteAPIArn.parse(ArraySlice("arn:aws-cn:execute-api:cn-north-1:1:api/prod/POST/a/b:c".utf8)))
        #expect(deep.path == Array("/a/b:c".utf8))
        for bad in ["", "arn:aws:lambda:us-east-1:1:api/prod/GET/x", "arn:aws:execute-api:us-east-1:1:api/prod", "arn:aws:execute-api::1:api/prod/GET/"] {
            #expect(ExecuteAPIArn.parse(ArraySlice(bad.utf8)) == nil, "\(bad)")
        }
    }
}
