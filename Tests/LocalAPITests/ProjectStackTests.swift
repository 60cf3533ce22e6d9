import Foundation
@testable import LocalAPI
import NIOHTTP1
import Testing

/// The project's own template.yaml served through the real executables.
@Suite("Local API: the project's template", .serialized)
struct ProjectStackTests {
    @Test func everyRouteOfTheTemplateRunsItsFunction() async throws {
        try await LocalAPIFixture.with { fixture in
            let routes = fixture.api.stack.routes
            #expect(routes.count >= 5)
            for route in routes {
                let method = HTTPMethod(rawValue: route.method)
                let answer = try await fixture.send(method, route.path, headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
                if route.authorizer != nil {
                    // Without a token the authorizer refuses, and API Gateway answers itself.
                    #expect(answer.status == 401, "\(route.routeKey)")
                    #expect(answer.text == #"{"message":"Unauthorized"}"#, "\(route.routeKey)")
                    continue
                }
                // Each handler answers (a refusal for this empty request), never API Gateway's 404.
                #expect(answer.status != 404, "\(route.routeKey)")
                #expect(answer.headers.first(name: "Cache-Control") == "no-store", "\(route.routeKey) answered by \(route.functionId)")
                #expect(answer.headers.first(name: "apigw-requestid") != nil)
                #expect(fixture.logLines.all.contains { $0.hasPrefix("\(route.method) \(route.path) \(answer.status) \(route.functionId) ") })
            }
        }
    }

    @Test func signInMeRefreshLogoutWithTheCookie() async throws {
        try await LocalAPIFixture.with { fixture in
            let origin = "http://localhost:\(fixture.api.port)"
            let verifier = String(repeating: "v", count: 43)
            let code = try await fixture.authorizationCode(verifier: verifier, redirectURI: origin + "/callback")
            let signIn = try await fixture.send(
                .POST, "/auth/sign-in", headers: [("Content-Type", "application/json"), ("X-Requested-With", "fetch"), ("Origin", origin)],
                body: Array(#"{"code":"\#(code)","code_verifier":"\#(verifier)"}"#.utf8))
            #expect(signIn.status == 200, "\(signIn.text)")
            #expect(signIn.headers.first(name: "Access-Control-Allow-Origin") == origin)
            #expect(signIn.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            let token = try #require(try signIn.json()["access_token"] as? String)
            let setCookie = try #require(signIn.headers["Set-Cookie"].first { $0.hasPrefix("__Host-refresh_token=") })
            #expect(setCookie.contains("HttpOnly"))
            let cookie = String(setCookie.split(separator: ";")[0])

            let me = try await fixture.send(.GET, "/auth/me", headers: [("Authorization", "Bearer \(token)")])
            #expect(me.status == 200)
            #expect(try me.json()["username"] as? String == "demo")

            let refresh = try await fixture.send(
                .POST, "/auth/refresh", headers: [("Cookie", cookie), ("Origin", origin), ("X-Requested-With", "fetch")])
            #expect(refresh.status == 200, "\(refresh.text)")
            let refreshed = try #require(try refresh.json()["access_token"] as? String)
            #expect(refreshed != token)

            let foreign = try await fixture.send(
                .POST, "/auth/refresh", headers: [("Cookie", cookie), ("Origin", "https://evil.example"), ("X-Requested-With", "fetch")])
            #expect(foreign.status == 403)
            #expect(foreign.headers.first(name: "Access-Control-Allow-Origin") == nil)

            let logout = try await fixture.send(
                .POST, "/auth/logout",
                headers: [("Authorization", "Bearer \(refreshed)"), ("Cookie", cookie), ("Origin", origin), ("X-Requested-With", "fetch")])
            #expect(logout.status == 200, "\(logout.text)")
            let after = try await fixture.send(.GET, "/auth/me", headers: [("Authorization", "Bearer \(refreshed)")])
            #expect(after.status == 403)
        }
    }

    /// The template's protected example route through the real authorizer executable.
    @Test func theProtectedRouteRunsTheAuthorizerFirst() async throws {
        let rules = #"[{"route":"GET /example/admin/*","groups":["admins"]}]"#
        try await LocalAPIFixture.with(parameterOverrides: ["AuthorizerRules": rules]) { fixture in
            let token = try await fixture.signIn().accessToken
            guard let route = fixture.api.stack.routes.first(where: { $0.authorizer != nil }) else {
                Issue.record("the template has no route behind the authorizer")
                return
            }
            let allowed = try await fixture.send(HTTPMethod(rawValue: route.method), route.path, headers: [("Authorization", "Bearer \(token)")])
            #expect(allowed.status == 200, "\(allowed.text)")
            let caller = try #require(try allowed.json()["caller"] as? [String: Any])
            #expect(caller["username"] as? String == "demo")
            #expect(caller["groups"] as? String == "users")
            #expect(caller["token_use"] as? String == "access")
            #expect(caller["principal_type"] as? String == "user")

            // A forged token: the signature of another payload.
            let parts = token.split(separator: ".")
            let forged = parts[0] + "." + parts[1].dropLast(2) + "AA." + parts[2]
            let refused = try await fixture.send(HTTPMethod(rawValue: route.method), route.path, headers: [("Authorization", "Bearer \(forged)")])
            // Simple responses: the authorizer says isAuthorized false, which API Gateway answers
            // 403 (a missing identity source is its 401, checked in the first test).
            #expect(refused.status == 403)
            #expect(refused.text == #"{"message":"Forbidden"}"#)
        }
    }

    @Test func aGroupRuleRefusesAValidTokenOutsideTheGroup() async throws {
        let rules = #"[{"route":"ANY /example/*","groups":["admins"]}]"#
        try await LocalAPIFixture.with(parameterOverrides: ["AuthorizerRules": rules]) { fixture in
            let token = try await fixture.signIn().accessToken
            let route = try #require(fixture.api.stack.routes.first(where: { $0.authorizer != nil }))
            let refused = try await fixture.send(HTTPMethod(rawValue: route.method), route.path, headers: [("Authorization", "Bearer \(token)")])
            #expect(refused.status == 403, "the demo user is in users, not admins: \(refused.text)")
        }
    }

    @Test func corsPreflightAndActualRequests() async throws {
        try await LocalAPIFixture.with { fixture in
            let allowed = "http://127.0.0.1:\(fixture.api.port)"
            let preflight = try await fixture.send(
                .OPTIONS, "/auth/refresh",
                headers: [("Origin", allowed), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "x-requested-with")])
            #expect(preflight.status == 204)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == allowed)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods") == "GET,POST,OPTIONS")
            #expect(preflight.headers.first(name: "Access-Control-Allow-Headers") == "authorization,content-type,x-requested-with")
            #expect(preflight.headers.first(name: "Access-Control-Max-Age") == "600")
            // No function ran for the preflight.
            #expect(fixture.logLines.all.last?.contains("(preflight)") == true)

            let foreign = try await fixture.send(
                .OPTIONS, "/auth/refresh", headers: [("Origin", "http://localhost:1"), ("Access-Control-Request-Method", "POST")])
            #expect(foreign.status == 204)
            #expect(foreign.headers.first(name: "Access-Control-Allow-Origin") == nil)
            // Byte-exact: a differently cased origin is another origin.
            let cased = try await fixture.send(
                .OPTIONS, "/auth/me", headers: [("Origin", allowed.uppercased()), ("Access-Control-Request-Method", "GET")])
            #expect(cased.headers.first(name: "Access-Control-Allow-Origin") == nil)

            let actual = try await fixture.send(.GET, "/auth/me", headers: [("Origin", allowed)])
            #expect(actual.status == 403)
            #expect(actual.headers.first(name: "Access-Control-Allow-Origin") == allowed)
            let actualForeign = try await fixture.send(.GET, "/auth/me", headers: [("Origin", "https://evil.example")])
            #expect(actualForeign.headers.first(name: "Access-Control-Allow-Origin") == nil)
            #expect(actualForeign.headers.first(name: "Access-Control-Allow-Credentials") == nil)
        }
    }

    @Test func unknownRoutesAndOversizedBodies() async throws {
        try await LocalAPIFixture.with { fixture in
            let missing = try await fixture.send(.GET, "/nope")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"message":"Not Found"}"#)
            let wrongMethod = try await fixture.send(.DELETE, "/auth/me")
            #expect(wrongMethod.status == 404)
            let big = try await fixture.send(
                .POST, "/auth/sign-in", headers: [("Content-Type", "application/json")], body: [UInt8](repeating: 0x20, count: 10 * 1024 * 1024 + 1))
            #expect(big.status == 413)
            #expect(big.text == #"{"message":"Request Entity Too Large"}"#)
        }
    }

    /// The project's template read as `local-api serve` reads it (no processes): what it serves
    /// locally, and the deploy-time Rules checked against what would be deployed.
    func readProjectTemplate(_ overrides: [String: String] = [:]) throws -> StackDescription {
        let root = LocalAPIFixture.packageRoot
        var reader = StackReader(template: try TemplateLoader.load(path: root.appendingPathComponent("template.yaml").path))
        reader.localParameterDefaults = LocalAPI.localParameterDefaults(port: 3000)
        reader.parameterOverrides = overrides
        reader.cognitoEnvironment = ["COGNITO_USER_POOL_ID": "us-east-1_Emu"]
        return try reader.read()
    }

    @Test func theTemplateServesLocallyWithOneOriginAndTheExampleRoute() throws {
        let stack = try readProjectTemplate()
        // The app and the API share the local origin, as on a custom domain: Strict works.
        for function in stack.functions.values {
            #expect(function.environment["AUTH_REFRESH_COOKIE_SAMESITE"] == "Strict", "\(function.logicalId)")
        }
        // DeployExample is on locally; the authorizer is the live alias of AuthorizerFunction.
        let example = try #require(stack.routes.first { $0.path == "/example/whoami" })
        let authorizer = try #require(stack.apis["HttpApi"]?.authorizers[example.authorizer ?? ""])
        #expect(authorizer.functionId == "AuthorizerFunction")
        // The local defaults are not what CloudFormation would see: no rule fires.
        #expect(!stack.warnings.contains { $0.hasPrefix("rule ") }, "\(stack.warnings)")
        // Deploy-only function properties are named once each, not once per function.
        let aliasLines = stack.warnings.filter { $0.contains("AutoPublishAlias") }
        #expect(aliasLines.count == 1, "\(stack.warnings)")
    }

    @Test func theCookieRuleRefusesStrictWithoutACustomDomain() throws {
        let strict = try readProjectTemplate(["RefreshCookieSameSite": "Strict"])
        #expect(strict.warnings.contains { $0.hasPrefix("rule CookieSessionNeedsCustomDomain:") }, "\(strict.warnings)")
        let body = try readProjectTemplate(["RefreshCookieSameSite": "Strict", "RefreshTokenDelivery": "body"])
        #expect(!body.warnings.contains { $0.hasPrefix("rule ") })
        // Without the local default the example route is not deployed.
        let noExample = try readProjectTemplate(["DeployExample": "false"])
        #expect(!noExample.routes.contains { $0.path == "/example/whoami" })
    }

    @Test func aRouteAddedToACopyOfTheTemplateIsServed() async throws {
        let root = LocalAPIFixture.packageRoot
        var text = try String(contentsOf: root.appendingPathComponent("template.yaml"), encoding: .utf8)
        let anchor = "      Events:\n        Me:\n"
        #expect(text.contains(anchor))
        text = text.replacingOccurrences(of: anchor, with: """
                  Events:
                    MeAgain:
                      Type: HttpApi
                      Properties:
                        ApiId: !Ref HttpApi
                        Path: /auth/me-too
                        Method: GET
                    Me:

            """)
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(UUID().uuidString).yaml")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: copy) }
        try await LocalAPIFixture.with(template: copy.path) { fixture in
            let token = try await fixture.accessToken()
            let answer = try await fixture.send(.GET, "/auth/me-too", headers: [("Authorization", "Bearer \(token)")])
            #expect(answer.status == 200)
            #expect(try answer.json()["username"] as? String == "demo")
            #expect(fixture.logLines.all.contains { $0.hasPrefix("GET /auth/me-too 200 MeFunction ") })
        }
    }
}
