/// Why the Authorization header of a request (or a TOKEN event's `authorizationToken`) yields no
/// bearer token. Decided by `BearerCredential`; `ErrorTable.credential` writes the HTTP answer,
/// the authorizer logs `reason`.
public enum CredentialFailure: Error, Sendable, Equatable {
    /// No Authorization header, or one with nothing but spaces.
    case missing
    /// Another scheme (Basic, Digest…): a request without bearer credentials.
    case notBearerScheme
    /// Two Authorization headers, `Bearer` without a token, or more than one token.
    case malformedHeader
    /// A token longer than `TokenLimits.maximumLength`.
    case oversizedToken

    /// The refusal reason of log lines and the authorizer's outcome (unchanged since the bearer
    /// guard answered with a problem: the spelling of the code that problem carried).
    public var reason: String {
        switch self {
        case .missing: return "not_authenticated"
        case .notBearerScheme: return "invalid_authentication_scheme"
        case .malformedHeader, .oversizedToken: return "invalid_token"
        }
    }
}
