import NIOHTTP1

/// What the upstream (a loopback server or an in-process fake) was sent.
struct RecordedRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: HTTPHeaders
    var body: [UInt8]

    var bodyString: String { String(decoding: body, as: UTF8.self) }
    /// The body as `application/x-www-form-urlencoded` fields, decoded independently of the client.
    var formFields: [String: String] { FormDecoding.decode(bodyString) }
}
