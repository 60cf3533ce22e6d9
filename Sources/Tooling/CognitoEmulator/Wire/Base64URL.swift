import FoundationEssentials

/// base64url without padding (RFC 7515 §2), as JWTs use it.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacing("+", with: "-")
            .replacing("/", with: "_")
            .replacing("=", with: "")
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        // Strict: no padding, no standard-alphabet characters.
        guard !text.contains("="), !text.contains("+"), !text.contains("/") else { return nil }
        var standard = String(text).replacing("-", with: "+").replacing("_", with: "/")
        switch standard.count % 4 {
        case 0: break
        case 2: standard += "=="
        case 3: standard += "="
        default: return nil
        }
        return Data(base64Encoded: standard).map { Array($0) }
    }

    static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
