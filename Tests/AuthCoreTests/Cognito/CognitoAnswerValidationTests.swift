import NIOCore
import Testing

@testable import AuthCore

/// Issue 9.4 and 9.10: upstream calls never follow redirects, and a Cognito answer is validated
/// before it is believed (a revocation that cannot be confirmed is never reported as done).
@Suite("Cognito answers: no redirects followed, success bodies validated")
struct CognitoAnswerValidationTests {
    typealias Support = CognitoTestSupport

    /// A server that records every request and answers 200 with what a real Cognito would send:
    /// the "other host" a redirect points at. It must never be reached.
    static func withRedirect(
        status: Int = 302, _ body: (_ redirecting: LoopbackHTTPServer, _ target: LoopbackHTTPServer) async throws -> Void
    ) async throws {
        try await LoopbackHTTPServer.with({ _ in .amzJSON(200, "{}") }) { target in
            let location = target.baseURL + "/stolen"
            try await LoopbackHTTPServer.with({ _ in .respond(status: status, headers: [("Location", location)], body: []) }) { redirecting in
                try await body(redirecting, target)
            }
        }
    }

    @Test("a 3xx from any Cognito endpoint is an upstream error, and the Location is never requested", arguments: [301, 302, 303, 307, 308])
    func redirectsAreNotFollowed(status: Int) async throws {
        try await Self.withRedirect(status: status) { redirecting, target in
            let errors = await CognitoFaultTests.errorsOfAllCalls(Support.client(redirecting.baseURL, secret: Support.clientSecret))
            #expect(errors.count == 5)
            for error in errors {
                guard case .upstream(let answered, _)? = error else {
                    Issue.record("expected upstream(\(status)), got \(String(describing: error))")
                    continue
                }
                #expect(answered == status)
            }
            #expect(redirecting.requests.count == 5)
            #expect(target.requests.isEmpty, "a redirect was followed: the code, verifier, token or secret went to another host")
        }
    }

    @Test("a 3xx from the JWKS URL is keysUnavailable, and the Location is never requested")
    func jwksRedirectIsNotFollowed() async throws {
        try await Self.withRedirect { redirecting, target in
            let cache = JWKSCache(url: redirecting.baseURL + "/jwks.json")
            let verifier = AccessTokenVerifier(config: JWTTestSupport.config(), keys: cache, now: { JWTTestSupport.now })
            do throws(TokenVerificationError) {
                _ = try await verifier.verify(JWTTestSupport.token(), deadline: Support.deadline())
                Issue.record("a token verified with keys from a redirect")
            } catch {
                guard case .keysUnavailable = error else { Issue.record("unexpected \(error)"); return }
            }
            #expect(target.requests.isEmpty)
        }
    }

    @Test("GlobalSignOut: `{}` is a sign-out; a 200 with anything else is malformedResponse", arguments: [
        ("{}", true), (#"{"ResponseMetadata":{}}"#, true),
        ("", false), ("<html>signed out</html>", false), ("[]", false), ("null", false), (#"{"a":1"#, false), (#"{"a":1,"a":2}"#, false),
    ])
    func globalSignOutAnswer(body: String, confirmed: Bool) async throws {
        try await FakeUpstream.with({ _ in .amzJSON(200, body) }) { upstream in
            do throws(CognitoError) {
                try await Support.client(upstream).globalSignOut(accessToken: Support.fakeAccessToken, deadline: Support.deadline())
                #expect(confirmed, "a 200 with \(body.debugDescription) was believed")
            } catch {
                #expect(!confirmed, "\(error)")
                guard case .malformedResponse = error else { Issue.record("unexpected \(error)"); return }
            }
        }
    }

    @Test("/oauth2/revoke: an empty 200 (Cognito's answer) is a revocation; an HTML 200 is not", arguments: [
        ("", true), ("{}", true), ("\n", true),
        ("<html>ok</html>", false), ("revoked", false), ("[]", false),
    ])
    func revokeAnswer(body: String, confirmed: Bool) async throws {
        try await FakeUpstream.with({ _ in .respond(status: 200, headers: [], body: Array(body.utf8)) }) { upstream in
            do throws(CognitoError) {
                try await Support.client(upstream).revoke(refreshToken: "refresh-token-value", deadline: Support.deadline())
                #expect(confirmed, "a 200 with \(body.debugDescription) was believed")
            } catch {
                #expect(!confirmed, "\(error)")
                guard case .malformedResponse = error else { Issue.record("unexpected \(error)"); return }
            }
        }
    }

    @Test("a success status other than 200 is not a success (204 from GlobalSignOut, 201 from the token endpoint)")
    func otherSuccessStatuses() async throws {
        try await FakeUpstream.with({ _ in .amzJSON(204, "") }) { upstream in
            await #expect(throws: CognitoError.upstream(status: 204, excerpt: "")) {
                try await Support.client(upstream).globalSignOut(accessToken: "t", deadline: Support.deadline())
            }
        }
        try await FakeUpstream.with({ _ in .json(201, Support.tokenResponse) }) { upstream in
            do throws(CognitoError) {
                _ = try await Support.client(upstream).exchangeCode("c", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: Support.deadline())
                Issue.record("a 201 was believed")
            } catch {
                guard case .upstream(status: 201, _) = error else { Issue.record("unexpected \(error)"); return }
            }
        }
    }
}
