import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (port chosen by the OS) that plays Cognito or a JWKS host
/// for the wire tests (redirects, timeouts, size caps, dropped connections): every request is
/// recorded and answered by the test's closure.
final class LoopbackHTTPServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let recorded: Mutex<[RecordedRequest]>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorded.withLock { $0 } }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
        self.recorded = Mutex([])
    }

    static func start(_ reply: @escaping @Sendable (RecordedRequest) -> ServerReply) async throws -> LoopbackHTTPServer {
        let box = RecorderBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        RequestHandler { request in
                            box.server?.recorded.withLock { $0.append(request) }
                            return reply(request)
                        }
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = LoopbackHTTPServer(channel: channel, port: channel.localAddress!.port!)
        box.set(server)
        return server
    }

    /// Starts a server and runs `body` with it, shutting it down afterwards.
    static func with<T>(
        _ reply: @escaping @Sendable (RecordedRequest) -> ServerReply,
        _ body: (LoopbackHTTPServer) async throws -> T
    ) async throws -> T {
        let server = try await start(reply)
        do {
            let result = try await body(server)
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    func shutdown() async throws {
        try await channel.close()
    }

    /// A loopback port with nothing listening on it (bound, then released).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }
}

/// Lets the child-channel handlers reach the server object created after the bind.
private final class RecorderBox: Sendable {
    private let value = Mutex<LoopbackHTTPServer?>(nil)
    var server: LoopbackHTTPServer? { value.withLock { $0 } }
    func set(_ server: LoopbackHTTPServer) { value.withLock { $0 = server } }
}

private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let onRequest: @Sendable (RecordedRequest) -> ServerReply
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(onRequest: @escaping @Sendable (RecordedRequest) -> ServerReply) {
        self.onRequest = onRequest
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = RecordedRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
            perform(onRequest(request), context: context)
        }
    }

    private func perform(_ reply: ServerReply, context: ChannelHandlerContext) {
        switch reply {
        case .respond(let status, let headers, let body):
            var responseHeaders = HTTPHeaders(headers)
            responseHeaders.replaceOrAdd(name: "Content-Length", value: String(body.count))
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: responseHeaders)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .delayed(let delay, let inner):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: delay) {
                let (handler, context) = bound.value
                guard context.channel.isActive else { return }
                handler.perform(inner, context: context)
            }
        case .drop:
            context.close(promise: nil)
        case .trickle(let status, let chunk, let interval, let count):
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: ["Transfer-Encoding": "chunked"])
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            sendChunks(chunk, interval: interval, remaining: count, context: context)
        }
    }

    private func sendChunks(_ chunk: [UInt8], interval: TimeAmount, remaining: Int, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard remaining > 0 else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: interval) {
            let (handler, context) = bound.value
            handler.sendChunks(chunk, interval: interval, remaining: remaining - 1, context: context)
        }
    }
}
