import NIOHTTP1

/// One HTTP response; encoded for the origin of the request it answers.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Multi-valued; several `Set-Cookie` headers stay separate (v2 `cookies`, v1 `multiValueHeaders`).
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The stable outcome code the invocation observers see (metrics dimension, summary line): an
    /// error's problem `code` (ErrorTable sets it). Never encoded: not part of the answer. Nil: `ok`
    /// below 400, else `http_<status>`. Must be `InvocationOutcome.isBounded`.
    public var outcome: String?

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], outcome: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.outcome = outcome
    }

    public init(status: Int, headers: HTTPHeaders = [:], body: String) {
        self.init(status: status, headers: headers, body: Array(body.utf8))
    }
}
