import AuthCore

/// The one table from every domain failure to its HTTP answer: status, `code`, `detail`,
/// headers and the log line's reason. The only place a `Problem` is built and a `ProblemCode`
/// chosen; guards and handlers decide with domain values (`CredentialFailure`,
/// `AuthenticationFailure`, `SessionFailure`, `RequestBodyFailure`, AuthCore's
/// `TokenVerificationError`, `CognitoError`, `DynamoDBError`) and hand them here at the edge.
enum ErrorTable {
    // RFC 6750 §3.1: a request without credentials gets a bare challenge; a request whose
    // token is bad gets `error="invalid_token"`. The contract keeps FastAPI's 403 for both.
    static let bearerChallenge = (name: "WWW-Authenticate", value: "Bearer")
    static let invalidTokenChallenge = (name: "WWW-Authenticate", value: #"Bearer error="invalid_token""#)

    static let missingCredentials = Problem(
        status: 403, code: .notAuthenticated, detail: "Not authenticated", headers: [bearerChallenge])

    static func invalidToken(_ detail: String, code: ProblemCode = .invalidToken) -> Problem {
        Problem(status: 403, code: code, detail: detail, headers: [invalidTokenChallenge])
    }

    /// RFC 6750 §3.1: a valid token that may not do this is `insufficient_scope`, with a 403.
    static let insufficientScopeChallenge = (name: "WWW-Authenticate", value: #"Bearer error="insufficient_scope""#)

    /// A verified machine (client-credentials) token at an endpoint that acts for a user (`me`,
    /// `logout`): it has no user to read or sign out, so it is refused before any Cognito call
    /// (`GetUser` and `GlobalSignOut` would refuse it anyway, one round trip later).
    static let machineToken = Problem(
        status: 403, code: .machineTokenNotAllowed, detail: "A machine (client credentials) token has no user",
        headers: [insufficientScopeChallenge], logReason: "machine_token")

    static func methodNotAllowed(allowed: [String]) -> Problem {
        Problem(
            status: 405, code: .methodNotAllowed, detail: "Method not allowed",
            headers: [("Allow", allowed.joined(separator: ", "))])
    }

    /// The bearer guard's refusals: every one a 403 (FastAPI's `HTTPBearer` contract), a missing
    /// credential or another scheme with the bare challenge, a malformed one as an invalid token.
    static func credential(_ failure: CredentialFailure) -> Problem {
        switch failure {
        case .missing:
            return missingCredentials
        case .notBearerScheme:
            return Problem(
                status: 403, code: .invalidAuthenticationScheme, detail: "Invalid authentication scheme", headers: [bearerChallenge])
        case .malformedHeader:
            return invalidToken("Malformed Authorization header")
        case .oversizedToken:
            return invalidToken("Malformed token")
        }
    }

    static func authentication(_ failure: AuthenticationFailure) -> Problem {
        switch failure {
        case .credential(let failure): return credential(failure)
        case .token(let error): return verification(error)
        }
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
        case .expired: return invalidToken("Access token has expired", code: .tokenExpired)
        case .notYetValid: return invalidToken("Token is not yet valid")
        case .issuedInFuture: return invalidToken("Token is issued in the future")
        case .wrongIssuer: return invalidToken("Token was issued by another user pool")
        case .wrongTokenUse: return invalidToken("Token is not an access token")
        case .wrongClient: return invalidToken("Token was issued to another client")
        case .machineTokenNotAccepted: return invalidToken("Machine tokens of this client are not accepted")
        case .wrongAudience: return invalidToken("Token is not for this resource", code: .wrongAudience)
        case .keysUnavailable:
            return Problem(status: 502, code: .jwksUnavailable, detail: "Could not fetch the token signing keys")
        }
    }

    /// The 400s of a request body or the redirect URI it names, before any Cognito call.
    static func requestBody(_ failure: RequestBodyFailure) -> Problem {
        let (code, detail): (ProblemCode, String) =
            switch failure {
            case .tooLarge: (.invalidRequest, "Request body is too large")
            case .malformed, .notCanonicalBase64: (.invalidRequest, "Malformed request body")
            case .notJSONOrForm: (.unsupportedMediaType, "Body must be JSON or form-encoded")
            case .notJSON: (.unsupportedMediaType, "Body must be JSON")
            case .missingCode: (.missingCode, "Missing authorization code")
            case .malformedCode: (.invalidCode, "Malformed authorization code")
            case .missingCodeVerifier: (.missingCodeVerifier, "Missing PKCE code_verifier")
            case .malformedCodeVerifier: (.invalidCodeVerifier, "Malformed PKCE code_verifier")
            case .noRedirectURIConfigured: (.redirectURINotAllowed, "No redirect URI is configured")
            case .redirectURINotAllowed: (.redirectURINotAllowed, "redirect_uri is not allowed")
            }
        // The event decoder's finding, for the log line: the body on the wire was not canonical base64.
        let logReason = failure == .notCanonicalBase64 ? "body_not_canonical_base64" : nil
        return Problem(status: 400, code: code, detail: detail, logReason: logReason)
    }

    /// The refusals of the session endpoints (the refresh token and the cross-site checks), and
    /// a refresh token from Cognito that cannot be handed out (502: Cognito's answer is not believed).
    static func session(_ failure: SessionFailure) -> Problem {
        switch failure {
        case .requestedWithMissing, .requestedWithInvalid:
            return Problem(
                status: 403, code: .csrfCheckFailed, detail: "The X-Requested-With header is required",
                logReason: failure == .requestedWithMissing ? "x_requested_with_missing" : "x_requested_with_invalid")
        case .originNotAllowed, .severalOrigins:
            return Problem(
                status: 403, code: .originNotAllowed, detail: "Requests from this origin are not allowed",
                logReason: failure == .originNotAllowed ? "origin_not_in_allow_list" : "several_origin_headers")
        case .severalRefreshCookies:
            return Problem(status: 400, code: .invalidRequest, detail: "More than one refresh token cookie")
        case .malformedRefreshToken:
            return Problem(status: 400, code: .invalidRefreshToken, detail: "Malformed refresh token")
        case .missingRefreshToken:
            return Problem(status: 401, code: .missingRefreshToken, detail: "No refresh token")
        case .refreshTokenNotStorable:
            var problem = upstream(.malformedResponse("refresh token"))
            problem.logReason = "refresh_token_not_storable"
            problem.logDetail = "Cognito's refresh token is not base64url and dots of a length the delivery can carry"
            return problem
        case .body(let failure):
            return requestBody(failure)
        }
    }

    /// Failures every Cognito call shares: Cognito is slow, down, throttling or talking nonsense.
    static func upstream(_ error: CognitoError) -> Problem {
        switch error.upstreamKind {
        case .throttled:
            return Problem(
                status: 503, code: .throttled, detail: "Cognito is throttling requests; retry later",
                headers: [("Retry-After", "1")])
        case .timeout:
            return Problem(status: 502, code: .upstreamTimeout, detail: "Cognito did not answer in time")
        case .unreachable:
            return Problem(status: 502, code: .upstreamUnreachable, detail: "Cognito could not be reached")
        case .malformedResponse:
            return Problem(status: 502, code: .upstreamMalformed, detail: "Cognito answered with an unreadable response")
        case .errorAnswer:
            return Problem(status: 502, code: .upstreamError, detail: "Cognito answered with an error")
        }
    }

    static func signIn(_ error: CognitoError) -> Problem {
        switch error {
        case .invalidGrant:
            return Problem(
                status: 401, code: .invalidGrant,
                detail: "Authorization code is invalid, expired or already used")
        case .unauthorizedClient:
            return Problem(
                status: 401, code: .unauthorizedClient,
                detail: "The app client may not redeem this code for this redirect URI")
        case .invalidClient:
            return Problem(status: 500, code: .serverMisconfigured, detail: "Sign-in is misconfigured")
        case .invalidRequest, .unsupportedTokenType:
            return Problem(status: 400, code: .invalidRequest, detail: "Cognito rejected the token request")
        case .notAuthorized:
            return Problem(status: 401, code: .notAuthorized, detail: "Cognito refused the sign-in")
        default:
            return upstream(error)
        }
    }

    static func refresh(_ error: CognitoError) -> Problem {
        switch error {
        case .invalidGrant:
            return Problem(status: 401, code: .invalidGrant, detail: "Refresh token is invalid, expired or revoked")
        case .unauthorizedClient:
            return Problem(status: 401, code: .unauthorizedClient, detail: "The app client may not use refresh tokens")
        default:
            // Our own credentials, throttling and outages answer as for sign-in.
            return signIn(error)
        }
    }

    /// The app client does not grant `aws.cognito.signin.user.admin`, so Cognito refuses every
    /// `GetUser` and `GlobalSignOut`: the deployment is wrong, not the caller's token.
    static let missingAdminScope = Problem(
        status: 500, code: .serverMisconfigured,
        detail: "The app client's access tokens lack the aws.cognito.signin.user.admin scope", logReason: "missing_required_scope")

    /// `GetUser`: a token Cognito refuses is a 403, as the bearer guard's refusals are.
    static func me(_ error: CognitoError) -> Problem {
        accessTokenCall(error, refusedTokenStatus: 403)
    }

    /// `GlobalSignOut`: a token Cognito refuses is a 401.
    static func logout(_ error: CognitoError) -> Problem {
        accessTokenCall(error, refusedTokenStatus: 401)
    }

    /// The Cognito calls made with the caller's access token (`GetUser`, `GlobalSignOut`).
    private static func accessTokenCall(_ error: CognitoError, refusedTokenStatus: Int) -> Problem {
        if let refusal = error.accessTokenRefusal {
            let (code, detail) = accessTokenRefusal(refusal)
            return Problem(status: refusedTokenStatus, code: code, detail: detail, headers: [invalidTokenChallenge])
        }
        switch error {
        case .missingRequiredScope:
            return missingAdminScope
        case .userNotFound:
            return Problem(status: 404, code: .userNotFound, detail: "User not found")
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
                status: 500, code: .serverMisconfigured,
                detail: "The refresh token was not revoked: token revocation is disabled on the app client",
                logReason: "token_revocation_disabled")
        case .invalidClient:
            return Problem(
                status: 500, code: .serverMisconfigured, detail: "The refresh token was not revoked: logout is misconfigured",
                logReason: "invalid_client")
        default:
            return upstream(error)
        }
    }

    /// Logout could not write the user's revocation mark (issue 22): nothing was revoked yet, so
    /// the client retries (the write is idempotent). The DynamoDB failure is logged, never sent.
    static func revocationStoreWrite(_ error: DynamoDBError) -> Problem {
        Problem(
            status: 502, code: .revocationStoreUnavailable,
            detail: "The sign-out could not be recorded; nothing was revoked, retry the logout",
            logReason: "revocation_store_write_failed", logDetail: error.description)
    }

    /// Cognito's refusal of an access token (`CognitoError.accessTokenRefusal`), as the client sees it.
    private static func accessTokenRefusal(_ refusal: CognitoError.AccessTokenRefusal) -> (code: ProblemCode, detail: String) {
        switch refusal {
        case .revoked: return (.tokenRevoked, "Access token has been revoked")
        case .expired: return (.tokenExpired, "Access token has expired")
        case .invalid: return (.invalidToken, "Cognito did not accept the access token")
        }
    }
}
