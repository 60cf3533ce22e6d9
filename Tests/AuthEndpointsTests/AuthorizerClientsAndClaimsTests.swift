import AuthCore
import Foundation
import LambdaKit
import Testing

@testable import AuthEndpoints

/// Issue 21's rule conditions: `clients` (the only way a machine token is admitted) and `claims`,
/// in decisions, in cached policies reused for other routes, and in the answers' context.
@Suite struct AuthorizerClientsAndClaimsTests {
    typealias Support = AuthorizerTestSupport
    static let service = Support.serviceClientId
    static let mobile = Support.mobileClientId
    /// A service's route, a web-client-only route, a tenant route and a group route.
    static let rules = """
        [{"route":"ANY /internal/*","clients":["\(service)"],"scopes":["https://api.example.com/reports.read"]},\
        {"route":"GET /web/*","clients":["\(Support.clientId)"]},\
        {"route":"ANY /tenants/acme/*","claims":{"custom:tenant":["acme","globex"]}},\
        {"route":"GET /admin/*","groups":["admins"]}]
        """

    func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func rules(_ text: String = rules, defaultAllows: Bool = true) throws -> AuthorizerRules {
        try AuthorizerRules.parse(text, defaultAllows: defaultAllows).get()
    }

    func decide(_ rules: AuthorizerRules, _ method: String, _ path: String, _ subject: AuthorizerSubject) -> Bool {
        rules.decide(method: ArraySlice(method.utf8), path: ArraySlice(path.utf8), subject).allowed
    }

    func subject(_ rules: AuthorizerRules, client: String = Support.clientId, machine: Bool = false, groups: [String] = [], scopes: [String] = [], tenant: String? = nil) -> AuthorizerSubject {
        let claims = rules.claimNames.names.map { $0 == "custom:tenant" ? tenant : nil }
        return AuthorizerSubject(clientId: client, isMachine: machine, groups: groups, scopes: scopes, claims: claims)
    }

