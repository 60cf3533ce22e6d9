import AuthCore

/// The one table from every typed failure to its HTTP answer: status, `code`, `detail` and
/// headers. Handlers never build error responses anywhere else.
enum ErrorTable {
    // RFC 6750 §3.1: a request without credentials gets a bare challenge; a request whose
    // token is bad gets `error="invalid_token"`. The contract keeps FastAPI's 403 for both.
    static let bearerChallenge = (name: "WWW-Authenticate", value: "Bearer")
    static let invalidTokenChallenge = (name: "WWW-Authenticate", value: #"Bearer error="invalid_token""#)

    static let missingCredentials = Problem(
        status: 403, code: "not_authenticated", detail: "Not authenticated", headers: [bearerChallenge])

    static func invalidToken(_ detail: String, code: String = "invalid_token") -> Problem {
        Problem(status: 403, code: code, detail: detail, headers: [invalidTokenChallenge])
    }

    /// RFC 6750 §3.1: a valid token that may not do this is `insufficient_scope`, with a 403.
    static let insufficientScopeChallenge = (name: "WWW-Authenticate", value: #"Bearer error="insufficient_scope""#)

    /// A verified machine (client-credentials) token at an endpoint that acts for a user (`me`,
    /// `logout`): it has no user to read or sign out, so it is refused before any Cognito call
    /// (`GetUser` and `GlobalSignOut` would refuse it anyway, one round trip later).
    static let machineToken = Problem(
        status: 403, code: "machine_token_not_allowed", detail: "A machine (client credentials) token has no user",
        headers: [insufficientScopeChallenge], logReason: "machine_token")

    static func methodNotAllowed(allowed: [String]) -> Problem {
        Problem(
            status: 405, code: "method_not_allowed", detail: "Method not allowed",
            headers: [("Allow", allowed.joined(separator: ", "))])
    }

    static func badRequest(code: String, detail: String) -> Problem {
        Problem(status: 400, code: code, detail: detail)
    }

    /// A token that failed local verification. Details name the failed check (as aws-jwt-verify
    /// does) but never echo any part of the token.
    static func verification(_ error: TokenVerificationError) -> Problem {
        var problem = verificationAnswer(error)
        problem.logReason = error.reason
        problem.logDetail = error.logDetail
        return problem
    }

    private static func verificationAnswer(_ error: TokenVerificationError) -> Problem {
        switch error {
        case .malformed: return invalidToken("Malformed token")
        case .unsupportedAlgorithm: return invalidToken("Token algorithm is not allowed")
        case .missingKeyID, .unknownKeyID, .unusableKey: return invalidToken("Token signing key is unknown")
        case .badSignature: return invalidToken("Token signature is invalid")
        case .expired: return invalidToken("Access token has expired", code: "token_expired")
        case .notYetValid: return invalidToken("Token is not yet valid")
        case .issuedInFuture: return invalidToken("Token is issued in the future")
        case .wrongIssuer: return invalidToken("Token was issued by another user pool")
        case .wrongTokenUse: return invalidToken("Token is not an access token")
        case .wrongClient: return invalidToken("Token was issued to another client")
        case .machineTokenNotAccepted: return invalidToken("Machine tokens of this client are not accepted")
        case .wrongAudience: return invalidToken("Token is not for this resource", code: "wrong_audience")
        case .keysUnavailable:
            return Problem(status: 502, code: "jwks_unavailable", detail: "Could not fetch the token signing keys")
        }
    }

    /// Failures every Cognito call shares: Cognito is slow, down, throttling or talking nonsense.
    static func upstream(_ error: CognitoError) -> Problem {
        switch error {
        case .throttled:
            return Problem(
                status: 503, code: "throttled", detail: "Cognito is throttling requests; retry later",
                headers: [("Retry-After", "1")])
        case .timeout:
            return Problem(status: 502, code: "upstream_timeout", detail: "Cognito did not answer in time")
        case .unreachable:
            return Problem(status: 502, code: "upstream_unreachable", detail: "Cognito could not be reached")
        case .malformedResponse:
            return Problem(status: 502, code: "upstream_malformed", detail: "Cognito answered with an unreadable response")
        default:
            return Problem(status: 502, code: "upstream_error", detail: "Cognito answered with an error")
        }
    }

    static func signIn(_ error: CognitoError) -> Problem {
        switch error {
        case .invalidGrant:
            return Problem(
                status: 401, code: "invalid_grant",
                detail: "Authorization code is invalid, expired or already used")
        case .unauthorizedClient:
            return Problem(
                status: 401, code: "unauthorized_client",
                detail: "The app client may not redeem this code for this redirect URI")
        case .invalidClient:
            return Problem(status: 500, code: "server_misconfigured", detail: "Sign-in is misconfigured")
        case .invalidRequest, .unsupportedTokenType:
            return Problem(status: 400, code: "invalid_request", detail: "Cognito rejected the token request")
        case .notAuthorized:
            return Problem(status: 401, code: "not_authorized", detail: "Cognito refused the sign-in")
        default:
            return upstream(error)
        }
    }

    static let malformedBody = Problem(status: 400, code: "invalid_request", detail: "Malformed request body", logReason: "body_not_canonical_base64")

    static let missingRefreshToken = Problem(status: 401, code: "missing_refresh_token", detail: "No refresh token")

    static func refresh(_ error: CognitoError) -> Problem {
        switch error {
        case .invalidGrant:
            return Problem(status: 401, code: "invalid_grant", detail: "Refresh token is invalid, expired or revoked")
        case .unauthorizedClient:
            return Problem(status: 401, code: "unauthorized_client", detail: "The app client may not use refresh tokens")
        default:
            // Our own credentials, throttling and outages answer as for sign-in.
            return signIn(error)
        }
    }

    /// The app client does not grant `aws.cognito.signin.user.admin`, so Cognito refuses every
    /// `GetUser` and `GlobalSignOut`: the deployment is wrong, not the caller's token.
    static let missingAdminScope = Problem(
        status: 500, code: "server_misconfigured",
        detail: "The app client's access tokens lack the aws.cognito.signin.user.admin scope", logReason: "missing_required_scope")

    static func me(_ error: CognitoError) -> Problem {
        switch error {
        case .missingRequiredScope:
            return missingAdminScope
        case .notAuthorized(let message):
            let (code, detail) = notAuthorizedDetail(message)
            return invalidToken(detail, code: code)
        case .userNotFound:
            return Problem(status: 404, code: "user_not_found", detail: "User not found")
        default:
            return upstream(error)
        }
    }

    static func logout(_ error: CognitoError) -> Problem {
        switch error {
        case .missingRequiredScope:
            return missingAdminScope
        case .notAuthorized(let message):
            let (code, detail) = notAuthorizedDetail(message)
            return Problem(status: 401, code: code, detail: detail, headers: [invalidTokenChallenge])
        case .userNotFound:
            return Problem(status: 404, code: "user_not_found", detail: "User not found")
        default:
            return upstream(error)
        }
    }

    /// `/oauth2/revoke` did not revoke the refresh token and the token is not known to be dead
    /// (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html: 400
    /// `invalid_request` when "the feature is disabled for the app client", `invalid_client` for
    /// wrong client credentials). Both are deployment errors: nothing a caller can fix, and every
    /// logout leaves a live session behind until an operator does, so they are 500s.
    static func revocation(_ error: CognitoError) -> Problem {
        switch error {
        case .invalidRequest:
            return Problem(
                status: 500, code: "server_misconfigured",
                detail: "The refresh token was not revoked: token revocation is disabled on the app client",
                logReason: "token_revocation_disabled")
        case .invalidClient:
            return Problem(
                status: 500, code: "server_misconfigured", detail: "The refresh token was not revoked: logout is misconfigured",
                logReason: "invalid_client")
        default:
            return upstream(error)
        }
    }

    /// Logout could not write the user's revocation mark (issue 22): nothing was revoked yet, so
    /// the client retries (the write is idempotent). The DynamoDB failure is logged, never sent.
    static func revocationStoreWrite(_ error: DynamoDBError) -> Problem {
        Problem(
            status: 502, code: "revocation_store_unavailable",
            detail: "The sign-out could not be recorded; nothing was revoked, retry the logout",
            logReason: "revocation_store_write_failed", logDetail: error.description)
    }

    /// Cognito's NotAuthorizedException messages ("Access Token has been revoked", "Access Token
    /// has expired", "Invalid Access Token") are classified, not echoed.
    static func notAuthorizedDetail(_ message: String) -> (code: String, detail: String) {
        let lowered = message.lowercased()
        if lowered.contains("revoked") { return ("token_revoked", "Access token has been revoked") }
        if lowered.contains("expired") { return ("token_expired", "Access token has expired") }
        return ("invalid_token", "Cognito did not accept the access token")
    }
}
