import Foundation
import JSONValue
import WireCoding

/// Builds the HTTP API payload format 2.0 event for a request (and the 2.0 authorizer event):
/// lower-cased headers with repeats comma-joined, `Cookie` moved to `cookies`, query parameters
/// comma-joined, `requestContext` with `http`, `requestId`, `time`, `timeEpoch`, `domainName`,
/// `stage`; a body that is not text is base64-encoded.
public struct EventBuilder: Sendable {
    public var accountId: String
    public var apiId: String
    public var region: String
    /// How the API is reached (`$default` at the API's own URL by default; `LocalAPIOptions`).
    public var mount: APIMount

    public init(accountId: String, apiId: String, region: String, mount: APIMount = APIMount()) {
        self.accountId = accountId
        self.apiId = apiId
        self.region = region
        self.mount = mount
    }

    public struct Context: Sendable {
        public var requestId: String
        public var routeKey: String
        public var pathParameters: [String: String]
        public var timeEpochMs: Int64
        /// The path within the API (`rawPath` without the stage or mapping key); nil: `rawPath`.
        public var apiPath: String? = nil

        public init(requestId: String, routeKey: String, pathParameters: [String: String], timeEpochMs: Int64, apiPath: String? = nil) {
            self.requestId = requestId
            self.routeKey = routeKey
            self.pathParameters = pathParameters
            self.timeEpochMs = timeEpochMs
            self.apiPath = apiPath
        }
    }

    static let timeFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        return formatter
    }()

    func common(_ request: GatewayRequest, _ context: Context) -> [String: JSONValue] {
        var headers: [String: String] = [:]
        var order: [String] = []
        var cookies: [String] = []
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "cookie" {
                cookies += value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                continue
            }
            if let existing = headers[lower] { headers[lower] = existing + "," + value } else {
                headers[lower] = value
                order.append(lower)
            }
        }
        headers["x-forwarded-for"] = headers["x-forwarded-for"].map { $0 + ", " + request.sourceIp } ?? request.sourceIp
        headers["x-forwarded-proto"] = headers["x-forwarded-proto"] ?? "http"
        if headers["x-forwarded-port"] == nil, let host = headers["host"], let colon = host.lastIndex(of: ":") {
            headers["x-forwarded-port"] = String(host[host.index(after: colon)...])
        }
        headers["x-amzn-trace-id"] = headers["x-amzn-trace-id"] ?? "Root=1-\(String(context.timeEpochMs / 1000, radix: 16))-\(context.requestId.replacingOccurrences(of: "-", with: "").prefix(24))"

        var event: [String: JSONValue] = [
            "version": .string("2.0"),
            "routeKey": .string(context.routeKey),
            "rawPath": .string(request.rawPath),
            "rawQueryString": .string(request.rawQueryString),
            "headers": Self.object(headers),
        ]
        if !cookies.isEmpty { event["cookies"] = .array(cookies.map { .string($0) }) }
        let query = Self.queryParameters(request.rawQueryString)
        if !query.isEmpty { event["queryStringParameters"] = Self.object(query) }
        if !context.pathParameters.isEmpty { event["pathParameters"] = Self.object(context.pathParameters) }
        let host = headers["host"] ?? "localhost"
        let domainName = host.split(separator: ":").first.map(String.init) ?? host
        let date = Date(timeIntervalSince1970: Double(context.timeEpochMs) / 1000)
        event["requestContext"] = .object([
            "accountId": .string(accountId),
            "apiId": .string(apiId),
            "domainName": .string(domainName),
            "domainPrefix": .string(domainName.split(separator: ".").first.map(String.init) ?? domainName),
            "http": .object([
                "method": .string(request.method),
                "path": .string(request.rawPath),
                "protocol": .string(request.httpVersion),
                "sourceIp": .string(request.sourceIp),
                "userAgent": .string(headers["user-agent"] ?? ""),
            ]),
            "requestId": .string(context.requestId),
            "routeKey": .string(context.routeKey),
            "stage": .string(mount.stage),
            "time": .string(Self.timeFormatter.string(from: date)),
            "timeEpoch": .int(context.timeEpochMs),
        ])
        return event
    }

    /// The integration event; `authorizerContext` becomes `requestContext.authorizer.lambda`.
    public func event(_ request: GatewayRequest, _ context: Context, authorizerContext: JSONValue?) -> [UInt8] {
        var event = common(request, context)
        if let authorizerContext, case .object(var requestContext)? = event["requestContext"] {
            requestContext["authorizer"] = .object(["lambda": authorizerContext])
            event["requestContext"] = .object(requestContext)
        }
        if !request.body.isEmpty {
            let contentType = request.header("content-type") ?? ""
            if Self.isTextual(contentType), let text = String(validating: request.body, as: UTF8.self) {
                event["body"] = .string(text)
                event["isBase64Encoded"] = .bool(false)
            } else {
                event["body"] = .string(Base64.encode(request.body))
                event["isBase64Encoded"] = .bool(true)
            }
        } else {
            event["isBase64Encoded"] = .bool(false)
        }
        return Self.serialize(event)
    }

    public func authorizerEvent(_ request: GatewayRequest, _ context: Context, identitySource: [String]) -> [UInt8] {
        var event = common(request, context)
        event["type"] = .string("REQUEST")
        event["routeArn"] = .string(routeArn(request, context))
        event["identitySource"] = .array(identitySource.map { .string($0) })
        return Self.serialize(event)
    }

    /// `…:apiId/{stage}/{METHOD}{path within the API}`; for the `$default` route, with
    /// `mount.defaultRouteArn`, `…:apiId/{stage}/$default` (the shape the authorizer must not depend on).
    public func routeArn(_ request: GatewayRequest, _ context: Context) -> String {
        let base = "arn:aws:execute-api:\(region):\(accountId):\(apiId)/\(mount.stage)/"
        if mount.defaultRouteArn, context.routeKey == "$default" { return base + "$default" }
        return base + request.method + (context.apiPath ?? request.rawPath)
    }

    static func serialize(_ event: [String: JSONValue]) -> [UInt8] {
        JSONWriter.serialize(.object(event))
    }

    static func object(_ map: [String: String]) -> JSONValue {
        .object(map.mapValues { .string($0) })
    }

    /// Query parameters decoded, repeated names comma-joined (format 2.0).
    static func queryParameters(_ raw: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            if let existing = result[name] { result[name] = existing + "," + value } else { result[name] = value }
        }
        return result
    }

    static func isTextual(_ contentType: String) -> Bool {
        let media = (contentType.split(separator: ";").first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            .lowercased()
        if media.hasPrefix("text/") || media.hasSuffix("+json") || media.hasSuffix("+xml") { return true }
        return [
            "application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded",
            "application/graphql", "application/x-ndjson",
        ].contains(media)
    }
}
