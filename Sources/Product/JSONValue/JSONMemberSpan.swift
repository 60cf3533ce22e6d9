/// Where a located member's value lies in its document (`start..<end`, a string's quotes
/// included) and what kind of value it is, so callers type-check and compare values in place and
/// build `String`s only for what they read. The accessors take the document the span was located
/// in (by `JSONMemberLocator`, which checked all of it).
public struct JSONMemberSpan: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case absent
        /// A string without escapes whose content is ASCII: its bytes are its characters.
        case asciiString
        /// A string without escapes with non-ASCII (validated UTF-8) content.
        case string
        /// A string with at least one escape: decode it to read it.
        case escapedString
        case number
        /// An array whose elements are all strings (or which is empty).
        case stringArray
        case array
        case object
        /// `true`, `false` or `null`.
        case literal
    }

    public var start: Int32
    public var end: Int32
    public var kind: Kind

    public init(start: Int32, end: Int32, kind: Kind) {
        self.start = start
        self.end = end
        self.kind = kind
    }

    public static let absent = JSONMemberSpan(start: 0, end: 0, kind: .absent)

    public var isPresent: Bool { kind != .absent }
    public var isString: Bool { kind == .asciiString || kind == .string || kind == .escapedString }
    /// The number of bytes of the value as written (a string's quotes included).
    public var byteCount: Int { Int(end - start) }

    /// The bytes between the quotes of a string without escapes.
    private var plainContent: Range<Int> { Int(start) + 1..<Int(end) - 1 }

    /// The content of a string without escapes, which is its UTF-8; nil for any other value.
    public func unescapedContent(in document: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        guard kind == .asciiString || kind == .string else { return nil }
        return UnsafeBufferPointer(rebasing: document[plainContent])
    }

    /// The value, parsed; nil when absent.
    public func value(in document: UnsafeBufferPointer<UInt8>, policy: JSONPolicy = .jose) -> JSONValue? {
        guard isPresent else { return nil }
        // One complete value the locator checked with the same rules: this parse cannot fail.
        return try? JSONValue.parse(UnsafeBufferPointer(rebasing: document[Int(start)..<Int(end)]), policy: policy)
    }

    /// The string; nil when absent or not a string.
    public func string(in document: UnsafeBufferPointer<UInt8>) -> String? {
        if let content = unescapedContent(in: document) { return String(decoding: content, as: UTF8.self) }
        guard kind == .escapedString else { return nil }
        return value(in: document)?.stringValue
    }

    /// The strings of a `.stringArray`; nil for any other value.
    public func strings(in document: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard kind == .stringArray else { return nil }
        // Performance: read straight off the bytes (no `JSONValue` tree) with the same tokenizer;
        // the locator checked this array under the same rules, so reading it cannot fail.
        var tokenizer = JSONTokenizer(UnsafeBufferPointer(rebasing: document[Int(start)..<Int(end)]), policy: .jose)
        var strings: [String] = []
        strings.reserveCapacity(8)
        tokenizer.index = 1
        while true {
            tokenizer.skipWhitespace()
            guard !tokenizer.isAtEnd, tokenizer.current == UInt8(ascii: "\"") else { return strings }
            guard let text = try? tokenizer.string() else { return nil }
            strings.append(text)
            tokenizer.skipWhitespace()
            guard !tokenizer.isAtEnd, tokenizer.current == UInt8(ascii: ",") else { return strings }
            tokenizer.index += 1
        }
    }

    /// The number when it is a plain integer of at most 18 digits (which always fits); nil
    /// otherwise (use `value(in:)`).
    @inline(__always)
    public func smallInteger(in document: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard kind == .number, end - start <= 18 else { return nil }
        var value: Int64 = 0
        for index in Int(start)..<Int(end) {
            let digit = document[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// Whether the value is a string whose decoded UTF-8 is exactly `expected`. An unescaped
    /// string is compared in place; an escaped one after decoding (`\u0061` is `a` in JSON, so an
    /// escaped spelling is the same string). Never compared as `String`s (see `ExactBytes`).
    public func stringEquals(_ expected: UnsafeBufferPointer<UInt8>, in document: UnsafeBufferPointer<UInt8>) -> Bool {
        if let content = unescapedContent(in: document) { return ExactBytes.equal(content, expected) }
        guard kind == .escapedString, let decoded = string(in: document) else { return false }
        return decoded.utf8.elementsEqual(expected)
    }

    public func stringEquals(_ expected: [UInt8], in document: UnsafeBufferPointer<UInt8>) -> Bool {
        expected.withUnsafeBufferPointer { stringEquals($0, in: document) }
    }
}
