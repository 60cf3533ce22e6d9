import Foundation
@testable import LocalAPI
import Testing

@Suite("Template reading")
struct TemplateReadingTests {
    func read(_ yaml: String, overrides: [String: String] = [:]) throws -> StackDescription {
        var reader = StackReader(template: try TemplateLoader.parse(yaml))
        reader.parameterOverrides = overrides
        reader.cognitoEnvironment = ["COGNITO_USER_POOL_ID": "us-east-1_Emu"]
        return try reader.read()
    }

    @Test func shortFormTagsBecomeLongForm() throws {
        let value = try TemplateLoader.parse("""
            A: !Ref X
            B: !GetAtt Fn.Arn
            C: !Sub "${X}-x"
            D: !If [Cond, 1, 2]
            E: !Condition Cond
            F: !Join [",", [a, b]]
            """)
        #expect(value["A"] == .map(["Ref": .scalar("X")]))
        #expect(value["B"] == .map(["Fn::GetAtt": .list([.scalar("Fn"), .scalar("Arn")])]))
        #expect(value["C"] == .map(["Fn::Sub": .scalar("${X}-x")]))
        #expect(value["D"]?["Fn::If"]?.items?.count == 3)
        #expect(value["E"] == .map(["Condition": .scalar("Cond")]))
        #expect(value["F"]?["Fn::Join"] != nil)
    }

    @Test func unknownTagsAndDuplicateKeysAreErrors() {
        #expect(throws: LocalAPIError.self) { try TemplateLoader.parse("A: !Bogus x") }
        #expect(throws: (any Error).self) { try TemplateLoader.parse("A: 1\nA: 2") }
    }

    static let small = """
        Parameters:
          Name: {Type: String, Default: world}
          Origins: {Type: CommaDelimitedList, Default: "http://a.example,http://b.example"}
          Mode: {Type: String, Default: x, AllowedValues: [x, y]}
        Conditions:
          IsY: !Equals [!Ref Mode, y]
          NotY: !Not [!Condition IsY]
          Both: !And [!Condition NotY, !Equals [!Ref Name, world]]
        Globals:
          Function:
            Timeout: 7
            Environment:
              Variables:
                SHARED: !Sub "${Name}@${AWS::Region}"
                OWN: global
                COGNITO_USER_POOL_ID: !Ref Pool
        Resources:
          Pool: {Type: AWS::Cognito::UserPool}
          FnExeFunction:
            Type: AWS::Serverless::Function
            Properties:
              MemorySize: 512
              Environment:
                Variables:
                  OWN: mine
                  PICK: !Select [1, !Ref Origins]
                  SPLIT: !Select [0, !Split ["/", "a/b"]]
                  BOTH: !If [Both, "yes", "no"]
                  GONE: !If [IsY, "y", !Ref AWS::NoValue]
                  JOINED: !Join ["|", !Ref Origins]
              Events:
                Get: {Type: HttpApi, Properties: {Path: "/things/{id}", Method: get}}
                Queue: {Type: SQS, Properties: {Queue: q}}
        """

    @Test func parametersConditionsAndGlobals() throws {
        let stack = try read(Self.small)
        let function = try #require(stack.functions["FnExeFunction"])
        #expect(function.executableName == "fn-exe")
        #expect(function.timeoutSeconds == 7)
        #expect(function.memorySize == 512)
        #expect(function.environment["SHARED"] == "world@us-east-1")
        #expect(function.environment["OWN"] == "mine")
        #expect(function.environment["PICK"] == "http://b.example")
        #expect(function.environment["SPLIT"] == "a")
        #expect(function.environment["BOTH"] == "yes")
        #expect(function.environment["GONE"] == nil)
        #expect(function.environment["JOINED"] == "http://a.example|http://b.example")
        #expect(function.environment["COGNITO_USER_POOL_ID"] == "us-east-1_Emu")
        #expect(stack.routes.map(\.routeKey) == ["GET /things/{id}"])
        #expect(stack.warnings.contains { $0.contains("event Queue of type SQS is not served") })
        #expect(stack.emulated == ["Pool"])
    }

    @Test func overridesAreValidated() throws {
        let stack = try read(Self.small, overrides: ["Mode": "y"])
        #expect(stack.functions["FnExeFunction"]?.environment["GONE"] == "y")
        #expect(throws: LocalAPIError.self) { try read(Self.small, overrides: ["Mode": "z"]) }
        #expect(throws: LocalAPIError.self) { try read(Self.small, overrides: ["Nope": "1"]) }
    }

    @Test func aFunctionNotNamedForAnExecutableIsAWarning() throws {
        let stack = try read(Self.small.replacingOccurrences(of: "FnExeFunction:", with: "Fn:"))
        #expect(stack.functions.isEmpty)
        #expect(stack.warnings.contains { $0.contains("function Fn: the logical id is not an executable's name") })
    }

