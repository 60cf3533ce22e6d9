import AuthCore
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// An in-process upstream for the logic tests of the key cache and the Cognito client: records
/// each request and answers it as the test says, without a socket, so those tests check the
/// caller's rules (refetching, one fetch for concurrent misses, validating answers, mapping
/// errors) and not the network. The wire behaviour of `UpstreamHTTP` (redirects refused, the body
/// cap and the deadline enforced on a real connection) is tested over `LoopbackHTTPServer`.
final class FakeUpstream: UpstreamTransport {
    /// Where the fake is reached; no request ever leaves the process.
    let baseURL = "https://upstream.test"
    private let reply: @Sendable (RecordedRequest) -> ServerReply
    private let failure: UpstreamError?
    private let recorded = Mutex<[RecordedRequest]>([])

    var requests: [RecordedRequest] { recorded.withLock { $0 } }

    /// Answers every request with `reply(request)`.
    init(_ reply: @escaping @Sendable (RecordedRequest) -> ServerReply) {
        self.reply = reply
        self.failure = nil
    }

    /// Fails every request with `error`, as the production transport reports it.
    init(failing error: UpstreamError) {
        self.reply = { _ in .drop }
        self.failure = error
    }

    /// Runs `body` with a fresh fake answering with `reply` (the shape of `LoopbackHTTPServer.with`).
    @discardableResult
    static func with<T>(
        _ reply: @escaping @Sendable (RecordedRequest) -> ServerReply, _ body: (FakeUpstream) async throws -> T
    ) async throws -> T {
        try await body(FakeUpstream(reply))
    }

    func send(
        _ request: UpstreamRequest, deadline: NIODeadline, maxBodyBytes: Int
    ) async throws(UpstreamError) -> UpstreamResponse {
        let recordedRequest = RecordedRequest(
            method: request.method, uri: Self.path(of: request.url), headers: request.headers, body: request.body ?? []
        )
        recorded.withLock { $0.append(recordedRequest) }
        if let failure { throw failure }
        return try await perform(reply(recordedRequest), deadline: deadline, maxBodyBytes: maxBodyBytes)
    }

    /// What `UpstreamHTTP` makes of the same answer on a real connection.
    private func perform(
        _ reply: ServerReply, deadline: NIODeadline, maxBodyBytes: Int
    ) async throws(UpstreamError) -> UpstreamResponse {
        switch reply {
        case .respond(let status, let headers, let body):
            guard body.count <= maxBodyBytes else { throw .bodyTooLarge(limit: maxBodyBytes) }
            return UpstreamResponse(status: status, headers: HTTPHeaders(headers), body: body)
        case .delayed(let delay, let inner):
            let remaining = deadline - .now()
            guard remaining >= delay else {
                try? await Task.sleep(nanoseconds: UInt64(max(0, remaining.nanoseconds)))
                throw .timeout
            }
            try? await Task.sleep(nanoseconds: UInt64(max(0, delay.nanoseconds)))
            return try await perform(inner, deadline: deadline, maxBodyBytes: maxBodyBytes)
        case .drop:
            throw .connectionLost("the upstream closed the connection")
        case .trickle:
            Issue.record("a trickled body needs a real connection: use LoopbackHTTPServer")
            throw .connectionLost("trickle")
        }
    }

    /// The request target of an absolute URL ("/" when it has no path).
    private static func path(of url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return url }
        let afterHost = url[scheme.upperBound...].firstIndex(of: "/") ?? url.endIndex
        let path = url[afterHost...]
        return path.isEmpty ? "/" : String(path)
    }
}
