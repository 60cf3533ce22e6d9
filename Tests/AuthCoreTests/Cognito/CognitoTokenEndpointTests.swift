import AuthCore
import FoundationEssentials
import NIOCore
import Testing

@Suite("CognitoClient: /oauth2/token and /oauth2/revoke (in-process upstream)")
struct CognitoTokenEndpointTests {
    typealias Support = CognitoTestSupport

    @Test("exchangeCode with a secret: Basic auth, form body with code, redirect_uri, code_verifier")
    func exchangeCodeConfidentialClient() async throws {
        try await FakeUpstream.with({ _ in .json(200, Support.tokenResponse) }) { upstream in
            let tokens = try await Support.client(upstream, secret: Support.clientSecret).exchangeCode(
                "code-123", redirectURI: "https://app.example.com/callback", codeVerifier: "verifier-abc",
                deadline: Support.deadline()
            )
            #expect(tokens.accessToken == Support.fakeAccessToken)
            #expect(tokens.idToken == "id.token.value")
            #expect(tokens.refreshToken == "refresh-token-value")
            #expect(tokens.expiresIn == 3600)
            #expect(tokens.tokenType == "Bearer")

            let request = try #require(upstream.requests.first)
            #expect(upstream.requests.count == 1)
            #expect(request.method == .POST)
            #expect(request.uri == "/oauth2/token")
            #expect(request.headers.first(name: "Content-Type") == "application/x-www-form-urlencoded")
            let expected = "Basic " + Data("\(Support.clientId):\(Support.clientSecret)".utf8).base64EncodedString()
            #expect(request.headers.first(name: "Authorization") == expected)
            #expect(request.formFields == [
                "grant_type": "authorization_code", "code": "code-123",
                "redirect_uri": "https://app.example.com/callback", "code_verifier": "verifier-abc",
            ])
        }
    }

    @Test("exchangeCode without a secret: client_id in the body, no Authorization, no code_verifier when nil")
    func exchangeCodePublicClient() async throws {
        try await FakeUpstream.with({ _ in .json(200, Support.tokenResponse) }) { upstream in
            _ = try await Support.client(upstream).exchangeCode(
                "code-123", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: Support.deadline()
            )
            let request = try #require(upstream.requests.first)
            #expect(request.headers.first(name: "Authorization") == nil)
            #expect(request.formFields == [
                "grant_type": "authorization_code", "code": "code-123",
                "redirect_uri": "https://app.example.com/callback", "client_id": Support.clientId,
            ])
        }
    }

    @Test("form values are percent-encoded: reserved characters, spaces, '+', '%', non-ASCII")
    func formEncodingRoundTrips() async throws {
        let redirect = "https://app.example.com/cb?next=/a b&x=1+2#frag"
        let code = "c0de+/=%&é"
        try await FakeUpstream.with({ _ in .json(200, Support.tokenResponse) }) { upstream in
            _ = try await Support.client(upstream).exchangeCode(
                code, redirectURI: redirect, codeVerifier: "v~1.2_3-4", deadline: Support.deadline()
            )
            let request = try #require(upstream.requests.first)
            #expect(request.formFields["redirect_uri"] == redirect)
            #expect(request.formFields["code"] == code)
            #expect(request.formFields["code_verifier"] == "v~1.2_3-4")
            // A literal '+' must be sent as %2B (a bare '+' means a space in this encoding).
            #expect(request.bodyString.contains("code=c0de%2B%2F%3D%25%26%C3%A9"))
            #expect(request.bodyString.contains("redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fnext%3D%2Fa+b%26x%3D1%2B2%23frag"))
        }
    }

    @Test("refresh: grant_type=refresh_token; an answer without a refresh token leaves it nil")
    func refresh() async throws {
        let body = #"{"access_token":"new-access","id_token":"new-id","expires_in":900,"token_type":"Bearer"}"#
        try await FakeUpstream.with({ _ in .json(200, body) }) { upstream in
            let tokens = try await Support.client(upstream, secret: Support.clientSecret)
                .refresh("the-refresh-token", deadline: Support.deadline())
            #expect(tokens.accessToken == "new-access")
            #expect(tokens.idToken == "new-id")
            #expect(tokens.refreshToken == nil)
            #expect(tokens.expiresIn == 900)
            let request = try #require(upstream.requests.first)
            #expect(request.uri == "/oauth2/token")
            #expect(request.formFields == ["grant_type": "refresh_token", "refresh_token": "the-refresh-token"])
            #expect(request.headers.first(name: "Authorization")?.hasPrefix("Basic ") == true)
        }
    }

    @Test("revoke: POST /oauth2/revoke with token (+ client_id for a public client); empty 200 is success")
    func revoke() async throws {
        try await FakeUpstream.with({ _ in .respond(status: 200, headers: [], body: []) }) { upstream in
            try await Support.client(upstream).revoke(refreshToken: "rt-1", deadline: Support.deadline())
            try await Support.client(upstream, secret: Support.clientSecret).revoke(refreshToken: "rt-2", deadline: Support.deadline())
            let requests = upstream.requests
            try #require(requests.count == 2)
            #expect(requests[0].uri == "/oauth2/revoke")
            #expect(requests[0].formFields == ["token": "rt-1", "client_id": Support.clientId])
            #expect(requests[0].headers.first(name: "Authorization") == nil)
            #expect(requests[1].formFields == ["token": "rt-2"])
            #expect(requests[1].headers.first(name: "Authorization")?.hasPrefix("Basic ") == true)
        }
    }

    static let tokenErrorsCases: [(String, CognitoError)] = [
        (#"{"error":"invalid_grant"}"#, .invalidGrant(nil)),
        (#"{"error":"invalid_grant","error_description":"Code verifier mismatch"}"#, .invalidGrant("Code verifier mismatch")),
        (#"{"error":"unauthorized_client"}"#, .unauthorizedClient(nil)),
        (#"{"error":"invalid_client"}"#, .invalidClient),
        (#"{"error":"invalid_request"}"#, .invalidRequest(nil)),
        (#"{"error":"unsupported_grant_type"}"#, .invalidRequest("unsupported_grant_type")),
        (#"{"error":"invalid_scope","error_description":"bad scope"}"#, .invalidRequest("invalid_scope: bad scope")),
    ]

    @Test("each documented token-endpoint error (400) maps to its typed error", arguments: tokenErrorsCases)
    func tokenEndpointErrors(body: String, expected: CognitoError) async throws {
        try await FakeUpstream.with({ _ in .json(400, body) }) { upstream in
            let client = Support.client(upstream)
            await #expect(throws: expected) {
                try await client.exchangeCode("c", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: Support.deadline())
            }
            await #expect(throws: expected) {
                try await client.refresh("r", deadline: Support.deadline())
            }
        }
    }

    static let revokeErrorsCases: [(String, CognitoError)] = [
        (#"{"error":"invalid_request"}"#, .invalidRequest(nil)),
        (#"{"error":"unsupported_token_type"}"#, .unsupportedTokenType),
        (#"{"error":"invalid_client"}"#, .invalidClient),
        (#"{"error":"unauthorized_client"}"#, .unauthorizedClient(nil)),
    ]

    @Test("each documented revoke error (400) maps to its typed error", arguments: revokeErrorsCases)
    func revokeErrors(body: String, expected: CognitoError) async throws {
        try await FakeUpstream.with({ _ in .json(400, body) }) { upstream in
            await #expect(throws: expected) {
                try await Support.client(upstream).revoke(refreshToken: "r", deadline: Support.deadline())
            }
        }
    }

    @Test("an unknown OAuth error code is an upstream error with the status")
    func unknownOAuthError() async throws {
        try await FakeUpstream.with({ _ in .json(400, #"{"error":"something_new"}"#) }) { upstream in
            await #expect(throws: CognitoError.upstream(status: 400, excerpt: #"{"error":"something_new"}"#)) {
                try await Support.client(upstream).refresh("r", deadline: Support.deadline())
            }
        }
    }

    @Test("an error that echoes the code, verifier or secret never carries them")
    func echoedSecretsAreCutOut() async throws {
        let code = "code-that-must-not-leak"
        let reply = #"{"error":"invalid_grant","error_description":"bad code \#(code) verifier v-secret-verifier secret \#(Support.clientSecret)"}"#
        try await FakeUpstream.with({ _ in .json(400, reply) }) { upstream in
            do throws(CognitoError) {
                _ = try await Support.client(upstream, secret: Support.clientSecret).exchangeCode(
                    code, redirectURI: "https://app.example.com/callback", codeVerifier: "v-secret-verifier",
                    deadline: Support.deadline()
                )
                Issue.record("expected invalidGrant")
            } catch {
                guard case .invalidGrant(let description?) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(description.hasPrefix("bad code "))
                #expect(!description.contains(code))
                #expect(!description.contains("v-secret-verifier"))
                #expect(!description.contains(Support.clientSecret))
                #expect(!"\(error)".contains(code))
            }
        }
    }

    static let malformedSuccessesCases: [String] = [
        "<html>not json</html>",
        "[]",
        #"{"id_token":"x","expires_in":3600}"#,
        #"{"access_token":"a","expires_in":"3600"}"#,
        #"{"access_token":"a","expires_in":0}"#,
        #"{"access_token":"a","expires_in":3600,"refresh_token":42}"#,
        "",
    ]

    @Test("a 200 that is not a token response is malformedResponse", arguments: malformedSuccessesCases)
    func malformedTokenResponse(body: String) async throws {
        try await FakeUpstream.with({ _ in .json(200, body) }) { upstream in
            do throws(CognitoError) {
                _ = try await Support.client(upstream).refresh("r", deadline: Support.deadline())
                Issue.record("expected malformedResponse")
            } catch {
                guard case .malformedResponse = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
            }
        }
    }

    @Test("a client without a domain refuses OAuth calls as invalidClient, without a request")
    func missingDomain() async throws {
        let client = CognitoClient(config: CognitoConfig(region: "us-east-1", userPoolId: "us-east-1_X", clientId: "c"))
        await #expect(throws: CognitoError.invalidClient) {
            try await client.refresh("r", deadline: Support.deadline())
        }
    }
}
