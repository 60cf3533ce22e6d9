import JSONValue
import LambdaKit

/// The JSON body of `POST /auth/refresh` (and of logout) in body delivery:
/// `{"refresh_token": "..."}`. Parsed with the same rules as sign-in's body (repeated members
/// refused, `null` counts as absent).
enum RefreshRequestBody {
    static let maximumBodyBytes = 16 * 1024

    /// The token, or nil for an empty body or one without `refresh_token`.
    static func optionalToken(_ request: HTTPRequest) throws(SessionFailure) -> String? {
        guard request.body.count <= maximumBodyBytes else { throw .body(.tooLarge) }
        guard request.body.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
        if let contentType = request.headers.first(name: "Content-Type"),
            contentType.split(separator: ";").first.map({ $0.filter { $0 != " " && $0 != "\t" }.lowercased() }) != "application/json"
        {
            throw .body(.notJSON)
        }
        guard let object = (try? JSONValue.parse(request.body))?.objectValue else { throw .body(.malformed) }
        switch object["refresh_token"] {
        case nil, .null?:
            return nil
        case .string(let token)?:
            if token.isEmpty { return nil }
            try RefreshCookie.validate(token)
            return token
        default:
            throw .body(.malformed)
        }
    }
}