    /// The one naming rule, as scripts/functions applies it with sed.
    @Test func logicalIdsNameTheExecutables() {
        #expect(FunctionExecutable.name(logicalId: "SignInFunction") == "sign-in")
        #expect(FunctionExecutable.name(logicalId: "MeFunction") == "me")
        #expect(FunctionExecutable.name(logicalId: "ProtectedExampleFunction") == "protected-example")
        #expect(FunctionExecutable.name(logicalId: "RevocationSinkFunction") == "revocation-sink")
        #expect(FunctionExecutable.name(logicalId: "OAuth2Function") == "oauth2")
        #expect(FunctionExecutable.name(logicalId: "Function") == nil)
        #expect(FunctionExecutable.name(logicalId: "HttpApi") == nil)
        #expect(FunctionExecutable.name(logicalId: "lowerFunction") == nil)
        #expect(FunctionExecutable.name(logicalId: "Sign_InFunction") == nil)
    }

    @Test func theProjectTemplateIsReadWithItsRoutes() throws {
        let root = LocalAPIFixture.packageRoot
        var reader = StackReader(
            template: try TemplateLoader.load(path: root.appendingPathComponent("template.yaml").path))
        reader.localParameterDefaults = LocalAPI.localParameterDefaults(port: 4321)
        let stack = try reader.read()
        let keys = Set(stack.routes.map(\.routeKey))
        for key in ["POST /auth/sign-in", "GET /auth/me", "POST /auth/refresh", "GET /auth/logout", "POST /auth/logout"] {
            #expect(keys.contains(key))
        }
        #expect(stack.functions["MeFunction"]?.executableName == "me")
        #expect(stack.functions["MeFunction"]?.timeoutSeconds == 10)
        #expect(stack.functions["SignInFunction"]?.environment["AUTH_ALLOWED_ORIGINS"] == "http://localhost:4321,http://127.0.0.1:4321")
        #expect(stack.functions["MeFunction"]?.environment["COGNITO_CLIENT_SECRET"] == nil)
        let cors = try #require(stack.apis["HttpApi"]?.cors)
        #expect(cors.allowOrigins == ["http://localhost:4321", "http://127.0.0.1:4321"])
        #expect(cors.allowCredentials)
        #expect(stack.warnings.contains { $0.contains("DefaultRouteSettings") })
    }

    @Test func routeMatchingPrefersTheMostSpecific() {
        func route(_ method: String, _ path: String) -> StackDescription.Route {
            .init(method: method, path: path, functionId: "\(method) \(path)", apiId: "A", authorizer: nil, integrationTimeoutMs: 30_000)
        }
        let table = RouteTable([route("GET", "/a/{id}"), route("GET", "/a/b"), route("ANY", "/a/{proxy+}"), route("ANY", "$default")])
        #expect(table.match(method: "GET", path: "/a/b")?.route.functionId == "GET /a/b")
        #expect(table.match(method: "GET", path: "/a/c")?.pathParameters == ["id": "c"])
        #expect(table.match(method: "POST", path: "/a/c/d")?.pathParameters == ["proxy": "c/d"])
        #expect(table.match(method: "GET", path: "/zzz")?.route.functionId == "ANY $default")
        #expect(RouteTable([route("GET", "/a")]).match(method: "POST", path: "/a") == nil)
    }

    @Test func proxyResponseRules() throws {
        let bare = try #require(ProxyResponse.read(Array(#"{"hello":"world"}"#.utf8)))
        #expect(bare.status == 200)
        #expect(bare.body == Array(#"{"hello":"world"}"#.utf8))
        #expect(bare.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" })
        let full = try #require(ProxyResponse.read(Array(#"{"statusCode":201,"headers":{"x-a":"1"},"cookies":["a=1","b=2"],"body":"aGk=","isBase64Encoded":true}"#.utf8)))
        #expect(full.status == 201)
        #expect(full.body == Array("hi".utf8))
        #expect(full.headers.filter { $0.name == "Set-Cookie" }.map(\.value) == ["a=1", "b=2"])
        #expect(ProxyResponse.read(Array("not json".utf8)) == nil)
        #expect(ProxyResponse.read(Array(#"{"statusCode":"200"}"#.utf8)) == nil)
    }

    @Test func authorizerAnswers() {
        let arn = "arn:aws:execute-api:us-east-1:1:api/$default/GET/x"
        #expect(AuthorizerDecision.read(Array(#"{"isAuthorized":true,"context":{"a":"b"}}"#.utf8), simple: true, routeArn: arn) == .allow(context: .object(["a": .string("b")])))
        #expect(AuthorizerDecision.read(Array(#"{"isAuthorized":false}"#.utf8), simple: true, routeArn: arn) == .deny)
        if case .failed = AuthorizerDecision.read(Array(#"{"isAuthorized":"true"}"#.utf8), simple: true, routeArn: arn) {} else {
            Issue.record("a string isAuthorized must fail")
        }
        let policy = #"{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:1:api/*/GET/*"}]}}"#
        #expect(AuthorizerDecision.read(Array(policy.utf8), simple: false, routeArn: arn) == .allow(context: nil))
        #expect(AuthorizerDecision.read(Array(policy.utf8), simple: false, routeArn: arn.replacingOccurrences(of: "GET", with: "POST")) == .deny)
    }
}
