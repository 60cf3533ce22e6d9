import JSONValue
import LambdaKit
import NIOHTTP1

/// A response body, as the JSON it is sent as.
protocol JSONBody {
    var json: JSONValue { get }
}

/// Builds the JSON responses of the product: stable key order (so recorded responses diff
/// cleanly) and `Cache-Control: no-store` on every response, since every body here is either a
/// token, a user's profile or an auth error. Written with `JSONWriter`, not `JSONEncoder`: the
/// Codable machinery cost the `me` cold start about a millisecond of first-use type lookups.
enum JSONResponse {
    static func make(status: Int, body: some JSONBody, contentType: String = "application/json") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Cache-Control", value: "no-store")
        return HTTPResponse(status: status, headers: headers, body: JSONWriter.serialize(body.json))
    }
}
