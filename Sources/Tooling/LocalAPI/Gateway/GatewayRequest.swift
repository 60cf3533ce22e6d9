/// One HTTP request as the local API received it: raw target, headers in arrival order, body.
public struct GatewayRequest: Sendable {
    public var method: String
    /// The request target as sent (`/path?query`).
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var sourceIp: String
    public var httpVersion: String

    public init(
        method: String, target: String, headers: [(name: String, value: String)], body: [UInt8], sourceIp: String,
        httpVersion: String = "HTTP/1.1"
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.sourceIp = sourceIp
        self.httpVersion = httpVersion
    }

    public var rawPath: String {
        if let mark = target.firstIndex(of: "?") { return String(target[..<mark]) }
        return target
    }

    public var rawQueryString: String {
        if let mark = target.firstIndex(of: "?") { return String(target[target.index(after: mark)...]) }
        return ""
    }

    /// Every value of a header (case-insensitive name), in order.
    public func values(_ name: String) -> [String] {
        let lower = name.lowercased()
        return headers.filter { $0.name.lowercased() == lower }.map(\.value)
    }

    public func header(_ name: String) -> String? { values(name).first }
}
