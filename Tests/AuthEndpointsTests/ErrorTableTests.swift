import AuthCore
import LambdaKit
import Testing

@testable import AuthEndpoints

@Suite struct ErrorTableTests {
    static let verificationFailures: [TokenVerificationError] = [
        .malformed("x"), .unsupportedAlgorithm("HS256"), .missingKeyID, .unknownKeyID, .unusableKey("x"),
        .badSignature, .expired, .notYetValid, .issuedInFuture, .wrongIssuer, .wrongTokenUse, .wrongClient,
        .machineTokenNotAccepted, .wrongAudience,
    ]

    @Test func everyVerificationFailureIsA403WithTheInvalidTokenChallenge() {
        for failure in Self.verificationFailures {
            let problem = ErrorTable.verification(failure)
            #expect(problem.status == 403, "\(failure)")
            #expect(problem.headers.map(\.value) == [#"Bearer error="invalid_token""#], "\(failure)")
        }
        #expect(ErrorTable.verification(.expired).code == "token_expired")
        #expect(ErrorTable.verification(.expired).detail == "Access token has expired")
        #expect(ErrorTable.verification(.wrongAudience).code == "wrong_audience")
    }

    /// Issue 21: `me` and `logout` act for a user; a verified machine token gets its own 403.
    @Test func aMachineTokenHasItsOwnCodeAndTheInsufficientScopeChallenge() {
        let problem = ErrorTable.machineToken
        #expect(problem.status == 403)
        #expect(problem.code == "machine_token_not_allowed")
        #expect(problem.headers.map(\.value) == [#"Bearer error="insufficient_scope""#])
    }

    /// Issue 9.11: the client sees one vague answer for several checks ("Token signing key is
    /// unknown"); the log line names the check, so an attack and a misconfiguration differ.
    @Test func everyRefusalLogsWhichCheckRefusedItButNeverSendsIt() throws {
        let expected = [
            "malformed", "unsupported_alg", "missing_kid", "unknown_kid", "unusable_key", "bad_signature", "expired",
            "not_yet_valid", "issued_in_future", "wrong_issuer", "wrong_token_use", "wrong_client",
            "machine_token_not_accepted", "wrong_audience",
        ]
        #expect(Self.verificationFailures.map { ErrorTable.verification($0).logReason } == expected)
        #expect(Set(expected).count == expected.count)
        let unknown = ErrorTable.verification(.unknownKeyID)
        #expect(unknown.logMetadata["reason"] == "unknown_kid")
        #expect(unknown.logMetadata["code"] == "invalid_token")
        #expect(ErrorTable.verification(.malformed("exp claim missing")).logMetadata["check"] == "exp claim missing")
        #expect(ErrorTable.verification(.keysUnavailable("timeout")).logReason == "jwks_unavailable")
        let body = String(decoding: unknown.response.body, as: UTF8.self)
        #expect(!body.contains("unknown_kid"))
        #expect(body.contains("Token signing key is unknown"))
    }

    @Test func unavailableKeysAreAnUpstreamFailureNotTheClientsFault() {
        let problem = ErrorTable.verification(.keysUnavailable("timeout"))
        #expect(problem.status == 502)
        #expect(problem.headers.isEmpty)
    }

    @Test func signInMapsCognitoRefusalsToTheContract() {
        #expect(ErrorTable.signIn(.invalidGrant(nil)).status == 401)
        #expect(ErrorTable.signIn(.unauthorizedClient(nil)).status == 401)
        #expect(ErrorTable.signIn(.invalidClient).status == 500)
        #expect(ErrorTable.signIn(.invalidRequest(nil)).status == 400)
        #expect(ErrorTable.signIn(.throttled).status == 503)
        #expect(ErrorTable.signIn(.throttled).headers.map(\.name) == ["Retry-After"])
        for upstream: CognitoError in [.timeout, .unreachable("x"), .malformedResponse("x"), .upstream(status: 500, excerpt: "")] {
            #expect(ErrorTable.signIn(upstream).status == 502, "\(upstream)")
        }
    }

    @Test func meAndLogoutDifferOnlyOnHowTheyReportARefusedToken() {
        let revoked = CognitoError.notAuthorized("Access Token has been revoked")
        #expect(ErrorTable.me(revoked).status == 403)
        #expect(ErrorTable.me(revoked).code == "token_revoked")
        #expect(ErrorTable.logout(revoked).status == 401)
        #expect(ErrorTable.logout(revoked).code == "token_revoked")
        #expect(ErrorTable.me(.notAuthorized("Access Token has expired")).code == "token_expired")
        #expect(ErrorTable.me(.notAuthorized("Invalid Access Token")).code == "invalid_token")
        #expect(ErrorTable.me(.userNotFound).status == 404)
        #expect(ErrorTable.logout(.userNotFound).status == 404)
    }

    /// The authorizer reads the same classifications (`AuthorizerRevocationCheck`) and reports
    /// their reasons: the codes me and logout answer with.
    @Test func cognitosClassificationsAreTheAuthorizersReasonsAndTheCodes() {
        for message in ["Access Token has been revoked", "Access Token has expired", "Invalid Access Token"] {
            let error = CognitoError.notAuthorized(message)
            #expect(ErrorTable.me(error).code == error.accessTokenRefusal?.reason, "\(message)")
            #expect(ErrorTable.logout(error).code == error.accessTokenRefusal?.reason, "\(message)")
        }
        let failures: [CognitoError] = [
            .throttled, .timeout, .unreachable("x"), .malformedResponse("x"), .upstream(status: 500, excerpt: ""), .userNotFound,
            .missingRequiredScope, .invalidGrant(nil),
        ]
        for error in failures {
            #expect(ErrorTable.upstream(error).code == error.upstreamKind.reason, "\(error)")
        }
    }

    @Test func problemResponsesAreProblemJSONAndNeverCached() throws {
        let response = ErrorTable.methodNotAllowed(allowed: ["GET", "POST"]).response
        #expect(response.status == 405)
        #expect(response.headers["Content-Type"] == ["application/problem+json"])
        #expect(response.headers["Cache-Control"] == ["no-store"])
        #expect(response.headers["Allow"] == ["GET, POST"])
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"code":"method_not_allowed","detail":"Method not allowed","status":405,"title":"Method Not Allowed","type":"about:blank"}"#)
    }
}
