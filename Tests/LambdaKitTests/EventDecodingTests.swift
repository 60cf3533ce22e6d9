import Foundation
import JSONValue
import Testing
@testable import LambdaKit

@Suite("Decoding the real API Gateway / function URL / ALB fixtures")
struct FixtureDecodingTests {
    static let authorizerEvents: Set<String> = [
        "apigw-custom-auth-request.json",
        "apigw-custom-auth-request-type-request.json",
        "apigw-v2-custom-authorizer-v2-request.json",
    ]

    static func decode(_ name: String) throws -> HTTPRequest {
        try LambdaEventDecoder.decode(try TestSupport.fixture(name))
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func everyFixtureDecodesOrIsAnAuthorizerEvent() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestSupport.fixturesDirectory.path)
            .filter { $0.hasSuffix(".json") }
        #expect(names.count >= 12)
        for name in names {
            let bytes = try TestSupport.fixture(name)
            if Self.authorizerEvents.contains(name) {
                #expect {
                    try LambdaEventDecoder.decode(bytes)
                } throws: { error in
                    guard case .notAnHTTPEvent(let why) = error as? LambdaEventError else { return false }
                    return why.contains("authorizer")
                }
            } else {
                let request = try LambdaEventDecoder.decode(bytes)
                #expect(!request.method.isEmpty, "\(name)")
                #expect(request.rawPath.hasPrefix("/"), "\(name)")
            }
        }
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func restV1() throws {
        for name in ["apigw-request.json", "apigw-restapi-openapi-request.json"] {
            let request = try Self.decode(name)
            #expect(request.origin == .restV1)
            #expect(request.method == "POST")
            #expect(request.rawPath == "/hello/world")
            #expect(request.rawQueryString == "name=me")
            #expect(request.queryParameter("name") == "me")
            #expect(request.queryParameters.count == 1)
            #expect(request.headers["content-type"] == ["application/json"])
            #expect(request.headers["HEADERNAME"] == ["headerValue"])
            // `headers` and `multiValueHeaders` both list every header: merged without duplicates.
            #expect(request.headers["accept"] == ["*/*"])
            #expect(request.headers["x-forwarded-for"] == ["54.240.196.186, 54.182.214.83"])
            #expect(request.headers.count == 19)
            #expect(request.bodyString == "{\r\n\t\"a\": 1\r\n}")
            #expect(request.pathParameters == ["proxy": "hello/world"])
            #expect(request.cookies.isEmpty)
            let context = request.requestContext
            #expect(context.requestId == "deef4878-7910-11e6-8f14-25afc3e9ae33")
            #expect(context.stage == "testStage")
            #expect(context.sourceIP == "192.168.196.186")
            #expect(context.apiId == "gy415nuibc")
            #expect(context.route == "/{proxy+}")
            // A non-string claim (clientId: 1) must not break decoding and keeps its type.
            #expect(context.authorizerClaims?["clientId"] == .int(1))
            #expect(context.authorizerClaims?["principalId"] == .string("admin"))
        }
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func httpV2WithoutAuthorizer() throws {
        let request = try Self.decode("apigw-v2-request-no-authorizer.json")
        #expect(request.origin == .httpV2)
        #expect(request.method == "GET")
        #expect(request.rawPath == "/")
        #expect(request.rawQueryString == "")
        #expect(request.queryParameters.isEmpty)
        #expect(request.body.isEmpty)
        #expect(request.headers["host"] == ["aaaaaaaaaa.execute-api.us-west-2.amazonaws.com"])
        #expect(request.headers["User-Agent"] == ["curl/7.58.0"])
        #expect(request.cookies.isEmpty)
        #expect(!request.headers.contains(name: "cookie"))
        #expect(request.requestContext.requestId == "LV7fzho-PHcEJPw=")
        #expect(request.requestContext.stage == "$default")
        #expect(request.requestContext.sourceIP == "1.2.3.4")
        #expect(request.requestContext.authorizer == nil)
        #expect(request.requestContext.authorizerClaims == nil)
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func httpV2WithJWTAuthorizer() throws {
        let request = try Self.decode("apigw-v2-request-jwt-authorizer.json")
        #expect(request.origin == .httpV2)
        #expect(request.method == "GET")
        #expect(request.rawPath == "/my/path")
        #expect(request.rawQueryString == "parameter1=value1&parameter1=value2&parameter2=value")
        #expect(request.queryParameters.map { "\($0.name)=\($0.value)" } == [
            "parameter1=value1", "parameter1=value2", "parameter2=value",
        ])
        #expect(request.cookies == ["cookie1", "cookie2"])
        #expect(request.headers["cookie"] == ["cookie1; cookie2"])
        #expect(request.headers["header1"] == ["value1"])
        #expect(request.bodyString == "{\r\n\t\"a\": 1\r\n}")
        #expect(request.pathParameters["proxy"] == "hello/world")
        #expect(request.requestContext.authorizerClaims == .object(["claim1": .string("value1"), "claim2": .string("value2")]))
        #expect(request.requestContext.authorizerScopes == ["scope1", "scope2"])
        #expect(request.requestContext.requestId == "id")
        #expect(request.requestContext.sourceIP == "IP")
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func httpV2WithIAMAndLambdaAuthorizers() throws {
        let iam = try Self.decode("apigw-v2-request-iam.json")
        #expect(iam.origin == .httpV2)
        #expect(iam.requestContext.authorizer?["iam"]?["accountId"] == .string("1234567890"))
        #expect(iam.requestContext.authorizer?["iam"]?["cognitoIdentity"]?["amr"] == .array([.string("foo")]))
        let lambda = try Self.decode("apigw-v2-request-lambda-authorizer.json")
        #expect(lambda.requestContext.authorizerClaims == .object(["key": .string("value")]))
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func functionURL() throws {
        let request = try Self.decode("lambda-urls-request.json")
        #expect(request.origin == .functionURL)
        #expect(request.method == "POST")
        #expect(request.rawPath == "/my/path")
        #expect(request.bodyString == "Hello from client!")
        #expect(request.headers["header2"] == ["value1,value2"])
        #expect(request.cookies == ["cookie1", "cookie2"])
        #expect(request.requestContext.sourceIP == "123.123.123.123")
        #expect(request.requestContext.domainName == "<url-id>.lambda-url.us-west-2.on.aws")
        #expect(request.requestContext.authorizer?["iam"]?["userId"] == .string("AIDA..."))
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func alb() throws {
        let single = try Self.decode("alb-lambda-target-request-headers-only.json")
        #expect(single.origin == .alb)
        #expect(!single.albMultiValueHeaders)
        #expect(single.method == "GET")
        #expect(single.rawPath == "/")
        #expect(single.queryParameters.map { "\($0.name)=\($0.value)" } == ["key=hello"])
        #expect(single.rawQueryString == "key=hello")
        #expect(single.headers["x-myheader"] == ["123"])
        #expect(single.headers.count == 10)
        #expect(single.requestContext.sourceIP == "25.12.198.67")
        #expect(single.requestContext.requestId == nil)
        #expect(single.body.isEmpty)

        let multi = try Self.decode("alb-lambda-target-request-multivalue-headers.json")
        #expect(multi.origin == .alb)
        #expect(multi.albMultiValueHeaders)
        #expect(multi.queryParameter("key") == "hello")
        #expect(multi.headers["host"] == ["lambda-test-alb-1234567.us-east-1.elb.amazonaws.com"])
        #expect(multi.requestContext.sourceIP == "72.21.198.67")
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func authorizerEventsAreRefusedByName() throws {
        for name in Self.authorizerEvents {
            #expect(throws: LambdaEventError.self) { try Self.decode(name) }
            do {
                _ = try Self.decode(name)
            } catch {
                #expect(String(describing: error).hasPrefix("not an HTTP event: API Gateway Lambda authorizer event"))
            }
        }
    }
}

@Suite("Decoding synthetic events")
struct SyntheticDecodingTests {
    func decode(_ json: String) throws(LambdaEventError) -> HTTPRequest {
        try LambdaEventDecoder.decode(Array(json.utf8))
    }

    @Test func notJSON() {
        #expect(throws: LambdaEventError.notJSON) { try decode("hello") }
        #expect(throws: LambdaEventError.notJSON) { try decode("{\"version\": ") }
        #expect(throws: LambdaEventError.notJSON) { try decode("") }
    }

    @Test func jsonThatIsNotAnHTTPEvent() {
        for json in ["[1,2]", "42", "{}", #"{"Records":[{"eventSource":"aws:sqs"}]}"#, #"{"version":"2.0"}"#] {
            #expect {
                try decode(json)
            } throws: { error in
                if case .notAnHTTPEvent = error as? LambdaEventError { return true }
                return false
            }
        }
    }

    @Test func wrongFieldTypesAreMalformedNotACrash() {
        #expect {
            try decode(#"{"httpMethod":"GET","resource":"/","headers":["x"]}"#)
        } throws: { error in
            guard case .malformed(let why) = error as? LambdaEventError else { return false }
            return why.contains("headers")
        }
        #expect(throws: LambdaEventError.self) {
            try decode(#"{"version":"2.0","requestContext":{"http":{"method":7}}}"#)
        }
    }

    @Test func base64Bodies() throws {
        let request = try decode(
            #"{"version":"2.0","rawPath":"/b","requestContext":{"http":{"method":"post"}},"body":"AAEC/w==","isBase64Encoded":true}"#
        )
        #expect(request.method == "POST")
        #expect(request.body == [0, 1, 2, 255])
        let v1 = try decode(
            #"{"httpMethod":"PUT","resource":"/","path":"/","body":"aGVsbG8=","isBase64Encoded":true,"headers":null,"multiValueHeaders":null,"queryStringParameters":null}"#
        )
        #expect(v1.bodyString == "hello")
        #expect(v1.headers.count == 0)
        // Not base64 although flagged as such: the body is malformed (the handler answers 400).
        let corrupt = try decode(#"{"version":"2.0","requestContext":{"http":{"method":"GET"}},"body":"%%%","isBase64Encoded":true}"#)
        #expect(corrupt.body.isEmpty)
        #expect(corrupt.malformedBody.map { $0.contains("base64") && !$0.contains("%%%") } == true)
    }

    @Test func v1HeadersMergeWithoutDuplicates() throws {
        let request = try decode(
            #"""
            {"httpMethod":"GET","resource":"/","path":"/",
             "headers":{"X-A":"2","Host":"h","Only-Single":"s"},
             "multiValueHeaders":{"x-a":["1","2"],"Host":["h"],"Cookie":["a=1; b=2","c=3"]},
             "requestContext":{"requestId":"r","identity":{"sourceIp":"9.9.9.9"}}}
            """#
        )
        #expect(request.headers["X-A"] == ["1", "2"])
        #expect(request.headers["host"] == ["h"])
        #expect(request.headers["only-single"] == ["s"])
        #expect(request.cookies == ["a=1", "b=2", "c=3"])
        #expect(request.cookie("b") == "2")
        #expect(request.requestContext.sourceIP == "9.9.9.9")
    }

    @Test func v1QueryIsRebuiltPercentEncoded() throws {
        let request = try decode(
            #"{"httpMethod":"GET","resource":"/","path":"/","queryStringParameters":{"q":"c&d"},"multiValueQueryStringParameters":{"q":["a b","c&d"],"e":["é"]}}"#
        )
        #expect(request.queryParameters.map { "\($0.name)=\($0.value)" } == ["e=é", "q=a b", "q=c&d"])
        #expect(request.rawQueryString == "e=%C3%A9&q=a%20b&q=c%26d")
    }

    @Test func v2QueryIsParsedFromTheRawString() throws {
        let request = try decode(
            #"{"version":"2.0","rawPath":"/","rawQueryString":"a=1&b=x%20y&c=p+q&d&e=%zz","requestContext":{"http":{"method":"GET"}}}"#
        )
        #expect(request.queryParameters.map { "\($0.name)=\($0.value)" } == ["a=1", "b=x y", "c=p q", "d=", "e=%zz"])
    }

    @Test func nonStringClaimsAndNullsAreKept() throws {
        let request = try decode(
            #"""
            {"version":"2.0","rawPath":"/","headers":{"a":"1","b":null,"n":5},
             "requestContext":{"http":{"method":"GET"},"authorizer":{"jwt":{"claims":
               {"exp":1700000000,"email_verified":true,"cognito:groups":["admin","x"],"score":1.5,"nothing":null},
               "scopes":null}}}}
            """#
        )
        let claims = try #require(request.requestContext.authorizerClaims)
        #expect(claims["exp"] == .int(1_700_000_000))
        #expect(claims["email_verified"] == .bool(true))
        #expect(claims["cognito:groups"] == .array([.string("admin"), .string("x")]))
        #expect(claims["score"] == .double(1.5))
        #expect(claims["nothing"] == .null)
        #expect(request.requestContext.authorizerScopes.isEmpty)
        #expect(request.headers["a"] == ["1"])
        #expect(!request.headers.contains(name: "b"))
        #expect(request.headers["n"] == ["5"])
    }

    @Test func originDetection() throws {
        let url = try decode(#"{"version":"2.0","requestContext":{"domainName":"abc.lambda-url.eu-west-1.on.aws","http":{"method":"GET"}}}"#)
        #expect(url.origin == .functionURL)
        let v2 = try decode(#"{"version":"2.0","requestContext":{"domainName":"abc.execute-api.eu-west-1.amazonaws.com","http":{"method":"GET"}}}"#)
        #expect(v2.origin == .httpV2)
        let alb = try decode(#"{"httpMethod":"GET","path":"/","requestContext":{"elb":{"targetGroupArn":"x"}}}"#)
        #expect(alb.origin == .alb)
        let v1 = try decode(#"{"version":"1.0","httpMethod":"GET","path":"/","requestContext":{}}"#)
        #expect(v1.origin == .restV1)
    }

    @Test func albQueryIsDecodedButRawStaysAsSent() throws {
        let request = try decode(
            #"{"httpMethod":"GET","path":"/","requestContext":{"elb":{}},"queryStringParameters":{"q":"a%20b"},"headers":{"x-forwarded-for":"6.6.6.6, 7.7.7.7"}}"#
        )
        #expect(request.rawQueryString == "q=a%20b")
        #expect(request.queryParameter("q") == "a b")
        // The last X-Forwarded-For entry is the one the load balancer added.
        #expect(request.requestContext.sourceIP == "7.7.7.7")
    }
}
