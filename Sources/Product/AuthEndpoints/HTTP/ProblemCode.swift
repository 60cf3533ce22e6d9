/// Every `code` a problem+json answer of the product can carry: the stable, machine-readable
/// part of the HTTP contract. `ErrorTable` is the only place that picks one; the OpenAPI document
/// and the recorded events are checked against this list (`ProblemCodeContractTests`).
enum ProblemCode: String, CaseIterable, Sendable {
    // The bearer token (me, logout).
    case notAuthenticated = "not_authenticated"
    case invalidAuthenticationScheme = "invalid_authentication_scheme"
    case invalidToken = "invalid_token"
    case tokenExpired = "token_expired"
    case tokenRevoked = "token_revoked"
    case wrongAudience = "wrong_audience"
    case machineTokenNotAllowed = "machine_token_not_allowed"
    case userNotFound = "user_not_found"

    // Request bodies (sign-in, refresh, logout).
    case invalidRequest = "invalid_request"
    case unsupportedMediaType = "unsupported_media_type"
    case missingCode = "missing_code"
    case invalidCode = "invalid_code"
    case missingCodeVerifier = "missing_code_verifier"
    case invalidCodeVerifier = "invalid_code_verifier"
    case redirectURINotAllowed = "redirect_uri_not_allowed"

    // Sessions: the refresh token and the cross-site checks.
    case missingRefreshToken = "missing_refresh_token"
    case invalidRefreshToken = "invalid_refresh_token"
    case csrfCheckFailed = "csrf_check_failed"
    case originNotAllowed = "origin_not_allowed"

    // Cognito's refusals of a code or refresh token.
    case invalidGrant = "invalid_grant"
    case unauthorizedClient = "unauthorized_client"
    case notAuthorized = "not_authorized"

    // The deployment and the dependencies.
    case serverMisconfigured = "server_misconfigured"
    case upstreamError = "upstream_error"
    case upstreamMalformed = "upstream_malformed"
    case upstreamUnreachable = "upstream_unreachable"
    case upstreamTimeout = "upstream_timeout"
    case jwksUnavailable = "jwks_unavailable"
    case throttled
    case revocationStoreUnavailable = "revocation_store_unavailable"

    // Every route.
    case methodNotAllowed = "method_not_allowed"
}