    @Test func aMachineTokenIsAdmittedOnlyWhereARuleNamesItsClient() throws {
        for defaultAllows in [true, false] {
            let rules = try rules(defaultAllows: defaultAllows)
            let machine = subject(rules, client: Self.service, machine: true, scopes: ["https://api.example.com/reports.read"])
            #expect(decide(rules, "POST", "/internal/jobs", machine))
            // Never by the default, nor by a rule that does not name its client.
            #expect(!decide(rules, "GET", "/pets", machine))
            #expect(!decide(rules, "GET", "/web/x", machine))
            #expect(!decide(rules, "GET", "/admin/x", machine))
            #expect(!decide(rules, "GET", "/tenants/acme/x", machine))
            // The rule's scope condition still holds.
            let unscoped = subject(rules, client: Self.service, machine: true, scopes: ["https://api.example.com/reports.write"])
            #expect(!decide(rules, "POST", "/internal/jobs", unscoped))
            // A user token of the service's client id (not a machine token) is still gated by the rule's scopes.
            #expect(!decide(rules, "POST", "/internal/jobs", subject(rules)))
        }
        // A rule without `clients` never admits a machine token, even one with every scope it asks.
        let scoped = try rules(#"[{"route":"ANY /reports/*","scopes":["https://api.example.com/reports.read"]}]"#, defaultAllows: false)
        let machine = subject(scoped, client: Self.service, machine: true, scopes: ["https://api.example.com/reports.read"])
        #expect(!decide(scoped, "GET", "/reports/q1", machine))
        #expect(decide(scoped, "GET", "/reports/q1", subject(scoped, scopes: ["https://api.example.com/reports.read"])))
        #expect(scoped.policy(base: Support.base, machine).allow.isEmpty)
    }

    @Test func clientsCompareExactBytesForUserTokensToo() throws {
        let rules = try rules()
        #expect(decide(rules, "GET", "/web/page", subject(rules)))
        #expect(!decide(rules, "GET", "/web/page", subject(rules, client: Self.mobile)))
        #expect(!decide(rules, "GET", "/web/page", subject(rules, client: Support.clientId.uppercased())))
        #expect(decide(rules, "GET", "/pets", subject(rules, client: Self.mobile)))
    }

    @Test func claimConditionsNeedOneOfTheValuesExactly() throws {
        let rules = try rules()
        #expect(rules.claimNames.names == ["custom:tenant"])
        #expect(decide(rules, "GET", "/tenants/acme/x", subject(rules, tenant: "acme")))
        #expect(decide(rules, "DELETE", "/tenants/acme/x", subject(rules, tenant: "globex")))
        for tenant in [nil, "initech", "Acme", "acme ", "acme\u{301}", ""] {
            #expect(!decide(rules, "GET", "/tenants/acme/x", subject(rules, tenant: tenant)), "\(String(describing: tenant))")
        }
        // Conditions combine: every one must hold.
        let all = try self.rules(#"[{"route":"GET /x","clients":["a"],"groups":["g"],"scopes":["s"],"claims":{"custom:role":["r"],"custom:tenant":["t"]}}]"#)
        let names = all.claimNames.names
        func full(client: String = "a", groups: [String] = ["g"], scopes: [String] = ["s"], role: String? = "r", tenant: String? = "t") -> AuthorizerSubject {
            AuthorizerSubject(clientId: client, groups: groups, scopes: scopes, claims: names.map { $0 == "custom:role" ? role : tenant })
        }
        #expect(decide(all, "GET", "/x", full()))
        #expect(!decide(all, "GET", "/x", full(client: "b")))
        #expect(!decide(all, "GET", "/x", full(groups: [])))
        #expect(!decide(all, "GET", "/x", full(scopes: [])))
        #expect(!decide(all, "GET", "/x", full(role: nil)))
        #expect(!decide(all, "GET", "/x", full(tenant: "u")))
    }

    @Test(arguments: [
        #"[{"route":"GET /x","clients":[]}]"#, #"[{"route":"GET /x","clients":["a","a"]}]"#, #"[{"route":"GET /x","clients":"a"}]"#,
        #"[{"route":"GET /x","clients":[""]}]"#, #"[{"route":"GET /x","claims":{}}]"#, #"[{"route":"GET /x","claims":["custom:t"]}]"#,
        #"[{"route":"GET /x","claims":{"custom:t":"a"}}]"#, #"[{"route":"GET /x","claims":{"custom:t":[]}}]"#,
        #"[{"route":"GET /x","claims":{"custom:t":["a","a"]}}]"#, #"[{"route":"GET /x","claims":{"custom:t":[1]}}]"#,
        #"[{"route":"GET /x","claims":{"cognito:groups":["admins"]}}]"#, #"[{"route":"GET /x","claims":{"scope":["s"]}}]"#,
        #"[{"route":"GET /x","claims":{"client_id":["a"]}}]"#, #"[{"route":"GET /x","claims":{"":["a"]}}]"#,
        #"[{"route":"GET /x","client":["a"]}]"#,
        // An earlier clients rule admits that client's machine tokens; a later overlapping rule without clients refuses them.
        #"[{"route":"GET /x/a","clients":["a"],"scopes":["s"]},{"route":"GET /x/*","scopes":["s"]}]"#,
        // An earlier rule with fewer claim values than a later, overlapping one asks.
        #"[{"route":"GET /x/a"},{"route":"GET /x/*","claims":{"custom:t":["a"]}}]"#,
        #"[{"route":"GET /x/a","claims":{"custom:t":["a","b"]}},{"route":"GET /x/*","claims":{"custom:t":["a"]}}]"#,
    ])
    func badConditionsAreRefusedAtStartWithOneLine(_ text: String) {
        guard case .failure(let error) = AuthorizerConfig.fromEnvironment(["AUTHORIZER_RULES": text]) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.problems.count == 1)
        #expect(error.problems[0].hasPrefix("AUTHORIZER_RULES"), "\(error.problems)")
    }

    @Test func overlapsTheCachedPolicyCanSayAreAccepted() throws {
        _ = try rules(#"[{"route":"GET /x/a","clients":["a"],"scopes":["s"]},{"route":"GET /x/*","clients":["a","b"]}]"#)
        _ = try rules(#"[{"route":"GET /x/a","clients":["a"],"groups":["g"]},{"route":"GET /x/*","groups":["g","h"]}]"#)
        _ = try rules(#"[{"route":"GET /x/a","claims":{"custom:t":["a"],"custom:u":["b"]}},{"route":"GET /x/*","claims":{"custom:t":["a","c"]}}]"#)
    }

    /// The policy for a token is cached and reused for every route: for users and machine tokens of
    /// every client, tenants and groups, IAM on the policy decides each route like a fresh decision
    /// (bar the refusals IAM cannot write, none of which these routes have).
    @Test(arguments: [true, false])
    func cachedPoliciesAdmitNoRouteTheTokensConditionsDoNot(defaultAllows: Bool) throws {
        let rules = try rules(defaultAllows: defaultAllows)
        let base = Support.base
        let subjects = [
            subject(rules), subject(rules, client: Self.mobile, groups: ["admins"]), subject(rules, tenant: "acme"),
            subject(rules, client: Self.mobile, tenant: "globex"), subject(rules, tenant: "initech"),
            subject(rules, client: Self.service, machine: true, scopes: ["https://api.example.com/reports.read"]),
            subject(rules, client: Self.service, machine: true), subject(rules, client: "other", machine: true, scopes: ["https://api.example.com/reports.read"]),
            subject(rules, client: Self.service, scopes: ["https://api.example.com/reports.read"]),
        ]
        let paths = ["/", "/pets", "/internal", "/internal/jobs", "/web", "/web/x", "/tenants/acme", "/tenants/acme/x", "/tenants/globex/x", "/admin/x", "/x/internal/y"]
        for subject in subjects {
            let statements = rules.policy(base: base, subject)
            let answer = AuthorizerAnswer.policy(base: base, rules: rules, subject: subject, sub: "p", username: subject.isMachine ? nil : "u")
            let reference = AuthorizerAnswer.policy(
                principalId: "p", allow: statements.allow, deny: statements.deny,
                context: .init(
                    sub: "p", username: subject.isMachine ? nil : "u", clientId: subject.clientId, scope: subject.scopes.joined(separator: " "),
                    groups: subject.isMachine ? nil : AuthorizerAnswer.encodedGroups(subject.groups), tokenUse: "access",
                    principalType: subject.isMachine ? "machine" : "user"))
            #expect(answer == reference, "the fast writer and the statement lists agree")
            for method in RoutePattern.methods {
                for path in paths {
                    let expected = decide(rules, method, path, subject)
                    #expect(try Support.iamAllows(answer, arn: base + method + path) == expected, "\(subject) \(method) \(path)")
                }
            }
        }
    }

    @Test func machineTokensGetTheirOwnContextAndOnlyTheirRoutes() async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules])
        let token = Support.machineToken()
        let allowed = try object(try await endpoint.handle(Support.v2Event(token, method: "POST", path: "/internal/jobs"), context: Support.context()))
        #expect(allowed["isAuthorized"] as? Bool == true)
        let context = try #require(allowed["context"] as? [String: String])
        #expect(context == ["sub": Self.service, "client_id": Self.service, "scope": "https://api.example.com/reports.read",
                            "token_use": "access", "principal_type": "machine"])
        for (method, path) in [("GET", "/pets"), ("GET", "/admin/x"), ("GET", "/web/x"), ("GET", "/tenants/acme/x")] {
            let refused = try object(try await endpoint.handle(Support.v2Event(token, method: method, path: path), context: Support.context()))
            #expect(refused as NSDictionary == ["isAuthorized": false] as NSDictionary, "\(path)")
        }
        // A REST TOKEN authorizer's policy, cached for the token: only the service's routes.
        let policy = try await endpoint.handle(Support.tokenEvent(token, method: "GET", path: "/pets"), context: Support.context())
        #expect(try Support.iamAllows(policy, arn: Support.base + "POST/internal/jobs"))
        for (method, path) in [("GET", "/pets"), ("GET", "/admin/x"), ("GET", "/web/x"), ("PUT", "/tenants/acme/x")] {
            #expect(try !Support.iamAllows(policy, arn: Support.base + method + path), "\(path)")
        }
        let policyContext = try #require(try object(policy)["context"] as? [String: String])
        #expect(policyContext["principal_type"] == "machine" && policyContext["username"] == nil && policyContext["groups"] == nil)
        // A machine token of a client not listed for machine tokens never reaches the rules.
        #expect(await Support.isUnauthorized(endpoint, Support.tokenEvent(Support.machineToken(client: Self.mobile), method: "POST", path: "/internal/jobs")))
    }

    @Test func userTokensReportTheirOwnClientAndTenantRulesReadTheClaim() async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules])
        let mobile = Support.token(client: Self.mobile)
        let answer = try object(try await endpoint.handle(Support.v2Event(mobile, method: "GET", path: "/pets"), context: Support.context()))
        let context = try #require(answer["context"] as? [String: String])
        #expect(context["client_id"] == Self.mobile && context["principal_type"] == "user" && context["username"] == "alice")
        #expect(try object(try await endpoint.handle(Support.v2Event(mobile, method: "GET", path: "/web/x"), context: Support.context()))["isAuthorized"] as? Bool == false)
        for (claims, admitted) in [(#","custom:tenant":"acme""#, true), (#","custom:tenant":"\u0061cme""#, true), (#","custom:tenant":"initech""#, false),
                                   (#","custom:tenant":["acme"]"#, false), ("", false)] {
            let token = Support.token(extraClaims: claims)
            let simple = try object(try await endpoint.handle(Support.v2Event(token, method: "GET", path: "/tenants/acme/x"), context: Support.context()))
            #expect(simple["isAuthorized"] as? Bool == admitted, "\(claims)")
            // The policy cached for GET /pets, reused for the tenant's route.
            let cached = try await endpoint.handle(Support.tokenEvent(token, method: "GET", path: "/pets"), context: Support.context())
            #expect(try Support.iamAllows(cached, arn: Support.base + "GET/tenants/acme/x") == admitted, "\(claims)")
        }
    }

    /// Claim names the verifier's one-pass table holds (`custom:tenant`, `sub`) and one it cannot
    /// (a `K`: read by parsing the payload), through the handler: exact names and values either way.
    @Test func namedClaimsAreReadFromTheVerifiedPayloadOnly() async throws {
        let rules = #"[{"route":"GET /a/*","claims":{"custom:tenant":["acme"],"sub":["sub-1234"]}},{"route":"GET /k/*","claims":{"custom:Kind":["k"]}}]"#
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": rules])
        func allowed(_ claims: String, _ path: String) async throws -> Bool {
            let answer = try object(try await endpoint.handle(Support.v2Event(Support.token(extraClaims: claims), method: "GET", path: path), context: Support.context()))
            return answer["isAuthorized"] as? Bool == true
        }
        #expect(try await allowed(#","custom:tenant":"acme""#, "/a/x"))
        #expect(try await !allowed(#","custom:tenant":"acmé""#, "/a/x"))
        #expect(try await !allowed(#","custom:tenant":null"#, "/a/x"))
        #expect(try await allowed(#","custom:Kind":"k""#, "/k/x"))
        #expect(try await !allowed(#","custom:Kind":"k""#, "/k/x"))
        #expect(try await !allowed(#","custom:Kind":"K""#, "/k/x"))
    }

    @Test func claimNamesTheLocatorCannotTableAreReadExactlyToo() throws {
        let names = StringClaimNames(["custom:Kind", "custom:tenant"])
        let token = VerifiedAccessToken(
            sub: "s", username: "u", clientId: "c", exp: 0, claims: ["custom:Kind": .string("k"), "custom:tenant": .array([.string("a")])])
        #expect(token.stringClaims(names) == ["k", nil])
        #expect(token.stringClaims(StringClaimNames(["custom:\u{212A}ind"])) == [nil])
    }
}
