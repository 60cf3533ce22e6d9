/// Why an upstream call produced no response. Never carries request bodies or tokens.
public enum UpstreamError: Error, Sendable, Equatable {
    /// The call did not finish before its deadline.
    case timeout
    /// No connection could be made (refused, DNS, connect timeout, TLS handshake).
    case unreachable(String)
    /// The connection broke after it was made (dropped mid-response).
    case connectionLost(String)
    /// The body was larger than the cap for this call.
    case bodyTooLarge(limit: Int)
}
