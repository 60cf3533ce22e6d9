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
            // Refusals are rare: report what `JSONValue.parse` says, so a refusal reads the same
            // whichever front end met it (the kind-noting scans here word none of their own).
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
        guard try beginObject() else { return }
        var names = MemberNameSpans()
        repeat {
            let name = try memberName(recordingIn: &names)
            var slot = -1
            if name.isASCII {
                slot = names.withBytes(name.span, in: input) { table.slot(of: $0, fingerprint: name.fingerprint) }
            }
            if slot >= 0 {
                let start = index
                let kind = try locatedValueKind()
                spans[slot] = JSONMemberSpan(start: Int32(start), end: Int32(index), kind: kind)
            } else {
                try skipValue()
            }
        } while try endOfMember()
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
        guard try beginArray() else { return true }
        var allStrings = true
        repeat {
            if index < input.count, input[index] != UInt8(ascii: "\"") { allStrings = false }
            try skipValue()
        } while try endOfElement()
        return allStrings
    }
}
