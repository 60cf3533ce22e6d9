/// What the local API sends back: status, headers (repeatable, e.g. Set-Cookie), body.
public struct GatewayResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// API Gateway's own answers: `{"message":"..."}` as application/json.
    public static func message(_ status: Int, _ text: String) -> GatewayResponse {
        GatewayResponse(
            status: status, headers: [("Content-Type", "application/json")], body: Array("{\"message\":\"\(text)\"}".utf8))
    }

    public static let notFound = message(404, "Not Found")
    public static let unauthorized = message(401, "Unauthorized")
    public static let forbidden = message(403, "Forbidden")
    public static let internalServerError = message(500, "Internal Server Error")
    public static let serviceUnavailable = message(503, "Service Unavailable")
    public static let tooLarge = message(413, "Request Entity Too Large")
}
