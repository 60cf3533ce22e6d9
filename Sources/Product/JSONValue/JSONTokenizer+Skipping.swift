/// Checking a value without building it: what the streaming reader does with the members it does
/// not read (most of an API Gateway event) and the member locator with the claims it does not need.
extension JSONTokenizer {
    /// Checks the next value with exactly the rules of `parseValue` (grammar, depth, UTF-8,
    /// escapes, numbers, repeated member names) and moves past it.
    ///
    /// Performance: a string (most skipped values: header values, ids, times) is checked here, in
    /// line at each caller; any other value in `skipOtherValue`.
    @inline(__always)
    mutating func skipValue() throws(JSONParseError) {
        if index < input.count, input[index] == UInt8(ascii: "\"") {
            _ = try scanString()
            return
        }
        try skipOtherValue()
    }

    private mutating func skipOtherValue() throws(JSONParseError) {
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
        guard try beginObject() else { return }
        var names = MemberNameSpans()
        repeat {
            _ = try memberName(recordingIn: &names)
            try skipValue()
        } while try endOfMember()
    }

    private mutating func skipArray() throws(JSONParseError) {
        guard try beginArray() else { return }
        repeat {
            try skipValue()
        } while try endOfElement()
    }
}
