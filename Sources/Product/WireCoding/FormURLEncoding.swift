/// `application/x-www-form-urlencoded` bodies and query strings (WHATWG URL standard): pairs split
/// on `&` and the first `=`, `+` is a space, `%XX` a byte, the bytes UTF-8.
///
/// Splitting and decoding work on bytes, never on Characters: a combining mark after `&` or `=`
/// must not hide the separator (Swift would merge them into one Character).
public enum FormURLEncoding {
    /// Which bytes an encoder leaves as they are, and how it writes a space.
    public enum Style: Sendable {
        /// WHATWG `application/x-www-form-urlencoded`: `A–Z a–z 0–9 * - . _` kept, a space as `+`.
        /// What Cognito's OAuth endpoints are sent.
        case form
        /// RFC 3986 unreserved `A–Z a–z 0–9 - . _ ~` kept, everything else (a space too) as `%XX`.
        /// Reads the same under both the form and the RFC 3986 rules, so safe in any query string.
        case unreserved
    }

    /// `name=value` pairs joined by `&`, each side escaped in `style`.
    public static func encode(_ fields: [(name: String, value: String)], style: Style = .form) -> String {
        fields.map { escape($0.name, style: style) + "=" + escape($0.value, style: style) }.joined(separator: "&")
    }

    /// `text` with every byte outside the style's kept set percent-encoded from UTF-8 (uppercase hex).
    public static func escape(_ text: String, style: Style = .form) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.append(byte)
            case UInt8(ascii: "*") where style == .form, UInt8(ascii: "~") where style == .unreserved:
                out.append(byte)
            case UInt8(ascii: " ") where style == .form:
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The pairs of `bytes`, or nil when a percent escape is broken (`%`, `%4`, `%zz`) or a decoded
    /// name or value is not UTF-8.
    ///
    /// Security: for input a handler acts on (a sign-in form). A broken body is refused (400) rather
    /// than read as something its sender may not have meant.
    public static func parseStrictly(_ bytes: some Collection<UInt8>) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        var malformed = false
        forEachField(Array(bytes)) { name, value in
            let nameBytes = percentDecoded(name, malformed: &malformed)
            let valueBytes = percentDecoded(value, malformed: &malformed)
            guard !malformed, let name = String(validating: nameBytes, as: UTF8.self),
                let value = String(validating: valueBytes, as: UTF8.self)
            else {
                malformed = true
                return false
            }
            pairs.append((name, value))
            return true
        }
        return malformed ? nil : pairs
    }

    /// The pairs of `text` as browsers read a query string: a broken percent escape is kept as
    /// written, invalid UTF-8 is repaired (U+FFFD). Never fails.
    ///
    /// For query strings, which a handler only reads as hints and which the platform (API Gateway,
    /// the emulator's clients) hands over as the client sent them.
    public static func parseLeniently(_ text: String) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var malformed = false
        forEachField(Array(text.utf8)) { name, value in
            pairs.append((decodedLeniently(name, malformed: &malformed), decodedLeniently(value, malformed: &malformed)))
            return true
        }
        return pairs
    }

    /// Calls `body` with the raw name and value of each non-empty `&`-separated field (the value
    /// empty when there is no `=`) until it returns false.
    private static func forEachField(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Bool) {
        for field in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: ArraySlice<UInt8>, value: ArraySlice<UInt8>
            if let equals = field.firstIndex(of: UInt8(ascii: "=")) {
                name = field[..<equals]
                value = field[(equals + 1)...]
            } else {
                name = field
                value = []
            }
            guard body(name, value) else { return }
        }
    }

    private static func decodedLeniently(_ component: ArraySlice<UInt8>, malformed: inout Bool) -> String {
        // Performance: most names and values have nothing to decode.
        guard component.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(decoding: component, as: UTF8.self)
        }
        return String(decoding: percentDecoded(component, malformed: &malformed), as: UTF8.self)
    }

    /// `component` with `+` as a space and `%XX` as the byte; a `%` not followed by two hex digits
    /// is kept as written and sets `malformed`.
    private static func percentDecoded(_ component: ArraySlice<UInt8>, malformed: inout Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index < component.endIndex {
            let byte = component[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), component.endIndex - index >= 3,
                let high = hexValue(component[index + 1]), let low = hexValue(component[index + 2])
            {
                bytes.append(high << 4 | low)
                index += 2
            } else {
                if byte == UInt8(ascii: "%") { malformed = true }
                bytes.append(byte)
            }
            index += 1
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
