/// Streaming, strict reading of one JSON document: the caller walks objects member by member and
/// reads only what it needs as typed values, without building a `JSONValue` tree. Same grammar,
/// limits and errors as `JSONValue.parse`. A reader is only valid inside the `JSONValue.read` call
/// that created it (it points into the input bytes): never store it.
public struct JSONReader {
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    var tokenizer: JSONTokenizer

    /// What the next value is (the reader is always positioned at a value).
    public func kind() throws(JSONParseError) -> Kind {
        guard tokenizer.index < tokenizer.input.count else { throw tokenizer.fail("unexpected end of JSON") }
        switch tokenizer.input[tokenizer.index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw tokenizer.fail("unexpected character in JSON")
        }
    }

    /// Reads the next value whole.
    public mutating func value() throws(JSONParseError) -> JSONValue {
        let value = try tokenizer.parseValue()
        tokenizer.skipWhitespace()
        return value
    }

    /// Reads and discards the next value: checked with every rule, but not built.
    public mutating func skip() throws(JSONParseError) {
        try tokenizer.skipValue()
        tokenizer.skipWhitespace()
    }

    /// Reads the next value, which must be a string (check `kind()` first).
    public mutating func string() throws(JSONParseError) -> String {
        guard try kind() == .string else { throw tokenizer.fail("expected a string") }
        let text = try tokenizer.string()
        tokenizer.skipWhitespace()
        return text
    }

    /// A string value's decoded UTF-8, without building a `String`: where it lies in the document
    /// when it has no escape (most strings), else a decoded copy.
    public struct StringContent: Sendable, Equatable {
        /// Offsets of the content between the quotes in the document, when nothing was escaped.
        public var range: Range<Int>
        /// The decoded bytes when the string has an escape; nil when `range` is the string.
        public var decoded: [UInt8]?
        /// Whether every byte is ASCII.
        public var isASCII: Bool

        /// The bytes as a slice of `document` (the array `JSONValue.read` was given: no copy) or
        /// of the decoded copy.
        @inlinable
        public func bytes(in document: [UInt8]) -> ArraySlice<UInt8> {
            decoded.map { $0[...] } ?? document[range]
        }

        /// The same bytes for the duration of `body`, without making a slice (no reference count).
        /// Performance: inlinable, so each caller's `body` is specialized and inlined (the
        /// authorizer compares event fields through it on every decision).
        @inlinable
        public func withBytes<R>(in document: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let decoded { return decoded.withUnsafeBufferPointer(body) }
            return document.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }

    /// Reads the next value, which must be a string (check `kind()` first), as its bytes.
    public mutating func stringContent() throws(JSONParseError) -> StringContent {
        guard try kind() == .string else { throw tokenizer.fail("expected a string") }
        let (content, kind) = try tokenizer.scanString()
        tokenizer.skipWhitespace()
        switch kind {
        case .ascii: return StringContent(range: content, decoded: nil, isASCII: true)
        case .utf8: return StringContent(range: content, decoded: nil, isASCII: false)
        case .escaped:
            let decoded = tokenizer.decoded
            return StringContent(range: content, decoded: decoded, isASCII: !decoded.contains { $0 >= 0x80 })
        }
    }

    /// Reads the next value, which must be an object: `member` is called with each name and must
    /// read (or skip) exactly that member's value.
    public mutating func object(
        _ member: (String, inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        try object(nameBytes: { (name, json) throws(JSONParseError) in
            try member(String(decoding: name, as: UTF8.self), &json)
        })
    }

    /// The same walk with each name as its UTF-8 bytes (escapes decoded), valid only during
    /// `member`: for hot paths that match names against literals without building a `String`
    /// per member (an authorizer event has about forty).
    public mutating func object(
        nameBytes member: (UnsafeBufferPointer<UInt8>, inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard try kind() == .object else { throw tokenizer.fail("expected an object") }
        // The walk (and its refusal of repeated names: which one a reader would act on is not
        // defined, so an event with two `headers` is not an event to decide on) is the core's.
        guard try tokenizer.beginObject() else {
            tokenizer.skipWhitespace()
            return
        }
        var names = MemberNameSpans()
        repeat {
            let name = try tokenizer.memberName(recordingIn: &names)
            let span = name.span
            let before = tokenizer.index
            if span.isDecoded {
                // An escaped name lives in `names`' buffer: a copy, so the callback may read on.
                let bytes = names.withBytes(span, in: tokenizer.input) { Array($0) }
                try bytes.withUnsafeBufferPointer { (bytes) throws(JSONParseError) in try member(bytes, &self) }
            } else {
                // The input outlives the whole read, so a name written without escapes is passed in place.
                try member(UnsafeBufferPointer(rebasing: tokenizer.input[span.start..<(span.start + span.count)]), &self)
            }
            if tokenizer.index == before { try skip() }  // the callback did not read the value
        } while try tokenizer.endOfMember()
        tokenizer.skipWhitespace()
    }

    /// Reads the next value, which must be an array: `element` is called with each position and must
    /// read (or skip) exactly that element.
    public mutating func array(
        _ element: (Int, inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard try kind() == .array else { throw tokenizer.fail("expected an array") }
        guard try tokenizer.beginArray() else {
            tokenizer.skipWhitespace()
            return
        }
        var position = 0
        repeat {
            let before = tokenizer.index
            try element(position, &self)
            if tokenizer.index == before { try skip() }
            position += 1
        } while try tokenizer.endOfElement()
        tokenizer.skipWhitespace()
    }
}

extension JSONValue {
    /// Streams one document through `body` (see `JSONReader`); after it returns, only whitespace may
    /// remain. If `body` leaves the top-level value unread, it is skipped (and still checked).
    public static func read<Result>(
        _ bytes: [UInt8], maxDepth: Int = 512,
        _ body: (inout JSONReader) throws(JSONParseError) -> Result
    ) throws(JSONParseError) -> Result {
        // Typed throws all the way (no `Swift.Result` box): a generic `Result` here cost a metadata
        // lookup on every read of an authorizer event.
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> Result in
            var reader = JSONReader(tokenizer: JSONTokenizer(buffer, policy: JSONPolicy(maxDepth: maxDepth, wholeNumbersAsIntegers: true)))
            reader.tokenizer.skipWhitespace()
            let before = reader.tokenizer.index
            let result = try body(&reader)
            if reader.tokenizer.index == before { try reader.skip() }
            reader.tokenizer.skipWhitespace()
            guard reader.tokenizer.index == buffer.count else {
                throw reader.tokenizer.fail("unexpected content after the value")
            }
            return result
        }
    }
}
