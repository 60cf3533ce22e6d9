import LambdaRuntimeAPIServer
import NIOCore

/// The HTTP listener of the local API, on loopback only.
final class GatewayServer: Sendable {
    let channel: any Channel
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    static func bind(port: Int, dispatcher: RequestDispatcher) async throws -> GatewayServer {
        let channel = try await LoopbackHTTPServer.bind(host: "127.0.0.1", port: port) { GatewayHTTPHandler(dispatcher: dispatcher) }
        return GatewayServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    func close() async {
        try? await channel.close()
    }
}
