import FoundationEssentials
import LambdaKit
import NIOHTTP1

/// Builds the JSON responses of the product: stable key order (so recorded responses diff
/// cleanly) and `Cache-Control: no-store` on every response, since every body here is either a
/// token, a user's profile or an auth error.
enum JSONResponse {
    static func make(status: Int, body: some Encodable, contentType: String = "application/json") -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(body))
        } catch {
            // Our own response types always encode; this is not reachable with them, but a
            // handler must never crash, so fall back to a fixed body.
            bytes = Array(#"{"status":500,"code":"internal_error","detail":"Internal error"}"#.utf8)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Cache-Control", value: "no-store")
        return HTTPResponse(status: status, headers: headers, body: bytes)
    }
}
