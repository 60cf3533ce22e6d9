import FoundationEssentials
import NIOCore
import NIOHTTP1

/// One connection of the loopback Runtime API: routes the 2018-06-01 endpoints plus
/// `POST /_loopback/invoke` (enqueue the body, answer with the function's outcome).
final class RuntimeAPIServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bigger than Lambda's 6 MB so an oversized answer reaches the server and can be seen.
    static let maxBodyBytes = 16 << 20

    private let core: ServerCore
    private var connection = 0
    private var collector = HTTPRequestCollector(maxBodyBytes: maxBodyBytes)

    init(core: ServerCore) {
        self.core = core
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connection = core.connectionOpened()
    }

    func channelInactive(context: ChannelHandlerContext) {
        core.connectionClosed(connection)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch collector.take(unwrapInboundIn(data)) {
        case nil: return
        case .tooLarge(let head):
            respond(context, head, status: .payloadTooLarge, json: #"{"errorMessage":"payload too large","errorType":"RequestEntityTooLarge"}"#)
        case .request(let head, let body):
            route(context, head, body)
        }
    }

    private func route(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ body: [UInt8]) {
        let parts = Self.pathSegments(head.uri)
        switch (head.method, parts.count) {
        case (.GET, 4) where parts[0] == "2018-06-01" && parts[1] == "runtime" && parts[2] == "invocation" && parts[3] == "next":
            next(context, head)
        case (.POST, 5) where parts[0] == "2018-06-01" && parts[1] == "runtime" && parts[2] == "invocation"
            && (parts[4] == "response" || parts[4] == "error"):
            let outcome = RuntimeAPIOutcome(
                requestId: String(parts[3]), kind: parts[4] == "response" ? .response : .error, body: body,
                errorType: parts[4] == "error" ? head.headers.first(name: "lambda-runtime-function-error-type") : nil
            )
            switch core.answer(outcome) {
            case .accepted:
                respond(context, head, status: .accepted, json: #"{"status":"OK"}"#)
            case .unknownRequestId:
                respond(context, head, status: .badRequest, json: #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#)
            }
        case (.POST, 4) where parts[0] == "2018-06-01" && parts[1] == "runtime" && parts[2] == "init" && parts[3] == "error":
            core.initErrorPosted(RuntimeAPIInitError(body: body, errorType: head.headers.first(name: "lambda-runtime-function-error-type")))
            respond(context, head, status: .accepted, json: #"{"status":"OK"}"#)
        case (.POST, 2) where parts[0] == "_loopback" && parts[1] == "invoke":
            loopbackInvoke(context, head, body)
        case (.GET, 2) where parts[0] == "_loopback" && parts[1] == "health":
            respond(context, head, status: .ok, json: #"{"status":"OK"}"#)
        default:
            respond(context, head, status: .notFound, json: #"{"errorMessage":"not found","errorType":"NotFound"}"#)
        }
    }

    /// The non-empty `/`-separated segments of the URI's path (before any `?`). Performance: a byte
    /// loop; the generic `split` was ~8% of the server's CPU in scripts/bench-runtime.
    static func pathSegments(_ uri: String) -> [Substring] {
        var segments: [Substring] = []
        segments.reserveCapacity(6)
        let utf8 = uri.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "?") { break }
            if byte == UInt8(ascii: "/") {
                if start != index { segments.append(uri[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != index { segments.append(uri[start..<index]) }
        return segments
    }

    private func next(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        let promise = context.eventLoop.makePromise(of: RuntimeAPIInvocation.self)
        switch core.next(connection: connection, promise: promise) {
        case .deliver(let invocation):
            promise.succeed(invocation)
            deliver(context, head, invocation)
        case .parked:
            promise.futureResult.assumeIsolated().whenSuccess { invocation in
                self.deliver(context, head, invocation)
            }
        case .fault(.nextStatus(let status)):
            promise.fail(ChannelError.inappropriateOperationForState)
            respond(context, head, status: HTTPResponseStatus(statusCode: status), json: #"{"errorMessage":"injected fault","errorType":"InjectedFault"}"#)
        case .fault(.closeOnNext):
            promise.fail(ChannelError.inappropriateOperationForState)
            context.close(promise: nil)
        }
    }

    private func deliver(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ invocation: RuntimeAPIInvocation) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Lambda-Runtime-Aws-Request-Id", value: invocation.requestId)
        let deadline = invocation.deadlineEpochMs
            ?? Int64(Date().timeIntervalSince1970 * 1000) + Self.milliseconds(invocation.timeout)
        headers.add(name: "Lambda-Runtime-Deadline-Ms", value: String(deadline))
        headers.add(name: "Lambda-Runtime-Invoked-Function-Arn", value: invocation.invokedFunctionARN)
        if let traceId = invocation.traceId { headers.add(name: "Lambda-Runtime-Trace-Id", value: traceId) }
        if let clientContext = invocation.clientContext {
            headers.add(name: "Lambda-Runtime-Client-Context", value: clientContext)
        }
        if let identity = invocation.cognitoIdentity {
            headers.add(name: "Lambda-Runtime-Cognito-Identity", value: identity)
        }
        respond(context, head, status: .ok, headers: headers, body: invocation.event)
    }

    private func loopbackInvoke(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ body: [UInt8]) {
        var invocation = RuntimeAPIInvocation(event: body)
        if let requestId = head.headers.first(name: "lambda-runtime-aws-request-id") { invocation.requestId = requestId }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        _ = core.onOutcome(invocation.requestId) { outcome in
            eventLoop.execute {
                let (handler, context) = loopBound.value
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Lambda-Outcome", value: outcome.kind.rawValue)
                headers.add(name: "Lambda-Runtime-Aws-Request-Id", value: outcome.requestId)
                if let errorType = outcome.errorType { headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
                handler.respond(context, head, status: outcome.kind == .abandoned ? .badGateway : .ok, headers: headers, body: outcome.body)
            }
        }
        core.enqueue(invocation)
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: HTTPResponseStatus, json: String) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        respond(context, head, status: status, headers: headers, body: Array(json.utf8))
    }

    private func respond(
        _ context: ChannelHandlerContext, _ head: HTTPRequestHead, status: HTTPResponseStatus, headers: HTTPHeaders,
        body: [UInt8]
    ) {
        guard context.channel.isActive else { return }
        var headers = headers
        headers.add(name: "Content-Length", value: String(body.count))
        if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
        var responseHead = HTTPResponseHead(version: head.version, status: status)
        responseHead.headers = headers
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        if head.isKeepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
