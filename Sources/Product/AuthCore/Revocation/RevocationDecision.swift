/// What the revocation check says about one token, as the caller must act on it.
public enum RevocationDecision: Sendable, Equatable {
    /// No mark, or the token's session began after it.
    case allow
    /// The user's sessions up to `revokedBefore` (epoch seconds) are revoked and this token's
    /// `auth_time` is not after it: refuse it like an invalid token.
    case deny(revokedBefore: Int64)
    /// The store gave no answer and `AUTH_REVOCATION_ON_ERROR=deny` (the default): refuse the
    /// token and log the failure at error.
    case denyStoreUnavailable(DynamoDBError)
    /// The store gave no answer and `AUTH_REVOCATION_ON_ERROR=allow`: accept the token, and log
    /// the failure at error (revocation is not being enforced while it lasts).
    case allowStoreUnavailable(DynamoDBError)

    /// Whether the token may be used.
    public var isAllowed: Bool {
        switch self {
        case .allow, .allowStoreUnavailable: return true
        case .deny, .denyStoreUnavailable: return false
        }
    }

    /// The store failure to log at error, if any.
    public var storeFailure: DynamoDBError? {
        switch self {
        case .denyStoreUnavailable(let error), .allowStoreUnavailable(let error): return error
        case .allow, .deny: return nil
        }
    }
}
