import FoundationEssentials
import JSONValue
import NIOHTTP1
import WireCoding

/// Encodes an `HTTPResponse` as the JSON payload the request's integration expects.
public enum LambdaResponseEncoder {
    public static func encode(_ response: HTTPResponse, for request: HTTPRequest) -> [UInt8] {
        encode(response, origin: request.origin, albMultiValueHeaders: request.albMultiValueHeaders)
    }

    public static func encode(_ response: HTTPResponse, origin: EventOrigin, albMultiValueHeaders: Bool = false) -> [UInt8] {
        let groups = groupedHeaders(response.headers)
        var json = JSONWriter(capacity: response.body.count + 256)
        json.raw("{\"statusCode\":")
        json.int(response.status)
        switch origin {
        case .restV1:
            // API Gateway appends `headers` to `multiValueHeaders`: a header in both would be sent
            // twice, so each header goes to exactly one of the maps.
            writeSingle(&json, key: "headers", groups.filter { $0.values.count == 1 }) { $0.values[0] }
            writeMulti(&json, key: "multiValueHeaders", groups.filter { $0.values.count > 1 })
        case .httpV2, .functionURL:
            let cookies = groups.filter { $0.lowercased == "set-cookie" }.flatMap(\.values)
            writeSingle(&json, key: "headers", groups.filter { $0.lowercased != "set-cookie" }) {
                $0.values.joined(separator: ", ")
            }
            if !cookies.isEmpty {
                json.raw(",\"cookies\":[")
                for (index, cookie) in cookies.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.string(cookie)
                }
                json.raw("]")
            }
        case .alb:
            json.raw(",\"statusDescription\":")
            json.string(statusDescription(response.status))
            if albMultiValueHeaders {
                writeMulti(&json, key: "multiValueHeaders", groups)
            } else {
                // Without multi-value headers ALB takes one value per name: several Set-Cookie
                // values cannot be expressed, the last one is kept; other headers are comma-joined.
                writeSingle(&json, key: "headers", groups) { group in
                    group.lowercased == "set-cookie" ? group.values[group.values.count - 1]
                        : group.values.joined(separator: ", ")
                }
            }
        }
        json.raw(",\"body\":")
        if let text = textBody(response) {
            json.string(utf8: text)
            json.raw(",\"isBase64Encoded\":false}")
        } else {
            json.raw("\"")
            json.bytes.append(contentsOf: Base64.encode(response.body).utf8)
            json.raw("\",\"isBase64Encoded\":true}")
        }
        return json.bytes
    }

    struct HeaderGroup {
        var name: String
        var lowercased: String
        var values: [String]
    }

    /// Headers grouped case-insensitively under their first spelling, in first-seen order.
    static func groupedHeaders(_ headers: HTTPHeaders) -> [HeaderGroup] {
        var groups: [HeaderGroup] = []
        for (name, value) in headers {
            let lower = name.lowercased()
            if let index = groups.firstIndex(where: { $0.lowercased == lower }) {
                groups[index].values.append(value)
            } else {
                groups.append(HeaderGroup(name: name, lowercased: lower, values: [value]))
            }
        }
        return groups
    }

    /// `,"key":{"Name":value,…}`, each group's value written by `value`.
    private static func writeMap(
        _ json: inout JSONWriter, key: StaticString, _ groups: [HeaderGroup], value: (inout JSONWriter, HeaderGroup) -> Void
    ) {
        json.raw(",\"")
        json.raw(key)
        json.raw("\":{")
        for (index, group) in groups.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(group.name)
            json.raw(":")
            value(&json, group)
        }
        json.raw("}")
    }

    /// One string per name (`headers`).
    private static func writeSingle(
        _ json: inout JSONWriter, key: StaticString, _ groups: [HeaderGroup], value: (HeaderGroup) -> String
    ) {
        writeMap(&json, key: key, groups) { json, group in json.string(value(group)) }
    }

    /// Every value of each name as an array (`multiValueHeaders`).
    private static func writeMulti(_ json: inout JSONWriter, key: StaticString, _ groups: [HeaderGroup]) {
        writeMap(&json, key: key, groups) { json, group in
            json.raw("[")
            for (valueIndex, value) in group.values.enumerated() {
                if valueIndex > 0 { json.raw(",") }
                json.string(value)
            }
            json.raw("]")
        }
    }

    /// The body as text when it is valid UTF-8 and its content type is textual; else `nil` (base64).
    static func textBody(_ response: HTTPResponse) -> [UInt8]? {
        if response.body.isEmpty { return [] }
        guard let contentType = response.headers.first(name: "content-type"), isTextual(contentType) else {
            return nil
        }
        guard String(validating: response.body, as: UTF8.self) != nil else { return nil }
        return response.body
    }

    static func isTextual(_ contentType: String) -> Bool {
        let mediaType = trimSpaces(contentType.split(separator: ";", maxSplits: 1).first ?? "").lowercased()
        if mediaType.hasPrefix("text/") { return true }
        if mediaType.hasSuffix("+json") || mediaType.hasSuffix("+xml") { return true }
        switch mediaType {
        case "application/json", "application/xml", "application/javascript", "application/ecmascript",
            "application/x-www-form-urlencoded", "application/graphql", "application/x-ndjson":
            return true
        default:
            return false
        }
    }

    static func statusDescription(_ status: Int) -> String {
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        return reason.isEmpty ? String(status) : "\(status) \(reason)"
    }
}
