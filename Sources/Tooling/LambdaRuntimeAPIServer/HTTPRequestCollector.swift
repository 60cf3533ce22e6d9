import NIOCore
import NIOHTTP1

/// The parts of one HTTP/1.1 request collected into its head and body, for the loopback servers
/// (the Runtime API and scripts/serve's gateway): a body over `maxBodyBytes` is dropped as it
/// arrives and the request reported as too large (their 413).
public struct HTTPRequestCollector {
    public enum Collected {
        case request(HTTPRequestHead, body: [UInt8])
        case tooLarge(HTTPRequestHead)
    }

    public let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Takes one part; at its end, the whole request (nil until then, and for an end without a head).
    public mutating func take(_ part: HTTPServerRequestPart) -> Collected? {
        switch part {
        case .head(let head):
            self.head = head
            body = nil
            tooLarge = false
            return nil
        case .body(var part):
            guard !tooLarge else { return nil }
            if (body?.readableBytes ?? 0) + part.readableBytes > maxBodyBytes {
                tooLarge = true
                body = nil
                return nil
            }
            if body == nil { body = part } else { body!.writeBuffer(&part) }
            return nil
        case .end:
            guard let head else { return nil }
            self.head = nil
            defer { body = nil }
            if tooLarge { return .tooLarge(head) }
            return .request(head, body: body.map { Array($0.readableBytesView) } ?? [])
        }
    }
}
