/// Why a session request (cookie or body delivery of the refresh token) is refused, or why
/// Cognito's refresh token cannot be handed out. `ErrorTable.session` writes the answer.
enum SessionFailure: Error, Sendable, Equatable {
    /// Cookie delivery without `X-Requested-With`.
    case requestedWithMissing
    /// `X-Requested-With` repeated, empty or only whitespace.
    case requestedWithInvalid
    /// An `Origin` that is not exactly one of the allowed origins (`null` included).
    case originNotAllowed
    case severalOrigins
    /// Two refresh cookies: which one a browser sends first is not defined.
    case severalRefreshCookies
    /// A refresh token (cookie or body) that is not base64url and dots of a bounded length.
    case malformedRefreshToken
    /// Refresh without any refresh token.
    case missingRefreshToken
    /// Cognito's refresh token cannot be written as the delivery would read it back.
    case refreshTokenNotStorable
    /// The body that carries the refresh token in body delivery.
    case body(RequestBodyFailure)
}
