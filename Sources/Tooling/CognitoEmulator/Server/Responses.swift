import Hummingbird

/// Response builders for the wire formats the emulator speaks.
/// `HTTPField.Name` without importing HTTPTypes (Hummingbird re-exports only `HTTPFields`).
typealias HTTPFieldName = HTTPFields.Element.Name

enum Responses {
    static let amzTarget = HTTPFieldName("X-Amz-Target")!
    static let amzErrorType = HTTPFieldName("x-amzn-ErrorType")!
    static let amzRequestId = HTTPFieldName("x-amzn-RequestId")!
    static let pragma = HTTPFieldName("Pragma")!
    static let amzJSON = "application/x-amz-json-1.1"

    /// JSON API success (`application/x-amz-json-1.1`).
    static func awsJSON(_ json: OrderedJSON, requestId: String) -> Response {
        body(json.serialized(), status: .ok, headers: [.contentType: amzJSON, amzRequestId: requestId])
    }

    /// JSON API error as Cognito sends it: `{"__type": ..., "message": ...}` plus the
    /// `x-amzn-ErrorType` header (`Type:namespace-uri`, which clients must cut at the colon).
    static func awsError(_ type: String, _ message: String?, status: Int = 400, requestId: String, typePrefix: String = "") -> Response {
        var members: [(String, OrderedJSON)] = [("__type", .string(typePrefix + type))]
        members.append(("message", message.map { .string($0) } ?? .null))
        return body(
            OrderedJSON.object(members).serialized(),
            status: .init(code: status),
            headers: [
                .contentType: amzJSON,
                amzRequestId: requestId,
                amzErrorType: "\(type):http://internal.amazon.com/coral/com.amazonaws.swbup.service/",
            ]
        )
    }

    /// OAuth2 endpoint JSON (`/oauth2/token` and friends): never cached.
    static func oauthJSON(_ json: OrderedJSON, status: Int = 200, extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [
            .contentType: "application/json;charset=UTF-8",
            .cacheControl: "no-cache, no-store, max-age=0, must-revalidate",
            pragma: "no-cache",
        ]
        headers.append(contentsOf: extraHeaders)
        return body(json.serialized(), status: .init(code: status), headers: headers)
    }

    static func oauthError(_ error: String, _ description: String? = nil, status: Int = 400, extraHeaders: HTTPFields = [:]) -> Response {
        var members: [(String, OrderedJSON)] = []
        if let description { members.append(("error_description", .string(description))) }
        members.append(("error", .string(error)))
        return oauthJSON(.object(members), status: status, extraHeaders: extraHeaders)
    }

    static func json(_ json: OrderedJSON, status: Int = 200) -> Response {
        body(json.serialized(), status: .init(code: status), headers: [.contentType: "application/json"])
    }

    /// 403 for a privileged feature asked for by a peer that is not trusted (`PeerAccessPolicy`).
    static func forbiddenPeer(_ message: String) -> Response {
        body(
            OrderedJSON.object([("error", .string("forbidden")), ("message", .string(message))]).serialized(),
            status: .forbidden,
            headers: [.contentType: "application/json", .cacheControl: "no-store"]
        )
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .found, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func html(_ text: String, status: Int = 200) -> Response {
        body(text, status: .init(code: status), headers: [.contentType: "text/html;charset=UTF-8", .cacheControl: "no-store"])
    }

    static func empty(status: Int = 200) -> Response {
        Response(status: .init(code: status), headers: [.contentLength: "0"])
    }

    static func body(_ text: String, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func htmlEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
