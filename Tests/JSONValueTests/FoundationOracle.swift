import Foundation
import JSONValue

/// Foundation's `JSONSerialization` as an independent oracle for the JSON core: a separate
/// implementation of RFC 8259, so a bug in the core's shared string or number code shows up as a
/// disagreement rather than agreeing with itself.
enum FoundationOracle {
    /// The document as Foundation reads it (scalars at the top level allowed); nil when it refuses.
    static func parse(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    /// Whether `value` (the core's reading) is what Foundation read: same structure, strings with
    /// the same UTF-8 bytes, numbers with the same value, objects with the same member names.
    static func matches(_ value: JSONValue, _ oracle: Any) -> Bool {
        switch value {
        case .null:
            return oracle is NSNull
        case .bool(let flag):
            guard let number = oracle as? NSNumber else { return (oracle as? Bool) == flag }
            return number.boolValue == flag
        case .int(let integer):
            guard let number = oracle as? NSNumber, !(oracle is String) else { return false }
            return number.int64Value == integer && number.doubleValue == Double(integer)
        case .double(let double):
            guard let number = oracle as? NSNumber, !(oracle is String) else { return false }
            return number.doubleValue == double
        case .string(let text):
            guard let string = oracle as? String else { return false }
            return Array(string.utf8) == Array(text.utf8)
        case .array(let elements):
            guard let array = oracle as? [Any], array.count == elements.count else { return false }
            return zip(elements, array).allSatisfy { matches($0, $1) }
        case .object(let members):
            guard let object = oracle as? [String: Any], object.count == members.count else { return false }
            return members.allSatisfy { name, member in object[name].map { matches(member, $0) } ?? false }
        }
    }

    /// Why the core may refuse a document Foundation accepts: rules the core adds on purpose. Each
    /// one is stated here, with the refusal it must come with; any other disagreement is a bug.
    static func explainsRefusal(_ error: JSONParseError, of bytes: [UInt8], policy: JSONPolicy) -> Bool {
        // Repeated member names: Foundation keeps one, the core refuses (see `JSONPolicy`).
        if error.reason == "duplicate member name" { return true }
        // Depth: the `.jose` policy stops at 32 levels, Foundation at 512.
        if error.reason == "nesting deeper than \(policy.maxDepth)", policy.maxDepth < 512 { return true }
        // A NUL among the first four bytes makes Foundation read the input as UTF-16 or UTF-32;
        // JSON on the wire is UTF-8 (RFC 8259 §8.1), and an unescaped NUL is never valid in it.
        if bytes.prefix(4).contains(0) { return true }
        // A trailing comma (`[1,]`, `{"a":1,}`): Foundation's reader accepts it, RFC 8259 does not.
        if error.offset < bytes.count, bytes[error.offset] == UInt8(ascii: "]") || bytes[error.offset] == UInt8(ascii: "}"),
            bytes[..<error.offset].last(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: ",")
        {
            return true
        }
        return false
    }
}
