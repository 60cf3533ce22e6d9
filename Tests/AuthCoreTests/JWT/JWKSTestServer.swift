import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 JWKS host on 127.0.0.1 for the cache tests: counts requests, and answers
/// with whatever the test set last (a JWKS, another status, garbage, a slow or huge body).
final class JWKSTestServer: Sendable {
    enum Answer: Sendable {
        case body(status: Int, [UInt8])
        /// Answers after a pause.
        case slow(TimeAmount, status: Int, [UInt8])
    }

    let port: Int
    private let channel: any Channel
    private let state: Mutex<(answer: Answer, count: Int, paths: [String])>

    var url: String { "http://127.0.0.1:\(port)/us-east-1_TestPool/.well-known/jwks.json" }
    var requestCount: Int { state.withLock { $0.count } }
    var paths: [String] { state.withLock { $0.paths } }

    func answer(_ answer: Answer) {
        state.withLock { $0.answer = answer }
    }

    func serve(_ jwks: String) {
        answer(.body(status: 200, Array(jwks.utf8)))
    }

    fileprivate func next(path: String) -> Answer {
        state.withLock { state in
            state.count += 1
            state.paths.append(path)
            return state.answer
        }
    }

    private init(channel: any Channel, answer: Answer) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.state = Mutex((answer, 0, []))
    }

    static func start(_ answer: Answer) async throws -> JWKSTestServer {
        let box = JWKSServerBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(JWKSRequestHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = JWKSTestServer(channel: channel, answer: answer)
        box.set(server)
        return server
    }

    static func start(serving jwks: String) async throws -> JWKSTestServer {
        try await start(.body(status: 200, Array(jwks.utf8)))
    }

    /// Runs `body` with a fresh server, closing it afterwards.
    static func with<T>(_ answer: Answer, _ body: (JWKSTestServer) async throws -> T) async throws -> T {
        let server = try await start(answer)
        do {
            let result = try await body(server)
            try? await server.channel.close()
            return result
        } catch {
            try? await server.channel.close()
            throw error
        }
    }

    static func with<T>(serving jwks: String, _ body: (JWKSTestServer) async throws -> T) async throws -> T {
        try await with(.body(status: 200, Array(jwks.utf8)), body)
    }
}

private final class JWKSServerBox: Sendable {
    private let value = Mutex<JWKSTestServer?>(nil)
    var server: JWKSTestServer? { value.withLock { $0 } }
    func set(_ server: JWKSTestServer) { value.withLock { $0 = server } }
}

private final class JWKSRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: JWKSServerBox
    private var path = ""

    init(box: JWKSServerBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
        case .body:
            break
        case .end:
            guard let answer = box.server?.next(path: path) else { return }
            switch answer {
            case .body(let status, let bytes):
                respond(context: context, status: status, bytes: bytes)
            case .slow(let delay, let status, let bytes):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = bound.value
                    handler.respond(context: context, status: status, bytes: bytes)
                }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, status: Int, bytes: [UInt8]) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(bytes.count))
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
