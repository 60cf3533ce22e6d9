/// Why a document was refused: where (byte offset) and what, never the input itself.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Strict RFC 8259 parsing in one pass, without Foundation (see `JSONTokenizer`): UTF-8 input,
    /// no trailing garbage, no comments, no lone surrogates, no repeated member names in an object,
    /// nesting limited to `maxDepth` (bad input is an error, never a stack overflow). Integer
    /// literals that fit become `.int`, as do exact whole numbers written with a fraction or
    /// exponent; other numbers are `.double`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try parse(bytes, policy: JSONPolicy(maxDepth: maxDepth, wholeNumbersAsIntegers: true))
    }

    /// Same as `parse(_:)` for the UTF-8 of a string.
    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Parses `bytes` under `policy` (e.g. `.jose` for tokens and key sets).
    public static func parse(_ bytes: [UInt8], policy: JSONPolicy) throws(JSONParseError) -> JSONValue {
        let outcome: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONParseError) { return .success(try parse(buffer, policy: policy)) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, policy: JSONPolicy) throws(JSONParseError) -> JSONValue {
        var tokenizer = JSONTokenizer(buffer, policy: policy)
        tokenizer.skipWhitespace()
        let value = try tokenizer.parseValue()
        try tokenizer.expectEnd()
        return value
    }
}

/// The materialising front end: a `JSONValue` tree.
extension JSONTokenizer {
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < input.count else { throw fail("unexpected end of JSON") }
        switch input[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character in JSON")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        guard try beginObject() else { return .object([:]) }
        // Performance: members are collected first so the dictionary is allocated once, at its size.
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(16)
        var names = MemberNameSpans()
        repeat {
            let name = try memberName(recordingIn: &names)
            pairs.append((names.string(name.span, in: input), try parseValue()))
        } while try endOfMember()
        // Repeated names were refused as they were read (`memberName(recordingIn:)`, which compares
        // them as `String`s compare); the check here only keeps a broken invariant from trapping.
        var object = [String: JSONValue](minimumCapacity: pairs.count)
        for (key, value) in pairs where object.updateValue(value, forKey: key) != nil {
            throw fail("duplicate member name")
        }
        return .object(object)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        var elements: [JSONValue] = []
        guard try beginArray() else { return .array(elements) }
        repeat {
            elements.append(try parseValue())
        } while try endOfElement()
        return .array(elements)
    }
}
