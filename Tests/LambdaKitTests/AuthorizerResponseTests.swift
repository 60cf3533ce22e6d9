import JSONValue
import Testing

@testable import LambdaKit

/// The authorizer's wire shapes: each answer reads back as the JSON API Gateway documents, with
/// string-only context members in the order written.
@Suite struct AuthorizerResponseTests {
    @Test func simpleAnswersAreIsAuthorizedWithAStringContext() throws {
        #expect(try JSONValue.parse(AuthorizerResponse.refused) == .object(["isAuthorized": .bool(false)]))
        let allowed = AuthorizerResponse.allowed { context in
            context.string("sub", "s\"1")
            context.joined("scope", ["a", "b\\c"], separator: " ")
            context.joined("none", [], separator: ",")
            context.literal("token_use", "access")
        }
        #expect(
            String(decoding: allowed, as: UTF8.self)
                == #"{"isAuthorized":true,"context":{"sub":"s\"1","scope":"a b\\c","none":"","token_use":"access"}}"#)
    }

    @Test func policyAnswersHoldTheirStatementsResourcesAndContext() throws {
        var policy = AuthorizerResponse.Policy(principalId: "p", base: "arn:aws:execute-api:r:1:api/st\"g/")
        policy.statement(.allow)
        policy.resource(escapedSuffix: "GET/a")
        policy.resource(escapedSuffix: "GET/b/*")
        policy.statement(.deny)
        policy.resource(escapedSuffix: "*%*")
        let bytes = policy.finish { $0.string("sub", "p") }
        let value = try JSONValue.parse(bytes)
        let base = "arn:aws:execute-api:r:1:api/st\"g/"
        func statement(_ effect: String, _ resources: [String]) -> JSONValue {
            .object(["Action": .string("execute-api:Invoke"), "Effect": .string(effect), "Resource": .array(resources.map { .string(base + $0) })])
        }
        #expect(
            value
                == .object([
                    "principalId": .string("p"),
                    "policyDocument": .object([
                        "Version": .string("2012-10-17"),
                        "Statement": .array([statement("Allow", ["GET/a", "GET/b/*"]), statement("Deny", ["*%*"])]),
                    ]),
                    "context": .object(["sub": .string("p")]),
                ]))
    }
}
