/// Why `JSONValue.parse` refused its input: where (byte offset) and what, never the input itself.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Strict RFC 8259 parsing in one pass, without Foundation: UTF-8 input, no trailing garbage,
    /// no comments, no lone surrogates, no repeated member names in an object, nesting limited to `maxDepth` (bad input is an error, never a
    /// stack overflow). Integer literals that fit become `.int`, as do exact whole numbers written with
    /// a fraction or exponent (as `JSONDecoder` reads them into `Int64`); other numbers are `.double`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        do {
            return try bytes.withUnsafeBufferPointer { buffer in
                var parser = JSONParser(buffer, maxDepth: maxDepth)
                return try parser.parseDocument()
            }
        } catch let error as JSONParseError {
            throw error
        } catch {
            throw JSONParseError(offset: 0, reason: "unreadable input")
        }
    }

    /// Same as `parse(_:)` for the UTF-8 of a string.
    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

struct JSONParser {
    let input: UnsafeBufferPointer<UInt8>
    var index = 0
    private let maxDepth: Int
    var depth = 0
    /// Reused scratch space for strings with escapes.
    private var scratch: [UInt8] = []

    init(_ input: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.input = input
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == input.count else { throw fail("unexpected content after the value") }
        return value
    }

    func fail(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < input.count else { throw fail("unexpected end of input") }
        switch input[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard input.count - index >= count else { throw fail("unexpected end of input") }
        let start = word.utf8Start
        for offset in 0..<count where input[index + offset] != start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw fail("nesting deeper than \(maxDepth)") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([:])
        }
        // Performance: members are collected first so the dictionary is allocated once, at its size.
        var pairs: [(String, JSONValue)] = []
        pairs.reserveCapacity(16)
        while true {
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try parseString()
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            pairs.append((key, try parseValue()))
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of input") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                // A repeated name is refused, never resolved: parsers disagree on which one wins
                // (first, last, both), so a document with one can mean different things to the
                // code that checks it and the code that uses it (RFC 8259 §4, RFC 7493 §2.3).
                var object = [String: JSONValue](minimumCapacity: pairs.count)
                for (key, value) in pairs where object.updateValue(value, forKey: key) != nil {
                    throw fail("duplicate member name")
                }
                return .object(object)
            } else {
                throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of input") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            } else {
                throw fail("expected ',' or ']'")
            }
        }
    }

    /// Checks the next value with the same rules as `parseValue` (grammar, depth, UTF-8, escapes,
    /// numbers, repeated member names) without building it: what a streaming reader does with the
    /// members it does not read (most of an API Gateway event).
    mutating func skipValue() throws(JSONParseError) {
        guard index < input.count else { throw fail("unexpected end of input") }
        switch input[index] {
        case UInt8(ascii: "{"): try skipObject()
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: throw fail("unexpected character")
        }
    }

    private mutating func skipObject() throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        // The same refusal of repeated names as `parseObject`.
        var names = MemberNames()
        while true {
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            guard names.insert(try parseString()) else { throw fail("duplicate member name") }
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            try skipValue()
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of input") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            } else {
                throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func skipArray() throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try skipValue()
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of input") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            } else {
                throw fail("expected ',' or ']'")
            }
        }
    }

    /// At the opening quote: a plain ASCII string (the usual case) is only scanned; escapes and
    /// non-ASCII take the full path, so their rules are the ones `parseString` applies.
    private mutating func skipString() throws(JSONParseError) {
        let start = index
        index += 1
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") || byte >= 0x80 {
                index = start
                _ = try parseString()
                return
            }
            if byte < 0x20 { throw fail("control character in a string") }
            index += 1
        }
        throw fail("unterminated string")
    }

    /// At the opening quote. Unescaped runs are validated as UTF-8 and copied once.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        var nonASCII: UInt8 = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: input[start..<index])
                index += 1
                return try makeString(slice, nonASCII: nonASCII & 0x80 != 0, offset: start)
            }
            if byte == UInt8(ascii: "\\") { return try parseEscapedString(from: start) }
            if byte < 0x20 { throw fail("control character in a string") }
            nonASCII |= byte
            index += 1
        }
        throw fail("unterminated string")
    }

    /// Performance: ASCII (the usual case) skips the generic validating initializer, which costs more
    /// than the rest of the parse; anything else must be valid UTF-8 (no repair: strict).
    private func makeString(
        _ bytes: UnsafeBufferPointer<UInt8>, nonASCII: Bool, offset: Int
    ) throws(JSONParseError) -> String {
        if !nonASCII { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw JSONParseError(offset: offset, reason: "invalid UTF-8 in a string")
        }
        return text
    }

    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try scratch.withUnsafeBufferPointer { bytes throws(JSONParseError) in
                    try makeString(bytes, nonASCII: bytes.contains { $0 >= 0x80 }, offset: start)
                }
            case UInt8(ascii: "\\"):
                index += 1
                guard index < input.count else { throw fail("unterminated string") }
                let escaped = input[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escaped)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape()
                default:
                    index -= 1
                    throw fail("invalid escape")
                }
            case 0..<0x20:
                throw fail("control character in a string")
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// After `\u`: four hex digits; a high surrogate must be followed by `\u` + a low surrogate.
    private mutating func appendUnicodeEscape() throws(JSONParseError) {
        let first = try hex4()
        let scalarValue: UInt32
        switch first {
        case 0xD800...0xDBFF:
            guard input.count - index >= 2, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
            else { throw fail("unpaired surrogate in \\u escape") }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail("unpaired surrogate in \\u escape") }
            scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00...0xDFFF:
            throw fail("unpaired surrogate in \\u escape")
        default:
            scalarValue = first
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("invalid \\u escape") }
        scratch.append(contentsOf: UTF8.encode(scalar)!)
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard input.count - index >= 4 else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func isDigit(_ at: Int) -> Bool {
        at < input.count && input[at] >= UInt8(ascii: "0") && input[at] <= UInt8(ascii: "9")
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var negative = false
        if input[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard isDigit(index) else { throw fail("invalid number") }
        // Integer part, accumulated as a negative value so Int64.min fits.
        var accumulator: Int64 = 0
        var overflow = false
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw fail("leading zero in a number") }
        } else {
            while isDigit(index) {
                let digit = Int64(input[index] - UInt8(ascii: "0"))
                if !overflow {
                    let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.subtractingReportingOverflow(digit)
                    if o1 || o2 { overflow = true } else { accumulator = next }
                }
                index += 1
            }
        }
        var isInteger = true
        if index < input.count, input[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(index) else { throw fail("invalid number") }
            while isDigit(index) { index += 1 }
        }
        if index < input.count, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw fail("invalid number") }
            while isDigit(index) { index += 1 }
        }
        if isInteger, !overflow {
            if negative { return .int(accumulator) }
            if accumulator != .min { return .int(-accumulator) }
        }
        // The slice is ASCII by construction.
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw JSONParseError(offset: start, reason: "number out of range")
        }
        if let exact = Int64(exactly: double) { return .int(exact) }
        return .double(double)
    }
}
