/// Why a DynamoDB call gave no usable answer. Strings come from DynamoDB's error type names or
/// from this client, never from a request (a key or a credential), so they are safe to log.
public enum DynamoDBError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `ProvisionedThroughputExceededException`, `ThrottlingException`, `RequestLimitExceeded`
    /// or HTTP 429 (after the one retry).
    case throttled
    /// A 5xx or `InternalServerError` (after the one retry).
    case serverError(status: Int)
    /// No answer before the deadline.
    case timeout
    /// No connection (refused, DNS, TLS) or it broke before a complete answer.
    case unreachable(String)
    /// An answer this client does not believe: wrong status, not JSON, wrong shape, too large.
    case malformed(String)
    /// `ConditionalCheckFailedException`: the update's condition was false (for the revocation
    /// mark: a mark at or after this one is already stored).
    case conditionalCheckFailed
    /// The credentials or the role's policy refuse the call (`AccessDeniedException`,
    /// `UnrecognizedClientException`, `InvalidSignatureException`, `ExpiredTokenException`, …).
    case accessDenied(String)
    /// `ResourceNotFoundException`: the table does not exist (or is not active).
    case tableNotFound
    /// `ValidationException` and other 4xx refusals of the request itself: a deployment or code
    /// error, not the caller's.
    case rejected(String)

    public var description: String {
        switch self {
        case .throttled: return "throttled"
        case .serverError(let status): return "server error (HTTP \(status))"
        case .timeout: return "timeout"
        case .unreachable(let why): return "unreachable (\(why))"
        case .malformed(let why): return "malformed answer (\(why))"
        case .conditionalCheckFailed: return "conditional check failed"
        case .accessDenied(let type): return "access denied (\(type))"
        case .tableNotFound: return "table not found"
        case .rejected(let type): return "request rejected (\(type))"
        }
    }

    /// Worth one more attempt within the deadline (AWS's guidance for 5xx and throttling:
    /// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.RetryAndBackoff).
    var isRetryable: Bool {
        switch self {
        case .throttled, .serverError: return true
        default: return false
        }
    }
}
