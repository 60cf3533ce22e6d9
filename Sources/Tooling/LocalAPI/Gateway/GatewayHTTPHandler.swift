import CognitoEmulator
import LambdaRuntimeAPIServer
import NIOCore
import NIOHTTP1

/// One client connection: collects a request (refusing bodies over API Gateway's 10 MB payload
/// limit with 413), hands it to the dispatcher and writes the answer on the connection's loop.
final class GatewayHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let maxBodyBytes = 10 * 1024 * 1024

    private let dispatcher: RequestDispatcher
    private var collector = HTTPRequestCollector(maxBodyBytes: maxBodyBytes)

    init(dispatcher: RequestDispatcher) {
        self.dispatcher = dispatcher
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let head: HTTPRequestHead
        let bytes: [UInt8]
        switch collector.take(unwrapInboundIn(data)) {
        case nil: return
        case .tooLarge(let tooLarge):
            write(context, tooLarge, GatewayResponse.tooLarge, close: true)
            return
        case .request(let request, let body):
            head = request
            bytes = body
        }
        // The server binds 127.0.0.1 only, but a web page the developer visits can re-point
        // its own name at 127.0.0.1 (DNS rebinding) and call the API same-origin, sending
        // that name as Host: only loopback names (localhost, 127/8, [::1]) are served, one
        // Host header exactly. API Gateway answers a request for a name it does not serve
        // with 403 {"message":"Forbidden"}.
        let hosts = head.headers["Host"]
        guard hosts.count == 1, LoopbackAuthority.isLoopback(hosts[0]) else {
            write(context, head, GatewayResponse.forbidden, close: !head.isKeepAlive)
            return
        }
        let peer = context.channel.remoteAddress?.ipAddress ?? "127.0.0.1"
        let request = GatewayRequest(
            method: head.method.rawValue, target: head.uri, headers: head.headers.map { ($0.name, $0.value) },
            body: bytes, sourceIp: peer, httpVersion: "HTTP/\(head.version.major).\(head.version.minor)")
        let dispatcher = self.dispatcher
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        Task {
            let response = await dispatcher.handle(request)
            eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.write(context, head, response, close: !head.isKeepAlive)
            }
        }
    }

    private func write(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ response: GatewayResponse, close: Bool) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        for (name, value) in response.headers
        where name.lowercased() != "content-length" && name.lowercased() != "transfer-encoding" && name.lowercased() != "connection" {
            headers.add(name: name, value: value)
        }
        headers.add(name: "Content-Length", value: String(response.body.count))
        if close { headers.add(name: "Connection", value: "close") }
        var responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status))
        responseHead.headers = headers
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
