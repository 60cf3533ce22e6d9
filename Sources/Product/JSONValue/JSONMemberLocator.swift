/// The locating front end: checks a document as one JSON object with exactly the rules of
/// `JSONValue.parse` under the same policy (same accepted documents, repeated names refused at
/// every level, same number and UTF-8 checks) and records where the top-level members named in a
/// table are, without building anything: the token verifier pays for no dictionary and no
/// `String` it does not read.
public enum JSONMemberLocator {
    /// Checks `document` and records in `spans`, at the slot of each name of `table`, where that
    /// top-level member's value is (`.absent` when there is none).
    ///
    /// Names are matched on their decoded bytes; for the names a table holds that is the same as
    /// `String` equality (see `JSONMemberTable.init`).
    public static func locate(
        _ table: JSONMemberTable, in document: UnsafeBufferPointer<UInt8>, policy: JSONPolicy = .jose,
        into spans: UnsafeMutableBufferPointer<JSONMemberSpan>
    ) throws(JSONParseError) {
        precondition(spans.count >= table.count)
        // Spans and name offsets are 31-bit; tokens are capped at 8 KiB anyway.
        guard document.count < 0x7FFF_FFFF else { throw JSONParseError(offset: 0, reason: "JSON document too large") }
        spans.initialize(repeating: .absent)
        var tokenizer = JSONTokenizer(document, policy: policy)
        do throws(JSONParseError) {
            tokenizer.skipWhitespace()
            guard tokenizer.index < document.count, tokenizer.current == UInt8(ascii: "{") else {
                throw tokenizer.fail("not a JSON object")
            }
            try tokenizer.locateMembers(table, into: spans)
            try tokenizer.expectEnd()
        } catch {
            // Refusals are rare: report what `JSONValue.parse` says (the two check repeated names
            // at different moments), so both front ends explain a refusal the same way.
            let parsed: JSONValue
            do throws(JSONParseError) { parsed = try JSONValue.parse(document, policy: policy) } catch { throw error }
            if case .object = parsed { throw error }
            throw JSONParseError(offset: 0, reason: "not a JSON object")
        }
    }
}

extension JSONTokenizer {
    /// At the `{` of the top-level object.
    fileprivate mutating func locateMembers(
        _ table: JSONMemberTable, into spans: UnsafeMutableBufferPointer<JSONMemberSpan>
    ) throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            leave()
            return
        }
        // Repeated names are refused (see `JSONPolicy`); nested objects are checked by
        // `skipValue`, which refuses them too.
        var names = MemberNameSpans()
        while true {
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let (span, isASCII, fingerprint) = try memberName(into: &names)
            skipWhitespace()
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            var slot = -1
            if isASCII {
                slot = names.withBytes(span, in: input) { table.slot(of: $0, fingerprint: fingerprint) }
            }
            if slot >= 0 {
                let start = index
                let kind = try locatedValueKind()
                spans[slot] = JSONMemberSpan(start: Int32(start), end: Int32(index), kind: kind)
            } else {
                try skipValue()
            }
            guard names.commit(span, fingerprint: fingerprint, isASCII: isASCII, in: input) else {
                throw fail("duplicate member name")
            }
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of JSON") }
            switch input[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                leave()
                return
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    /// `skipValue` that also says what kind of value it skipped.
    private mutating func locatedValueKind() throws(JSONParseError) -> JSONMemberSpan.Kind {
        guard index < input.count else { throw fail("unexpected end of JSON") }
        switch input[index] {
        case UInt8(ascii: "\""):
            switch try scanString().kind {
            case .ascii: return .asciiString
            case .utf8: return .string
            case .escaped: return .escapedString
            }
        case UInt8(ascii: "["):
            return try skipArrayNotingStrings() ? .stringArray : .array
        case UInt8(ascii: "{"):
            try skipValue()
            return .object
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
            return .number
        default:
            try skipValue()
            return .literal
        }
    }

    /// Skips an array; whether all its elements are strings.
    private mutating func skipArrayNotingStrings() throws(JSONParseError) -> Bool {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
            leave()
            return true
        }
        var allStrings = true
        while true {
            skipWhitespace()
            if index < input.count, input[index] != UInt8(ascii: "\"") { allStrings = false }
            try skipValue()
            skipWhitespace()
            guard index < input.count else { throw fail("unexpected end of JSON") }
            switch input[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                leave()
                return allStrings
            default: throw fail("expected ',' or ']'")
            }
        }
    }
}
