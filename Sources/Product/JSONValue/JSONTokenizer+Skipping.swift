/// Checking a value without building it: what the streaming reader does with the members it does
/// not read (most of an API Gateway event) and the member locator with the claims it does not need.
extension JSONTokenizer {
    /// Checks the next value with exactly the rules of `parseValue` (grammar, depth, UTF-8,
    /// escapes, numbers, repeated member names) and moves past it.
    mutating func skipValue() throws(JSONParseError) {
        guard index < input.count else { throw fail("unexpected end of JSON") }
        switch input[index] {
        case UInt8(ascii: "{"): try skipObject()
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw fail("unexpected character in JSON")
        }
    }

    /// A number is checked as `number()` checks it, range included: `1e999` is refused here too.
    mutating func skipNumber() throws(JSONParseError) {
        let start = index
        if try scanNumber(), index - start <= 18 { return }  // up to 18 digits always fit an Int64
        index = start
        _ = try number()
    }

    private mutating func skipObject() throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            leave()
            return
        }
        // Repeated names are refused here as in `parseObject` (see `JSONPolicy`).
        var names = MemberNameSpans()
        while true {
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let (span, isASCII, fingerprint) = try memberName(into: &names)
            guard names.commit(span, fingerprint: fingerprint, isASCII: isASCII, in: input) else {
                throw fail("duplicate member name")
            }
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            try skipValue()
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of JSON") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "}") {
                index += 1
                leave()
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
            leave()
            return
        }
        while true {
            skipWhitespace()
            try skipValue()
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of JSON") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
            } else if input[index] == UInt8(ascii: "]") {
                index += 1
                leave()
                return
            } else {
                throw fail("expected ',' or ']'")
            }
        }
    }
}
