import NIOHTTP1

/// One HTTP request, whichever AWS integration delivered it.
public struct HTTPRequest: Sendable {
    /// Uppercased.
    public var method: String
    /// The path as the client sent it (for REST v1 and ALB: the event's `path`).
    public var rawPath: String
    /// Without the leading `?`. v2/function URL: as sent; REST v1: rebuilt (percent-encoded) from the
    /// multi-value parameters; ALB: as sent (ALB does not decode).
    public var rawQueryString: String
    /// Decoded query parameters, in request order where the event keeps it (v2), else by name.
    public var queryParameters: [(name: String, value: String)]
    /// Case-insensitive, multi-valued. v1/ALB multi-value and single-value maps are merged without
    /// duplicates; v2 `cookies` also appear as one `Cookie` header.
    public var headers: HTTPHeaders
    /// Individual `name=value` cookie pairs (v2 `cookies`, else split from the `Cookie` header).
    public var cookies: [String]
    /// Body bytes, base64-decoded when the event said `isBase64Encoded`.
    public var body: [UInt8]
    /// Why the event's body could not be read (an `isBase64Encoded` body that is not canonical
    /// base64); `body` is then empty. A handler answers such a request 400, as for any malformed
    /// body: never as if it had no body.
    public var malformedBody: String?
    public var pathParameters: [String: String]
    public var origin: EventOrigin
    public var requestContext: RequestContextInfo
    /// ALB only: the target group has multi-value headers on, so the response must use them too.
    public var albMultiValueHeaders: Bool

    public init(
        method: String = "GET", rawPath: String = "/", rawQueryString: String = "",
        queryParameters: [(name: String, value: String)] = [], headers: HTTPHeaders = [:],
        cookies: [String] = [], body: [UInt8] = [], malformedBody: String? = nil, pathParameters: [String: String] = [:],
        origin: EventOrigin = .httpV2, requestContext: RequestContextInfo = RequestContextInfo(),
        albMultiValueHeaders: Bool = false
    ) {
        self.method = method.uppercased()
        self.rawPath = rawPath
        self.rawQueryString = rawQueryString
        self.queryParameters = queryParameters
        self.headers = headers
        self.cookies = cookies
        self.body = body
        self.malformedBody = malformedBody
        self.pathParameters = pathParameters
        self.origin = origin
        self.requestContext = requestContext
        self.albMultiValueHeaders = albMultiValueHeaders
    }

    /// The first value of a query parameter.
    public func queryParameter(_ name: String) -> String? {
        queryParameters.first { $0.name == name }?.value
    }

    /// The value of a cookie by name (first match).
    public func cookie(_ name: String) -> String? {
        for pair in cookies {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            if pair[..<eq] == name { return String(pair[pair.index(after: eq)...]) }
        }
        return nil
    }

    /// The body as UTF-8 text, `nil` when it is not valid UTF-8.
    public var bodyString: String? {
        String(validating: body, as: UTF8.self)
    }
}
