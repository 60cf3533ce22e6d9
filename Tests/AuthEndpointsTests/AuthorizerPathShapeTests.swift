import Foundation
import Testing

@testable import AuthEndpoints

/// Issue 24 (items 1, 2, 3, 5, 6, 12): the request shapes API Gateway and the backends behind it
/// read differently from a byte comparison. A Deny may over-match; an Allow may not.
@Suite struct AuthorizerPathShapeTests {
    typealias Support = AuthorizerTestSupport
    static let rules = #"[{"route":"GET /admin/*","groups":["admins"]},{"route":"ANY /reports/*","scopes":["reports/read"]},{"route":"DELETE /users","groups":["admins"]}]"#

    func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// A 2.0 event with every part given: the route ARN's stage, method and path, and the request's.
    static func event(
        _ token: String, arnStage: String = "$default", arnMethod: String, arnPath: String, method: String, rawPath: String, stage: String
    ) -> [UInt8] {
        Array(#"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:api1/\#(arnStage)/\#(arnMethod)\#(arnPath)","rawPath":"\#(rawPath)","headers":{"authorization":"Bearer \#(token)"},"requestContext":{"http":{"method":"\#(method)","path":"\#(rawPath)"},"stage":"\#(stage)"}}"#.utf8)
    }

    func allowed(_ endpoint: AuthorizerEndpoint, _ event: [UInt8]) async throws -> Bool {
        try object(try await endpoint.handle(event, context: Support.context()))["isAuthorized"] as? Bool == true
    }

    /// Item 1: a named stage is in `rawPath`; a mapping key is too; the ARN has neither.
    @Test(arguments: [true, false])
    func namedStagesAndMappingsDecideOnThePathWithinTheAPI(defaultAllows: Bool) async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules, "AUTHORIZER_DEFAULT": defaultAllows ? "allow" : "deny"])
        let user = Support.token(groups: ["users"])
        let admin = Support.token(groups: ["admins"])
        let shapes: [(rawPath: String, stage: String, arnStage: String)] = [
            ("/prod/admin/users", "prod", "prod"),  // named stage
            ("/v1/admin/users", "$default", "$default"),  // custom domain, mapping key v1
            ("/orders/v1/admin/users", "prod", "prod"),  // multi-level mapping key, named stage
        ]
        for shape in shapes {
            let event = { (token: String) in
                Self.event(token, arnStage: shape.arnStage, arnMethod: "GET", arnPath: "/admin/users", method: "GET", rawPath: shape.rawPath, stage: shape.stage)
            }
            #expect(try await !allowed(endpoint, event(user)), "\(shape)")
            #expect(try await allowed(endpoint, event(admin)), "\(shape)")
        }
        // A named stage with the `$default` route (no path in the ARN): the stage is taken off rawPath.
        let defaultRoute = { (token: String, rawPath: String) in
            Self.event(token, arnStage: "prod", arnMethod: "$default", arnPath: "", method: "GET", rawPath: rawPath, stage: "prod")
        }
        #expect(try await !allowed(endpoint, defaultRoute(user, "/prod/admin/users")))
        #expect(try await allowed(endpoint, defaultRoute(admin, "/prod/admin/users")))
        // A mapping key in front of a `$default`-route request: every tail may refuse.
        #expect(try await !allowed(endpoint, Self.event(user, arnMethod: "$default", arnPath: "", method: "GET", rawPath: "/v1/admin/users", stage: "$default")))
        // Whatever the stage, an ARN path and a rawPath that disagree: the ARN's route and every
        // tail of rawPath must both pass.
        #expect(try await !allowed(endpoint, Self.event(user, arnMethod: "GET", arnPath: "/pets", method: "GET", rawPath: "/admin/users", stage: "$default")))
    }

    /// Items 2 and 5: `/x` covers `/x/`, case variants and `HEAD` are refused where the rule
    /// refuses, other methods are covered by `ANY`, and the usual normalisation carriers are refused.
    @Test func trailingSlashesCaseMethodsAndCarriersAreRefusedWhereTheRuleRefuses() throws {
        let rules = try AuthorizerRules.parse(Self.rules, defaultAllows: true).get()
        func decide(_ method: String, _ path: String, groups: [String] = ["users"], scopes: [String] = []) -> Bool {
            rules.decide(method: ArraySlice(method.utf8), path: ArraySlice(path.utf8), groups: groups, scopes: scopes).allowed
        }
        for (method, path) in [
            ("DELETE", "/users/"), ("GET", "/admin"), ("GET", "/admin/"), ("GET", "/ADMIN/x"), ("GET", "/Admin/x"), ("get", "/admin/x"),
            ("HEAD", "/admin/x"), ("head", "/admin/x"), ("PROPFIND", "/reports/x"), ("propfind", "/reports/x"), ("delete", "/USERS"),
            ("GET", "/admin;x=1/y"), ("GET", "/..;/admin/x"), ("GET", "/x\\..\\admin"), ("GET", "/admin./x"), ("GET", "/admin/x."),
            ("GET", "/REPORTS/x"), ("GET", "/v1/reports/x"),  // ANY's path anywhere, as its IAM Deny `*/reports/*` is
        ] {
            #expect(!decide(method, path), "\(method) \(path)")
        }
        // What the rules admit stays admitted, and a route no rule covers keeps the default.
        #expect(decide("GET", "/admin/x", groups: ["admins"]))
        #expect(decide("HEAD", "/admin/x", groups: ["admins"]))
        #expect(decide("DELETE", "/users/", groups: ["admins"]))
        #expect(decide("PROPFIND", "/reports/x", scopes: ["reports/read"]))
        #expect(decide("GET", "/pets/"))
        #expect(decide("GET", "/administrators"))
        #expect(decide("POST", "/admin/x"))
        // An Allow never over-matches: under `deny`, only the rule's own route (exact bytes) is allowed.
        let denying = try AuthorizerRules.parse(#"[{"route":"GET /reports/*","scopes":["r"]}]"#, defaultAllows: false).get()
        func strict(_ method: String, _ path: String) -> Bool {
            denying.decide(method: ArraySlice(method.utf8), path: ArraySlice(path.utf8), groups: [], scopes: ["r"]).allowed
        }
        #expect(strict("GET", "/reports/x"))
        #expect(strict("HEAD", "/reports/x"))
        for (method, path) in [("GET", "/REPORTS/x"), ("get", "/reports/x"), ("GET", "/reports"), ("POST", "/reports/x")] {
            #expect(!strict(method, path), "\(method) \(path)")
        }
    }

    /// Items 2 and 3: rules that would read one way and match another are refused at start, with
    /// what to write instead.
    @Test(arguments: [
        ("DELETE /users/{id}", "DELETE /users/*"), ("ANY /admin/{proxy+}", "ANY /admin/*"), ("GET /files/${aws:username}/*", "literal path"),
        ("GET /admin/", "covers both"), ("GET /a;b", "letters, digits"), ("GET /a\\b", "letters, digits"), ("GET /a./b", "ending in ."),
        ("GET /a b", "one space"), ("GET /a\"b", "letters, digits"),
    ])
    func routeSyntaxAndTrailingSlashesAreRefusedAtStart(route: String, hint: String) {
        let text = #"[{"route":"\#(route.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))","groups":["g"]}]"#
        guard case .failure(let error) = AuthorizerRules.parse(text, defaultAllows: true) else {
            Issue.record("\(route) was accepted")
            return
        }
        #expect(error.description.contains(hint), "\(error.description)")
        #expect(!error.description.contains("\n"))
    }

    /// Item 6: a policy answer to a `$default`-route ARN never admits a route a rule refuses from
    /// the cache; a token every rule admits keeps it.
    @Test func defaultRouteArnsAreAdmittedOnlyToTokensEveryRuleAdmits() async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules, "AUTHORIZER_RESPONSE": "policy"])
        let defaultArn = "arn:aws:execute-api:us-east-1:123456789012:api1/$default/$default"
        let user = Support.token(groups: ["users"])
        let userAnswer = try await endpoint.handle(
            Self.event(user, arnMethod: "$default", arnPath: "", method: "GET", rawPath: "/pets", stage: "$default"), context: Support.context())
        #expect(try !Support.iamAllows(userAnswer, arn: defaultArn))
        #expect(try Support.iamAllows(userAnswer, arn: "arn:aws:execute-api:us-east-1:123456789012:api1/$default/GET/pets"))
        let everything = Support.token(groups: ["admins"], scope: "reports/read")
        let answer = try await endpoint.handle(
            Self.event(everything, arnMethod: "$default", arnPath: "", method: "GET", rawPath: "/admin/x", stage: "$default"), context: Support.context())
        #expect(try Support.iamAllows(answer, arn: defaultArn))
        // Simple answers decide on the request itself.
        let simple = try Support.endpoint(["AUTHORIZER_RULES": Self.rules])
        #expect(try await !allowed(simple, Self.event(user, arnMethod: "$default", arnPath: "", method: "GET", rawPath: "/admin/x", stage: "$default")))
        #expect(try await allowed(simple, Self.event(user, arnMethod: "$default", arnPath: "", method: "GET", rawPath: "/pets", stage: "$default")))
    }

    /// Item 12: group names holding `,` or `%` are encoded, so the list splits back exactly.
    @Test func groupsContextSplitsBackExactly() async throws {
        let groups = ["a,b", "100%", "c", "%2C"]
        let encoded = AuthorizerAnswer.encodedGroups(groups)
        #expect(encoded == "a%2Cb,100%25,c,%252C")
        let decoded = encoded.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(of: "%25", with: "%")
        }
        #expect(decoded == groups)
        #expect(AuthorizerAnswer.encodedGroups(["admins", "users"]) == "admins,users")
        let endpoint = try Support.endpoint()
        let answer = try object(try await endpoint.handle(Support.v2Event(Support.token(groups: groups), method: "GET", path: "/pets"), context: Support.context()))
        #expect((answer["context"] as? [String: String])?["groups"] == encoded)
    }
}
