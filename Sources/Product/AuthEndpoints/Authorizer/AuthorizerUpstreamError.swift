/// The authorizer could not decide because a dependency failed (JWKS unreachable, Cognito down or
/// throttling during the revocation check). Thrown as an invocation error, not `Unauthorized`:
/// API Gateway answers 500 rather than telling a client with a good token that it is bad.
/// Either way nothing is allowed (fail closed).
struct AuthorizerUpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
    var reason: String
    var description: String { "authorizer dependency failed: \(reason)" }
}
