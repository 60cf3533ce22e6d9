import NIOCore

/// How AuthCore reaches an upstream (Cognito, a JWKS host): one request, answered or failed by
/// `deadline`, its body capped at `maxBodyBytes`. `UpstreamHTTP` is the one in production; the
/// tests of the key cache and the Cognito client use in-process ones.
public protocol UpstreamTransport: Sendable {
    func send(
        _ request: UpstreamRequest,
        deadline: NIODeadline,
        maxBodyBytes: Int
    ) async throws(UpstreamError) -> UpstreamResponse
}
