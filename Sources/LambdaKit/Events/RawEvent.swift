import JSONValue

/// Every field any of the four HTTP event shapes (or an authorizer event) may carry, all optional:
/// one decoding pass, then `LambdaEventDecoder` decides what the event is.
struct RawEvent: Decodable {
    var version: String?
    var type: String?
    var methodArn: String?
    var routeArn: String?
    var resource: String?
    var path: String?
    var httpMethod: String?
    var rawPath: String?
    var rawQueryString: String?
    var routeKey: String?
    var headers: LenientStringMap?
    var multiValueHeaders: LenientMultiMap?
    var queryStringParameters: LenientStringMap?
    var multiValueQueryStringParameters: LenientMultiMap?
    var pathParameters: LenientStringMap?
    var cookies: [String]?
    var body: String?
    var isBase64Encoded: Bool?
    var requestContext: RawRequestContext?

    struct RawRequestContext: Decodable {
        var requestId: String?
        var stage: String?
        var domainName: String?
        var apiId: String?
        var accountId: String?
        var routeKey: String?
        var resourcePath: String?
        var http: HTTPInfo?
        var identity: Identity?
        var elb: ELB?
        var authorizer: JSONValue?
    }

    struct HTTPInfo: Decodable {
        var method: String?
        var path: String?
        var sourceIp: String?
    }

    struct Identity: Decodable {
        var sourceIp: String?
    }

    struct ELB: Decodable {
        var targetGroupArn: String?
    }
}

/// A JSON object of strings where `null` values are skipped and numbers/booleans are read as
/// their text (hand-written events do that). Entries are sorted by name: JSON objects are unordered
/// and the result must not depend on hashing order.
struct LenientStringMap: Decodable {
    var entries: [(String, String)]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var entries: [(String, String)] = []
        for key in container.allKeys {
            if let value = try container.decode(LenientString.self, forKey: key).value {
                entries.append((key.stringValue, value))
            }
        }
        self.entries = entries.sorted { $0.0 < $1.0 }
    }
}

/// A JSON object of string arrays (`multiValueHeaders`, `multiValueQueryStringParameters`).
struct LenientMultiMap: Decodable {
    var entries: [(String, [String])]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var entries: [(String, [String])] = []
        for key in container.allKeys {
            if try container.decodeNil(forKey: key) { continue }
            let values = try container.decode([LenientString].self, forKey: key).compactMap(\.value)
            entries.append((key.stringValue, values))
        }
        self.entries = entries.sorted { $0.0 < $1.0 }
    }
}

struct LenientString: Decodable {
    var value: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = nil
        } else if let string = try? container.decode(String.self) {
            value = string
        } else if let int = try? container.decode(Int64.self) {
            value = String(int)
        } else if let bool = try? container.decode(Bool.self) {
            value = bool ? "true" : "false"
        } else {
            value = String(try container.decode(Double.self))
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
