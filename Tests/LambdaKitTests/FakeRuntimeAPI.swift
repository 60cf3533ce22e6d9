import NIOHTTP1

@_spi(RuntimeAPI) @testable import LambdaKit

/// An in-process Runtime API for the loop's logic tests: hands out the queued invocations in
/// order, records every answer, and, once the queue is empty, fails `next` as a closed connection
/// does (which ends the loop).
final class FakeRuntimeAPI: LambdaRuntimeAPI {
    enum Post: Equatable {
        case response(requestId: String, body: String)
        case error(requestId: String, errorType: String, body: String)
        case initError(errorType: String, body: String)
    }

    private var queue: [RuntimeAPIClient.Invocation]
    private(set) var posts: [Post] = []
    private(set) var nextCalls = 0
    /// Thrown by every post when set (the Runtime API answering 5xx, or gone).
    var postFailure: RuntimeAPIClientError?

    static let closed = RuntimeAPIClientError.connectionFailed("127.0.0.1:9001", "connection closed")

    init(_ invocations: [RuntimeAPIClient.Invocation] = []) {
        queue = invocations
    }

    static func invocation(
        _ requestId: String, payload: String = "{}", headers: [(String, String)] = []
    ) -> RuntimeAPIClient.Invocation {
        RuntimeAPIClient.Invocation(
            requestId: requestId,
            headers: HTTPHeaders([("Lambda-Runtime-Aws-Request-Id", requestId)] + headers),
            body: Array(payload.utf8)
        )
    }

    func next() async throws(RuntimeAPIClientError) -> RuntimeAPIClient.Invocation {
        nextCalls += 1
        guard !queue.isEmpty else { throw Self.closed }
        return queue.removeFirst()
    }

    func postResponse(requestId: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int {
        try record(.response(requestId: requestId, body: String(decoding: body, as: UTF8.self)))
    }

    func postError(requestId: String, errorType: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int {
        try record(.error(requestId: requestId, errorType: errorType, body: String(decoding: body, as: UTF8.self)))
    }

    func postInitError(errorType: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int {
        try record(.initError(errorType: errorType, body: String(decoding: body, as: UTF8.self)))
    }

    private func record(_ post: Post) throws(RuntimeAPIClientError) -> Int {
        if let postFailure { throw postFailure }
        posts.append(post)
        return 202
    }
}
