import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for the Lambda Runtime API (2018-06-01): one persistent keep-alive
/// connection, one request at a time, as the official runtimes do. Reconnects if the server closes.
/// SPI so the runtime benchmark can drive the same client without the LambdaMain machinery.
@_spi(RuntimeAPI) public final class RuntimeAPIClient {
    public struct Invocation: Sendable {
        public var requestId: String
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    public let host: String
    public let port: Int
    private let group: any EventLoopGroup
    private var channel: (any Channel)?
    /// Performance: built once; each request copies one and, for a POST, adds Content-Length.
    private let baseHeaders: HTTPHeaders
    private let jsonPostHeaders: HTTPHeaders

    public init(address: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(RuntimeAPIClientError) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (1...65535).contains(port), colon != address.startIndex
        else {
            throw .badAddress(address)
        }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = port
        self.group = group
        var headers = HTTPHeaders()
        headers.reserveCapacity(5)
        headers.add(name: "Host", value: address)
        headers.add(name: "User-Agent", value: "LambdaKit/1.0")
        self.baseHeaders = headers
        headers.add(name: "Content-Type", value: "application/json")
        self.jsonPostHeaders = headers
    }

    /// `GET /runtime/invocation/next`; waits as long as the server holds it (no timeout, by design).
    public func next() async throws(RuntimeAPIClientError) -> Invocation {
        let response = try await request(.GET, "/2018-06-01/runtime/invocation/next")
        guard response.status == 200 else {
            throw .unexpectedStatus(response.status, "invocation/next")
        }
        guard let requestId = response.headers.first(name: "lambda-runtime-aws-request-id"), !requestId.isEmpty else {
            throw .missingRequestId
        }
        return Invocation(requestId: requestId, headers: response.headers, body: response.body)
    }

    /// `POST /runtime/invocation/{id}/response`. Returns the status (202 expected).
    @discardableResult
    public func postResponse(requestId: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int {
        try await post("/2018-06-01/runtime/invocation/\(requestId)/response", body: body, errorType: nil)
    }

    @discardableResult
    public func postError(requestId: String, errorType: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int {
        try await post("/2018-06-01/runtime/invocation/\(requestId)/error", body: body, errorType: errorType)
    }

    @discardableResult
    public func postInitError(errorType: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int {
        try await post("/2018-06-01/runtime/init/error", body: body, errorType: errorType)
    }

    public func close() {
        channel?.close(promise: nil)
        channel = nil
    }

    private func post(_ path: String, body: [UInt8], errorType: String?) async throws(RuntimeAPIClientError) -> Int {
        var headers = jsonPostHeaders
        if let errorType { headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
        let response = try await request(.POST, path, headers: headers, body: body)
        if response.status >= 500 {
            throw .unexpectedStatus(response.status, String(path.split(separator: "/").last ?? ""))
        }
        return response.status
    }

    private func request(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders? = nil, body: [UInt8]? = nil
    ) async throws(RuntimeAPIClientError) -> RuntimeAPIResponse {
        let channel = try await connectedChannel()
        // Host and User-Agent come first, as before: `headers` (when given) starts with them.
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers ?? baseHeaders)
        var buffer: ByteBuffer?
        if let body {
            head.headers.add(name: "Content-Length", value: String(body.count))
            buffer = channel.allocator.buffer(bytes: body)
        }
        let promise = channel.eventLoop.makePromise(of: RuntimeAPIResponse.self)
        channel.writeAndFlush(RuntimeAPIRequest(head: head, body: buffer, promise: promise), promise: nil)
        do {
            return try await promise.futureResult.get()
        } catch {
            channel.close(promise: nil)
            self.channel = nil
            throw .connectionFailed("\(host):\(port)", String(describing: error))
        }
    }

    private func connectedChannel() async throws(RuntimeAPIClientError) -> any Channel {
        if let channel, channel.isActive { return channel }
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(5))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(RuntimeAPIChannelHandler())
                    }
                }
                .connect(host: host, port: port)
                .get()
            self.channel = channel
            return channel
        } catch {
            throw .connectionFailed("\(host):\(port)", String(describing: error))
        }
    }
}

public enum RuntimeAPIClientError: Error, Sendable, Equatable, CustomStringConvertible {
    case badAddress(String)
    case connectionFailed(String, String)
    case unexpectedStatus(Int, String)
    case missingRequestId

    public var description: String {
        switch self {
        case .badAddress(let address): return "AWS_LAMBDA_RUNTIME_API is not host:port: \(address)"
        case .connectionFailed(let address, let why): return "Runtime API at \(address) unreachable: \(why)"
        case .unexpectedStatus(let status, let what): return "Runtime API answered \(status) to \(what)"
        case .missingRequestId: return "Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id"
        }
    }
}

struct RuntimeAPIResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}

struct RuntimeAPIRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var promise: EventLoopPromise<RuntimeAPIResponse>
}

/// Pairs each written request with the next complete response on the connection.
final class RuntimeAPIChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = RuntimeAPIRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var pending: EventLoopPromise<RuntimeAPIResponse>?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard pending == nil else {
            request.promise.fail(ChannelError.inappropriateOperationForState)
            return
        }
        pending = request.promise
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = nil
        case .body(var part):
            if body == nil { body = part } else { body!.writeBuffer(&part) }
        case .end:
            guard let promise = pending, let head else { return }
            pending = nil
            self.head = nil
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            body = nil
            promise.succeed(RuntimeAPIResponse(status: Int(head.status.code), headers: head.headers, body: bytes))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        pending?.fail(ChannelError.eof)
        pending = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        pending?.fail(error)
        pending = nil
        context.close(promise: nil)
    }
}
