import Testing

@testable import AuthCore

@Suite("CognitoError's classifications: an access token's NotAuthorized refusal, the failure every call shares")
struct CognitoErrorTests {
    @Test("NotAuthorized messages read as revoked, expired or invalid (ASCII case ignored); any other failure is no refusal")
    func accessTokenRefusal() {
        let cases: [(String, CognitoError.AccessTokenRefusal)] = [
            ("Access Token has been revoked", .revoked),
            ("ACCESS TOKEN HAS BEEN REVOKED", .revoked),
            ("Access Token has expired", .expired),
            ("Invalid Access Token", .invalid),
            ("", .invalid),
        ]
        for (message, refusal) in cases {
            #expect(CognitoError.notAuthorized(message).accessTokenRefusal == refusal, "\(message)")
        }
        for error: CognitoError in [.userNotFound, .missingRequiredScope, .invalidGrant("revoked"), .upstream(status: 500, excerpt: "expired")] {
            #expect(error.accessTokenRefusal == nil, "\(error)")
        }
        #expect([CognitoError.AccessTokenRefusal.revoked, .expired, .invalid].map(\.reason) == ["token_revoked", "token_expired", "invalid_token"])
    }

    @Test("throttling, timeouts, unreachable and unreadable answers are their own kinds; every other failure is an error answer")
    func upstreamKind() {
        #expect(CognitoError.throttled.upstreamKind == .throttled)
        #expect(CognitoError.timeout.upstreamKind == .timeout)
        #expect(CognitoError.unreachable("refused").upstreamKind == .unreachable)
        #expect(CognitoError.malformedResponse("x").upstreamKind == .malformedResponse)
        let answers: [CognitoError] = [
            .invalidGrant(nil), .unauthorizedClient(nil), .invalidClient, .invalidRequest(nil), .unsupportedTokenType,
            .notAuthorized("Invalid Access Token"), .missingRequiredScope, .userNotFound, .upstream(status: 500, excerpt: ""),
        ]
        for error in answers {
            #expect(error.upstreamKind == .errorAnswer, "\(error)")
        }
        #expect(CognitoError.UpstreamKind.allCases.map(\.reason)
            == ["throttled", "upstream_timeout", "upstream_unreachable", "upstream_malformed", "upstream_error"])
    }
}
