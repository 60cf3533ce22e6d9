import NIOCore

/// How the upstream (a loopback server or an in-process fake) answers one request.
indirect enum ServerReply: Sendable {
    case respond(status: Int, headers: [(String, String)], body: [UInt8])
    /// Waits, then answers.
    case delayed(TimeAmount, ServerReply)
    /// Closes the connection without a byte of answer.
    case drop
    /// Sends the head at once, then `count` chunks `interval` apart (a slow body).
    case trickle(status: Int, chunk: [UInt8], interval: TimeAmount, count: Int)

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
    }

    static func amzJSON(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/x-amz-json-1.1")] + headers, body: Array(body.utf8))
    }
}
