import AuthCore
import Foundation
import LambdaKit
import LocalHarness
import Testing

@testable import AuthEndpoints

/// Decisions through the real handler: event bytes in, answer bytes out, tokens signed by the
/// fixed test keys and verified against a preloaded JWKS (no network).
@Suite struct AuthorizerDecisionTests {
    typealias Support = AuthorizerTestSupport
    static let rules = #"[{"route":"GET /admin/*","groups":["admins"]},{"route":"ANY /reports/*","scopes":["reports/read"]}]"#

    func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func simpleAnswersAllowWithStringContextAndRefuseByRule() async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules])
        let token = Support.token()
        let allowed = try object(try await endpoint.handle(Support.v2Event(token, method: "GET", path: "/pets"), context: Support.context()))
        #expect(allowed["isAuthorized"] as? Bool == true)
        let context = try #require(allowed["context"] as? [String: String])
        #expect(context == ["sub": "sub-1234", "username": "alice", "client_id": Support.clientId,
                            "scope": "aws.cognito.signin.user.admin", "groups": "users", "token_use": "access", "principal_type": "user"])
        #expect(!String(decoding: try await endpoint.handle(Support.v2Event(token, method: "GET", path: "/pets"), context: Support.context()), as: UTF8.self).contains(token))
        for path in ["/admin/x", "/reports/1"] {
            let refused = try object(try await endpoint.handle(Support.v2Event(token, method: "GET", path: path), context: Support.context()))
            #expect(refused as NSDictionary == ["isAuthorized": false] as NSDictionary)
        }
        let admin = Support.token(groups: ["admins", "users"])
        #expect(try object(try await endpoint.handle(Support.v2Event(admin, method: "GET", path: "/admin/x"), context: Support.context()))["isAuthorized"] as? Bool == true)
    }

    @Test func invalidTokensNeverGetAllow() async throws {
        let simple = try Support.endpoint()
        let policy = try Support.endpoint(["AUTHORIZER_RESPONSE": "policy"])
        let valid = Support.token()
        let parts = valid.split(separator: ".").map(String.init)
        let forgedPayload = Support.base64url(Array(#"{"sub":"x","cognito:groups":["admins"],"iss":"\#(Support.issuer)","client_id":"\#(Support.clientId)","token_use":"access","scope":"","exp":9999999999,"iat":1,"username":"mallory"}"#.utf8))
        let refused: [String?] = [
            nil, "", Support.token(exp: Date().timeIntervalSince1970 - 3600), Support.token(tokenUse: "id"),
            Support.token(key: 1),  // another key under the trusted kid
            parts[0] + "." + forgedPayload + "." + parts[2],  // claims changed, signature kept
            parts[0] + "." + parts[1] + ".",  // no signature
            "eyJhbGciOiJub25lIn0." + parts[1] + ".",  // alg none
            valid + " extra",
        ]
        for token in refused {
            for event in [Support.v2Event(token, method: "GET", path: "/pets")] {
                let answer = try object(try await simple.handle(event, context: Support.context()))
                #expect(answer["isAuthorized"] as? Bool == false)
                #expect(await Support.isUnauthorized(policy, event))
            }
            #expect(await Support.isUnauthorized(policy, Support.tokenEvent(token, method: "GET", path: "/pets")))
        }
        // Two Authorization headers, and repeated members, are refused too.
        let twoHeaders = Array(#"{"type":"REQUEST","methodArn":"\#(Support.base)GET/pets","headers":{"Authorization":"Bearer \#(valid)","authorization":"Bearer \#(valid)"}}"#.utf8)
        #expect(await Support.isUnauthorized(policy, twoHeaders))
        let repeated = Array(#"{"type":"TOKEN","authorizationToken":"Bearer \#(valid)","methodArn":"\#(Support.base)GET/pets","methodArn":"\#(Support.base)GET/admin"}"#.utf8)
        #expect(await Support.isUnauthorized(policy, repeated))
        let kelvin = Array(#"{"type":"TO\u212AEN","authorizationToken":"Bearer \#(valid)","methodArn":"\#(Support.base)GET/pets"}"#.utf8)
        #expect(await Support.isUnauthorized(policy, kelvin))
        // And the valid token is allowed, so the refusals above are the token's.
        #expect(try Support.iamAllows(try await policy.handle(Support.tokenEvent(valid, method: "GET", path: "/pets"), context: Support.context()), arn: Support.base + "GET/pets"))
    }

    /// The event's fields are read as ranges of its bytes unless written with escapes, when they
    /// are decoded: an escaped spelling is the same JSON string, so it gets the same answer.
    @Test func escapedEventFieldsAreDecidedLikePlainOnes() async throws {
        let simple = try Support.endpoint(["AUTHORIZER_RULES": Self.rules])
        let policy = try Support.endpoint(["AUTHORIZER_RULES": Self.rules, "AUTHORIZER_RESPONSE": "policy"])
        func escaped(_ event: [UInt8]) -> [UInt8] {
            var text = String(decoding: event, as: UTF8.self)
            for (plain, spelled) in [("\"Bearer ", #""Bearer\u0020"#), ("\"REQUEST\"", #""REQU\u0045ST""#), ("\"TOKEN\"", #""T\u004fKEN""#),
                                     ("\"2.0\"", #""2\u002e0""#), ("\"GET\"", #""G\u0045T""#), ("/admin", #"\/admin"#), ("/pets", #"\/pets"#)] {
                text = text.replacingOccurrences(of: plain, with: spelled)
            }
            #expect(Array(text.utf8) != event)
            return Array(text.utf8)
        }
        for groups in [["users"], ["admins"]] {
            let token = Support.token(groups: groups)
            for path in ["/pets", "/admin/x"] {
                let event = Support.v2Event(token, method: "GET", path: path)
                let plainAnswer = try await simple.handle(event, context: Support.context())
                #expect(try await simple.handle(escaped(event), context: Support.context()) == plainAnswer, "\(groups) \(path)")
                let allowed = try object(plainAnswer)["isAuthorized"] as? Bool
                #expect(allowed == (path == "/pets" || groups.contains("admins")), "the case is not vacuous")
                let tokenEvent = Support.tokenEvent(token, method: "GET", path: path)
                #expect(try await policy.handle(escaped(tokenEvent), context: Support.context())
                    == (try await policy.handle(tokenEvent, context: Support.context())))
            }
        }
        // A REST REQUEST event repeats its header in `multiValueHeaders`: the same value spelled
        // two ways is one value (one header), so the event is decided, not refused as two headers.
        let token = Support.token()
        let rest = Array(#"{"type":"REQUEST","methodArn":"\#(Support.base)GET/pets","headers":{"Authorization":"Bearer\u0020\#(token)"},"multiValueHeaders":{"Authorization":["Bearer \#(token)"]}}"#.utf8)
        #expect(try Support.iamAllows(try await policy.handle(rest, context: Support.context()), arn: Support.base + "GET/pets"))
    }

    /// API Gateway caches a TOKEN authorizer's policy per token and applies it to every route:
    /// the answer to GET /pets, reused for other routes, must decide each like a fresh call.
    @Test func aCachedPolicyIsRightForEveryOtherRoute() async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules])
        for groups in [["users"], ["admins"]] {
            let token = Support.token(groups: groups)
            let cached = try await endpoint.handle(Support.tokenEvent(token, method: "GET", path: "/pets"), context: Support.context())
            for (method, path) in [("GET", "/pets"), ("GET", "/admin/users"), ("POST", "/admin/users"), ("DELETE", "/reports/1"), ("GET", "/"), ("GET", "/%61dmin/users")] {
                let fresh = try await endpoint.handle(Support.tokenEvent(token, method: method, path: path), context: Support.context())
                let arn = Support.base + method + path
                let expected = try Support.iamAllows(fresh, arn: arn)
                #expect(try Support.iamAllows(cached, arn: arn) == expected, "\(groups) \(method) \(path)")
                #expect(fresh == cached, "the policy depends on the token only")
            }
            #expect(try Support.iamAllows(cached, arn: Support.base + "GET/admin/users") == groups.contains("admins"))
            #expect(try !Support.iamAllows(cached, arn: Support.base + "PUT/reports/1"))
        }
    }

    @Test func policyAnswersHaveTheAWSShape() async throws {
        let endpoint = try Support.endpoint(["AUTHORIZER_RULES": Self.rules, "AUTHORIZER_RESPONSE": "policy"])
        let answer = try object(try await endpoint.handle(Support.v2Event(Support.token(), method: "GET", path: "/admin/x"), context: Support.context()))
        #expect(answer["principalId"] as? String == "sub-1234")
        let document = try #require(answer["policyDocument"] as? [String: Any])
        #expect(document["Version"] as? String == "2012-10-17")
        let statements = try #require(document["Statement"] as? [[String: Any]])
        #expect(statements.map { $0["Effect"] as? String } == ["Allow", "Deny"])
        #expect(statements.allSatisfy { $0["Action"] as? String == "execute-api:Invoke" })
        let base = "arn:aws:execute-api:us-east-1:123456789012:api1/$default/"
        #expect(statements[0]["Resource"] as? [String] == [base + "*"])
        #expect((statements[1]["Resource"] as? [String])?.first == base + "GET/admin/*")
        #expect((answer["context"] as? [String: Any])?.values.allSatisfy { $0 is String } == true)
    }

    @Test func sharedAuthorizerFixturesAreRead() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = root.deletingLastPathComponent().appendingPathComponent("shared/fixtures/apigateway")
        guard FileManager.default.fileExists(atPath: directory.path) else {
            print("skipped: \(directory.path) is absent (the ../shared test data)")
            return
        }
        let expected: [(String, AuthorizerEvent.Family, String)] = [
            ("apigw-custom-auth-request.json", .restToken, "arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/"),
            ("apigw-custom-auth-request-type-request.json", .restRequest, "arn:aws:execute-api:us-east-1:123456789012:s4x3opwd6i/test/GET/request"),
            ("apigw-v2-custom-authorizer-v2-request.json", .httpV2, "arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request"),
        ]
        for (file, family, arn) in expected {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            let event = try AuthorizerEvent.read(bytes)
            #expect(event.family == family, "\(file)")
            #expect(event.bytes(event.arn).elementsEqual(arn.utf8))
            #expect(ExecuteAPIArn.parse(event.bytes(event.arn)) != nil)
        }
        // The fixtures carry no bearer token ("allow", no Authorization header): refused.
        #expect(throws: CredentialFailure.self) { try BearerCredential.token(headerValues: ["allow"]) }
    }

    /// The binary in both modes: Unauthorized is `/error` with errorMessage "Unauthorized" in
    /// Lambda mode (a real loopback Runtime API), the same object on stdout and exit 3 in stdin mode.
    @Test(arguments: [InvocationMode.lambda, .stdin])
    func unauthorizedIsAFunctionErrorInBothModes(mode: InvocationMode) async throws {
        let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = URL(fileURLWithPath: binary).deletingLastPathComponent()
        while directory.pathExtension == "xctest" || ["MacOS", "Contents"].contains(directory.lastPathComponent) {
            directory = directory.deletingLastPathComponent()
        }
        let executable = directory.appendingPathComponent("authorizer").path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build the authorizer first: \(executable)")
        let result = try await FunctionInvoker(executable: executable).invoke(
            event: Support.tokenEvent(Support.token(key: 1), method: "GET", path: "/pets"),
            environment: Support.environment, mode: mode)
        let error = try object(try #require(result.functionError, "\(result.failure ?? "") \(String(decoding: result.logs, as: UTF8.self))"))
        #expect(error["errorMessage"] as? String == "Unauthorized")
        #expect(error["errorType"] as? String == "Unauthorized")
        #expect(result.payload == nil)
        let logs = String(decoding: result.logs, as: UTF8.self)
        #expect(logs.contains("bad_signature"))
        let valid = try await FunctionInvoker(executable: executable).invoke(
            event: Support.tokenEvent(Support.token(), method: "GET", path: "/pets"), environment: Support.environment, mode: mode)
        #expect(try object(try #require(valid.payload))["principalId"] as? String == "sub-1234")
    }
}
