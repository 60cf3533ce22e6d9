import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener of the local API, on loopback only.
final class GatewayServer: Sendable {
    let channel: any Channel
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    static func bind(port: Int, dispatcher: RequestDispatcher) async throws -> GatewayServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(GatewayHTTPHandler(dispatcher: dispatcher))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        return GatewayServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    func close() async {
        try? await channel.close()
    }
}
