/// Streaming, strict reading of one JSON document: the caller walks objects member by member and
/// reads only what it needs as typed values, without building a `JSONValue` tree. Same grammar,
/// limits and errors as `JSONValue.parse`. A reader is only valid inside the `JSONValue.read` call
/// that created it (it points into the input bytes): never store it.
public struct JSONReader {
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    var parser: JSONParser

    /// What the next value is (the reader is always positioned at a value).
    public func kind() throws(JSONParseError) -> Kind {
        guard parser.index < parser.input.count else { throw parser.fail("unexpected end of input") }
        switch parser.input[parser.index] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: throw parser.fail("unexpected character")
        }
    }

    /// Reads the next value whole.
    public mutating func value() throws(JSONParseError) -> JSONValue {
        let value = try parser.parseValue()
        parser.skipWhitespace()
        return value
    }

    /// Reads and discards the next value: checked with every rule, but not built.
    public mutating func skip() throws(JSONParseError) {
        try parser.skipValue()
        parser.skipWhitespace()
    }

    /// Reads the next value, which must be a string (check `kind()` first).
    public mutating func string() throws(JSONParseError) -> String {
        guard try kind() == .string else { throw parser.fail("expected a string") }
        let text = try parser.parseString()
        parser.skipWhitespace()
        return text
    }

    /// Reads the next value, which must be an object: `member` is called with each name and must
    /// read (or skip) exactly that member's value.
    public mutating func object(
        _ member: (String, inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard try kind() == .object else { throw parser.fail("expected an object") }
        try parser.enter()
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < parser.input.count, parser.input[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
            parser.depth -= 1
            parser.skipWhitespace()
            return
        }
        // Repeated names are refused, as `JSONValue.parse` does: which one a reader would act on
        // is not defined, so an event with two `headers` (or two `authorization` headers) is not
        // an event to make a decision on.
        var names = MemberNames()
        while true {
            parser.skipWhitespace()
            guard parser.index < parser.input.count, parser.input[parser.index] == UInt8(ascii: "\"") else {
                throw parser.fail("expected a member name")
            }
            let key = try parser.parseString()
            guard names.insert(key) else { throw parser.fail("duplicate member name") }
            parser.skipWhitespace()
            guard parser.index < parser.input.count, parser.input[parser.index] == UInt8(ascii: ":") else {
                throw parser.fail("expected ':'")
            }
            parser.index += 1
            parser.skipWhitespace()
            let before = parser.index
            try member(key, &self)
            if parser.index == before { try skip() }  // the callback did not read the value
            parser.skipWhitespace()
            guard parser.index < parser.input.count else { throw parser.fail("unexpected end of input") }
            if parser.input[parser.index] == UInt8(ascii: ",") {
                parser.index += 1
            } else if parser.input[parser.index] == UInt8(ascii: "}") {
                parser.index += 1
                parser.depth -= 1
                parser.skipWhitespace()
                return
            } else {
                throw parser.fail("expected ',' or '}'")
            }
        }
    }

    /// Reads the next value, which must be an array: `element` is called with each position and must
    /// read (or skip) exactly that element.
    public mutating func array(
        _ element: (Int, inout JSONReader) throws(JSONParseError) -> Void
    ) throws(JSONParseError) {
        guard try kind() == .array else { throw parser.fail("expected an array") }
        try parser.enter()
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < parser.input.count, parser.input[parser.index] == UInt8(ascii: "]") {
            parser.index += 1
            parser.depth -= 1
            parser.skipWhitespace()
            return
        }
        var position = 0
        while true {
            parser.skipWhitespace()
            let before = parser.index
            try element(position, &self)
            if parser.index == before { try skip() }
            position += 1
            parser.skipWhitespace()
            guard parser.index < parser.input.count else { throw parser.fail("unexpected end of input") }
            if parser.input[parser.index] == UInt8(ascii: ",") {
                parser.index += 1
            } else if parser.input[parser.index] == UInt8(ascii: "]") {
                parser.index += 1
                parser.depth -= 1
                parser.skipWhitespace()
                return
            } else {
                throw parser.fail("expected ',' or ']'")
            }
        }
    }
}

extension JSONValue {
    /// Streams one document through `body` (see `JSONReader`); after it returns, only whitespace may
    /// remain. If `body` leaves the top-level value unread, it is skipped (and still checked).
    public static func read<Result>(
        _ bytes: [UInt8], maxDepth: Int = 512,
        _ body: (inout JSONReader) throws(JSONParseError) -> Result
    ) throws(JSONParseError) -> Result {
        let outcome: Swift.Result<Result, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(parser: JSONParser(buffer, maxDepth: maxDepth))
            do throws(JSONParseError) {
                reader.parser.skipWhitespace()
                let before = reader.parser.index
                let result = try body(&reader)
                if reader.parser.index == before { try reader.skip() }
                reader.parser.skipWhitespace()
                guard reader.parser.index == buffer.count else {
                    throw reader.parser.fail("unexpected content after the value")
                }
                return .success(result)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
