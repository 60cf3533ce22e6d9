import AuthCore
import FoundationEssentials
import JSONValue
import NIOCore
import Testing

@Suite("CognitoClient: JSON API (GetUser, GlobalSignOut) (in-process upstream)")
struct CognitoJSONAPITests {
    typealias Support = CognitoTestSupport
    static let token = Support.fakeAccessToken

    @Test("getUser: POST / with the amz-json headers and {AccessToken}; attributes kept in order")
    func getUser() async throws {
        let body = #"""
            {"Username":"alice","UserAttributes":[{"Name":"sub","Value":"1234"},{"Name":"email","Value":"a@example.com"},{"Name":"email_verified","Value":"true"},{"Name":"custom:tenant","Value":"t1"}],"MFAOptions":[]}
            """#
        try await FakeUpstream.with({ _ in .amzJSON(200, body) }) { upstream in
            let user = try await Support.client(upstream).getUser(accessToken: Self.token, deadline: Support.deadline())
            #expect(user.username == "alice")
            #expect(user.attributes.map(\.name) == ["sub", "email", "email_verified", "custom:tenant"])
            #expect(user[attribute: "email"] == "a@example.com")
            #expect(user[attribute: "custom:tenant"] == "t1")
            #expect(user[attribute: "phone_number"] == nil)

            let request = try #require(upstream.requests.first)
            #expect(request.method == .POST)
            #expect(request.uri == "/")
            #expect(request.headers.first(name: "Content-Type") == "application/x-amz-json-1.1")
            #expect(request.headers.first(name: "X-Amz-Target") == "AWSCognitoIdentityProviderService.GetUser")
            #expect(request.headers.first(name: "Authorization") == nil)
            let sent = try JSONValue.parse(request.body)
            #expect(sent == .object(["AccessToken": .string(Self.token)]))
        }
    }

    @Test("getUser: a user without attributes has none")
    func getUserWithoutAttributes() async throws {
        try await FakeUpstream.with({ _ in .amzJSON(200, #"{"Username":"bob"}"#) }) { upstream in
            let user = try await Support.client(upstream).getUser(accessToken: "t", deadline: Support.deadline())
            #expect(user == CognitoUser(username: "bob", attributes: []))
        }
    }

    @Test("globalSignOut: X-Amz-Target GlobalSignOut, {} is success")
    func globalSignOut() async throws {
        try await FakeUpstream.with({ _ in .amzJSON(200, "{}") }) { upstream in
            try await Support.client(upstream).globalSignOut(accessToken: Self.token, deadline: Support.deadline())
            let request = try #require(upstream.requests.first)
            #expect(request.headers.first(name: "X-Amz-Target") == "AWSCognitoIdentityProviderService.GlobalSignOut")
            let sent = try JSONValue.parse(request.body)
            #expect(sent == .object(["AccessToken": .string(Self.token)]))
        }
    }

    static let apiErrorsCases: [(ServerReply, CognitoError)] = [
        (.json(400, #"{"__type":"NotAuthorizedException","message":"Access Token has been revoked"}"#),
         .notAuthorized("Access Token has been revoked")),
        (.json(400, #"{"__type":"NotAuthorizedException","message":"Access Token has expired"}"#),
         .notAuthorized("Access Token has expired")),
        (.json(400, #"{"__type":"com.amazonaws.cognito.identity.idp.model#NotAuthorizedException","message":"Invalid Access Token"}"#),
         .notAuthorized("Invalid Access Token")),
        (.json(400, #"{"__type":"NotAuthorizedException","Message":"capital M"}"#), .notAuthorized("capital M")),
        // Cognito's text when the token lacks aws.cognito.signin.user.admin (the app client does not grant it).
        (.json(400, #"{"__type":"NotAuthorizedException","message":"Access Token does not have required scopes"}"#), .missingRequiredScope),
        (.respond(status: 400, headers: [("x-amzn-ErrorType", "NotAuthorizedException:http://internal.amazon.com/coral/com.amazon.coral.service/")], body: []),
         .notAuthorized("Not authorized")),
        (.json(400, #"{"message":"Access Token has been revoked"}"#, headers: [("x-amzn-ErrorType", "NotAuthorizedException")]),
         .notAuthorized("Access Token has been revoked")),
        (.json(400, #"{"__type":"PasswordResetRequiredException","message":"Password reset required for the user"}"#),
         .notAuthorized("Password reset required for the user")),
        (.json(400, #"{"__type":"UserNotConfirmedException","message":"User is not confirmed."}"#),
         .notAuthorized("User is not confirmed.")),
        (.json(400, #"{"__type":"UserNotFoundException","message":"User does not exist."}"#), .userNotFound),
        (.json(400, #"{"__type":"aws.cognito#UserNotFoundException"}"#), .userNotFound),
        (.json(400, #"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#), .throttled),
        (.json(400, #"{"__type":"LimitExceededException","message":"Attempt limit exceeded"}"#), .throttled),
        (.respond(status: 429, headers: [], body: Array("slow down".utf8)), .throttled),
        (.json(400, #"{"__type":"InvalidParameterException","message":"1 validation error detected"}"#),
         .invalidRequest("1 validation error detected")),
        (.json(500, #"{"__type":"InternalErrorException","message":"Internal error"}"#),
         .upstream(status: 500, excerpt: #"{"__type":"InternalErrorException","message":"Internal error"}"#)),
        (.json(400, #"{"__type":"ResourceNotFoundException","message":"User pool does not exist."}"#),
         .upstream(status: 400, excerpt: #"{"__type":"ResourceNotFoundException","message":"User pool does not exist."}"#)),
        (.respond(status: 503, headers: [("Content-Type", "text/html")], body: Array("<html>Service Unavailable</html>".utf8)),
         .upstream(status: 503, excerpt: "<html>Service Unavailable</html>")),
    ]

    @Test("each documented JSON API error maps to its typed error (getUser and globalSignOut)", arguments: apiErrorsCases)
    func apiErrors(reply: ServerReply, expected: CognitoError) async throws {
        try await FakeUpstream.with({ _ in reply }) { upstream in
            let client = Support.client(upstream)
            await #expect(throws: expected) {
                try await client.getUser(accessToken: Self.token, deadline: Support.deadline())
            }
            await #expect(throws: expected) {
                try await client.globalSignOut(accessToken: Self.token, deadline: Support.deadline())
            }
        }
    }

    @Test("a message or body that echoes the access token never carries it")
    func echoedTokenIsCutOut() async throws {
        // moto does this for GlobalSignOut with a revoked token: the message IS the token.
        let reply = ServerReply.json(400, #"{"__type":"NotAuthorizedException","message":"\#(Self.token)"}"#)
        try await FakeUpstream.with({ _ in reply }) { upstream in
            do throws(CognitoError) {
                try await Support.client(upstream).globalSignOut(accessToken: Self.token, deadline: Support.deadline())
                Issue.record("expected notAuthorized")
            } catch {
                guard case .notAuthorized(let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(!message.contains(Self.token))
                #expect(!message.contains("eyJ"))
            }
        }
        // A different token than the one sent (unknown to the client) is still redacted by shape.
        let other = "eyJhbGciOiJSUzI1NiJ9.eyJvdGhlciI6InRva2VuLXRoYXQtaXMtbG9uZyJ9.b3RoZXItc2lnbmF0dXJlLWJ5dGVz"
        let server500 = ServerReply.respond(status: 500, headers: [], body: Array("crash while handling \(other)\n".utf8))
        try await FakeUpstream.with({ _ in server500 }) { upstream in
            do throws(CognitoError) {
                _ = try await Support.client(upstream).getUser(accessToken: Self.token, deadline: Support.deadline())
                Issue.record("expected upstream")
            } catch {
                guard case .upstream(500, let excerpt) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(excerpt == "crash while handling <redacted> ")
            }
        }
    }

    @Test("upstream excerpts are capped")
    func excerptCapped() async throws {
        let long = String(repeating: "error text ", count: 500)
        try await FakeUpstream.with({ _ in .respond(status: 502, headers: [], body: Array(long.utf8)) }) { upstream in
            do throws(CognitoError) {
                _ = try await Support.client(upstream).getUser(accessToken: Self.token, deadline: Support.deadline())
                Issue.record("expected upstream")
            } catch {
                guard case .upstream(502, let excerpt) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(excerpt.count <= 201)
                #expect(excerpt.hasPrefix("error text error text"))
            }
        }
    }

    static let malformedUsersCases: [String] = [
        "not json", #"{"UserAttributes":[]}"#, #"{"Username":"a","UserAttributes":{}}"#,
        #"{"Username":"a","UserAttributes":[{"Value":"x"}]}"#, #"{"Username":"a","UserAttributes":[{"Name":"n","Value":1}]}"#,
    ]

    @Test("a 200 GetUser answer that is not a user is malformedResponse", arguments: malformedUsersCases)
    func malformedUser(body: String) async throws {
        try await FakeUpstream.with({ _ in .amzJSON(200, body) }) { upstream in
            do throws(CognitoError) {
                _ = try await Support.client(upstream).getUser(accessToken: "t", deadline: Support.deadline())
                Issue.record("expected malformedResponse")
            } catch {
                guard case .malformedResponse = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
            }
        }
    }
}
