/// Why a Cognito call failed. Every string in here comes from Cognito's answer after
/// `UpstreamText.sanitize` (tokens, codes and secrets of the request removed, long token-like
/// runs redacted, length capped), so it is safe to log or to put in a problem `detail`.
public enum CognitoError: Error, Sendable, Equatable {
    /// `invalid_grant`: the code is unknown, used, expired, or the PKCE verifier does not match;
    /// or the refresh token is invalid or revoked.
    case invalidGrant(String?)
    /// `unauthorized_client`: the client may not use this grant, or the redirect URI does not match.
    case unauthorizedClient(String?)
    /// `invalid_client`: our own client id / secret are wrong (or no domain is configured).
    /// A deployment error, not the caller's: map to 500 and log loudly.
    case invalidClient
    /// `invalid_request`, `unsupported_grant_type`, `invalid_scope`, or the JSON API's
    /// `InvalidParameterException`. From `/oauth2/revoke`, `invalid_request` also means that token
    /// revocation is disabled on the app client.
    case invalidRequest(String?)
    /// `/oauth2/revoke`'s `unsupported_token_type`: the token is not a refresh token, so there is
    /// no session behind it to revoke.
    /// https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
    case unsupportedTokenType
    /// `NotAuthorizedException` (and the user-state refusals `PasswordResetRequiredException`,
    /// `UserNotConfirmedException`) with Cognito's reason, e.g. "Access Token has been revoked".
    case notAuthorized(String)
    /// `NotAuthorizedException` "Access Token does not have required scopes": the token lacks
    /// `aws.cognito.signin.user.admin`, which `GetUser` and `GlobalSignOut` require
    /// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html).
    /// The app client does not grant that scope: a deployment error, not the caller's.
    case missingRequiredScope
    /// `UserNotFoundException`.
    case userNotFound
    /// `TooManyRequestsException`, `LimitExceededException`, or HTTP 429.
    case throttled
    /// A 5xx, `InternalErrorException`, or an answer this client does not know how to read.
    case upstream(status: Int, excerpt: String)
    /// The call did not finish before its deadline.
    case timeout
    /// No usable connection (refused, DNS, TLS, dropped before a complete answer).
    case unreachable(String)
    /// A success status with a body that is not what the operation returns (or is too large).
    case malformedResponse(String)

    /// What Cognito's `NotAuthorizedException` says about an access token: its message
    /// ("Access Token has been revoked", "Access Token has expired", "Invalid Access Token") is
    /// classified here, once, and never echoed. Nil for any other failure.
    public var accessTokenRefusal: AccessTokenRefusal? {
        guard case .notAuthorized(let message) = self else { return nil }
        let lowered = message.lowercased()
        if lowered.contains("revoked") { return .revoked }
        if lowered.contains("expired") { return .expired }
        return .invalid
    }

    public enum AccessTokenRefusal: Sendable, Equatable {
        case revoked
        case expired
        /// Any other NotAuthorized message: Cognito does not accept the token.
        case invalid

        /// The refusal reason of log lines and the authorizer's outcome.
        public var reason: String {
            switch self {
            case .revoked: return "token_revoked"
            case .expired: return "token_expired"
            case .invalid: return "invalid_token"
            }
        }
    }

    /// The class of a failure every Cognito call shares (Cognito slow, down, throttling or
    /// talking nonsense); every refusal an operation does not read for itself is `errorAnswer`.
    public var upstreamKind: UpstreamKind {
        switch self {
        case .throttled: return .throttled
        case .timeout: return .timeout
        case .unreachable: return .unreachable
        case .malformedResponse: return .malformedResponse
        case .invalidGrant, .unauthorizedClient, .invalidClient, .invalidRequest, .unsupportedTokenType, .notAuthorized,
            .missingRequiredScope, .userNotFound, .upstream:
            return .errorAnswer
        }
    }

    public enum UpstreamKind: Sendable, Equatable, CaseIterable {
        case throttled
        case timeout
        case unreachable
        case malformedResponse
        case errorAnswer

        /// The reason of log lines and the authorizer's outcome when a check could not be made.
        public var reason: String {
            switch self {
            case .throttled: return "throttled"
            case .timeout: return "upstream_timeout"
            case .unreachable: return "upstream_unreachable"
            case .malformedResponse: return "upstream_malformed"
            case .errorAnswer: return "upstream_error"
            }
        }
    }
}
