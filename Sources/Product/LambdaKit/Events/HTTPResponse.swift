import NIOHTTP1

/// One HTTP response; encoded for the origin of the request it answers.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Multi-valued; several `Set-Cookie` headers stay separate (v2 `cookies`, v1 `multiValueHeaders`).
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: HTTPHeaders = [:], body: String) {
        self.init(status: status, headers: headers, body: Array(body.utf8))
    }
}
