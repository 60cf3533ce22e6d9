import Hummingbird
import NIOCore

/// Request context that keeps the connection's channel, so a `drop` fault can close it
/// without writing any response.
struct EmulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
