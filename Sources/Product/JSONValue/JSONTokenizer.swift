/// The one strict RFC 8259 grammar of the package: whitespace, literals, strings and numbers, the
/// nesting depth, and where an error is. The front ends build on it: `JSONValue.parse` (a tree),
/// `JSONReader` (streaming) and `JSONMemberLocator` (spans of an object's members, for the token
/// verifier). Each token is checked completely here, so every front end accepts exactly the same
/// documents.
///
/// Strings are checked exactly: invalid UTF-8, lone surrogates (`\ud800`) and control characters
/// are refused, never repaired, so the bytes a caller compares are the bytes that were sent.
struct JSONTokenizer {
    let input: UnsafeBufferPointer<UInt8>
    let policy: JSONPolicy
    var index = 0
    var depth = 0
    /// The decoded content of the last string with an escape (see `scanString`).
    var decoded: [UInt8] = []

    init(_ input: UnsafeBufferPointer<UInt8>, policy: JSONPolicy) {
        self.input = input
        self.policy = policy
    }

    func fail(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    var isAtEnd: Bool { index >= input.count }

    /// The byte at `index`, which must not be the end.
    var current: UInt8 { input[index] }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Past the value's end: only whitespace may remain.
    mutating func expectEnd() throws(JSONParseError) {
        skipWhitespace()
        guard index == input.count else { throw fail("unexpected content after the value") }
    }

    /// Into an array or object; refused beyond the policy's depth.
    @inline(__always)
    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= policy.maxDepth else { throw fail("nesting deeper than \(policy.maxDepth)") }
    }

    @inline(__always)
    mutating func leave() {
        depth -= 1
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard input.count - index >= count else { throw fail("unexpected end of JSON") }
        let start = word.utf8Start
        for offset in 0..<count where input[index + offset] != start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    // MARK: Strings

    enum StringKind: Sendable {
        /// No escape, ASCII content: the content bytes are the string.
        case ascii
        /// No escape, non-ASCII (validated UTF-8) content: the content bytes are the string.
        case utf8
        /// At least one escape: the string is in `decoded`.
        case escaped
    }

    /// At the opening quote: checks the string and moves past its closing quote. `content` is the
    /// bytes between the quotes as written; when `kind` is `.escaped` the decoded string is in
    /// `decoded` until the next call.
    @inline(__always)
    mutating func scanString() throws(JSONParseError) -> (content: Range<Int>, kind: StringKind) {
        index += 1
        let start = index
        var highBits: UInt64 = 0
        index = plainRunEnd(from: index, highBits: &highBits)
        guard index < input.count else { throw fail("unterminated string") }
        switch input[index] {
        case UInt8(ascii: "\""):
            let content = start..<index
            index += 1
            if highBits & 0x8080_8080_8080_8080 == 0 { return (content, .ascii) }
            guard Self.isValidUTF8(UnsafeBufferPointer(rebasing: input[content])) else {
                throw JSONParseError(offset: start, reason: "invalid UTF-8 in a string")
            }
            return (content, .utf8)
        case UInt8(ascii: "\\"):
            try decodeEscapedString(from: start)
            return (start..<index - 1, .escaped)
        default:
            throw fail("control character in a string")
        }
    }

    /// At the opening quote: the string, checked.
    mutating func string() throws(JSONParseError) -> String {
        let (content, kind) = try scanString()
        switch kind {
        case .ascii, .utf8: return String(decoding: UnsafeBufferPointer(rebasing: input[content]), as: UTF8.self)
        case .escaped: return String(decoding: decoded, as: UTF8.self)
        }
    }

    /// `JSONPlainRun.end` over the input.
    @inline(__always)
    func plainRunEnd(from start: Int, highBits: inout UInt64) -> Int {
        guard let base = input.baseAddress else { return start }
        return JSONPlainRun.end(in: base, count: input.count, from: start, highBits: &highBits)
    }

    /// With `index` on the first backslash of the string whose content starts at `start`: decodes
    /// the whole string into `decoded` and moves past its closing quote.
    private mutating func decodeEscapedString(from start: Int) throws(JSONParseError) {
        decoded.removeAll(keepingCapacity: true)
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                if decoded.contains(where: { $0 >= 0x80 }) {
                    guard decoded.withUnsafeBufferPointer({ Self.isValidUTF8($0) }) else {
                        throw JSONParseError(offset: start, reason: "invalid UTF-8 in a string")
                    }
                }
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard index < input.count else { throw fail("unterminated string") }
                let escaped = input[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape()
                default:
                    index -= 1
                    throw fail("invalid escape")
                }
            case 0..<0x20:
                throw fail("control character in a string")
            default:
                var ignored: UInt64 = 0
                let end = plainRunEnd(from: index + 1, highBits: &ignored)
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<end]))
                index = end
            }
        }
        throw fail("unterminated string")
    }

    /// After `\u`: four hex digits; a high surrogate must be followed by `\u` and a low surrogate.
    /// A lone surrogate is refused: it is no character, and decoders repair it differently.
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
        decoded.append(contentsOf: UTF8.encode(scalar)!)
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

    /// Strict UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF), without
    /// building a `String`.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    // MARK: Numbers

    @inline(__always)
    private func isDigit(_ at: Int) -> Bool {
        at < input.count && input[at] &- UInt8(ascii: "0") < 10
    }

    /// At `-` or a digit: checks the number (no leading zero, digits after `.` and after the
    /// exponent) and moves past it; whether it is an integer literal.
    @inline(__always)
    mutating func scanNumber() throws(JSONParseError) -> Bool {
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw fail("invalid number") }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw fail("leading zero in a number") }
        } else {
            while isDigit(index) { index += 1 }
        }
        var isInteger = true
        if index < input.count, input[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard isDigit(index) else { throw fail("invalid number") }
            while isDigit(index) { index += 1 }
        }
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw fail("invalid number") }
            while isDigit(index) { index += 1 }
        }
        return isInteger
    }

    /// At `-` or a digit: the number. An integer literal that fits is `.int`; other numbers are
    /// `.double` (or `.int` when exactly whole and the policy says so); a number beyond `Double`'s
    /// range is refused rather than read as infinity.
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        let isInteger = try scanNumber()
        let digits = UnsafeBufferPointer(rebasing: input[start..<index])
        if isInteger {
            let negative = digits[0] == UInt8(ascii: "-")
            // Accumulated as a negative value so that Int64.min fits.
            var accumulator: Int64 = 0
            var overflow = false
            for digit in digits[(negative ? 1 : 0)...] {
                let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.subtractingReportingOverflow(Int64(digit &- UInt8(ascii: "0")))
                if o1 || o2 {
                    overflow = true
                    break
                }
                accumulator = next
            }
            if !overflow {
                if negative { return .int(accumulator) }
                if accumulator != .min { return .int(-accumulator) }
            }
        }
        // The digits are ASCII by construction.
        guard let double = Double(String(decoding: digits, as: UTF8.self)), double.isFinite else {
            throw JSONParseError(offset: start, reason: "number out of range")
        }
        if policy.wholeNumbersAsIntegers, let exact = Int64(exactly: double) { return .int(exact) }
        return .double(double)
    }
}
