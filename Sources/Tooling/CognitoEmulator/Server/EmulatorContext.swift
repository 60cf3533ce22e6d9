import Hummingbird
import NIOCore

/// Request context that keeps the connection's channel, so a `drop` fault can close it
/// without writing any response, and the peer's address for `PeerAccessPolicy`.
struct EmulatorContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    /// The TCP peer, captured when the request starts (the channel forgets it once closed).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.remoteAddress = source.channel.remoteAddress
    }
}
