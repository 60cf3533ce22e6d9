import Foundation
import JSONValue
import WireCoding

/// Reads a function's answer by the format 2.0 rules: an object with `statusCode` is a response
/// (`headers`, `cookies` → `Set-Cookie`, `body`, `isBase64Encoded`); any other valid JSON is the
/// body of a 200 `application/json` answer; anything else is a failed integration (nil).
public enum ProxyResponse {
    public static func read(_ payload: [UInt8]) -> GatewayResponse? {
        guard let value = try? JSONValue.parse(payload) else { return nil }
        guard case .object(let object) = value, let rawStatus = object["statusCode"] else {
            return GatewayResponse(status: 200, headers: [("Content-Type", "application/json")], body: payload)
        }
        guard let status = rawStatus.int64Value, (100...599).contains(status) else { return nil }
        var response = GatewayResponse(status: Int(status))
        if let headers = object["headers"], headers != .null {
            guard let map = headers.objectValue else { return nil }
            for name in map.keys.sorted() {
                guard let text = scalarText(map[name]!) else { return nil }
                response.headers.append((name, text))
            }
        }
        if let cookies = object["cookies"], cookies != .null {
            guard let list = cookies.arrayValue else { return nil }
            for cookie in list {
                guard let text = cookie.stringValue else { return nil }
                response.headers.append(("Set-Cookie", text))
            }
        }
        let base64 = object["isBase64Encoded"]?.boolValue ?? false
        if let body = object["body"], body != .null {
            guard let text = body.stringValue else { return nil }
            if base64 {
                guard let bytes = Base64.decode(text) else { return nil }
                response.body = bytes
            } else {
                response.body = Array(text.utf8)
            }
        }
        return response
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        default: return nil
        }
    }
}
