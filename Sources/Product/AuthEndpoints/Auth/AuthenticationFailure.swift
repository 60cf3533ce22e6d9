import AuthCore

/// Why `BearerGuard` refused a request: no usable bearer credential in its headers, or a token
/// that failed local verification. `ErrorTable.authentication` writes the HTTP answer.
public enum AuthenticationFailure: Error, Sendable, Equatable {
    case credential(CredentialFailure)
    case token(TokenVerificationError)
}
