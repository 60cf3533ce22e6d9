/// The one container walk of the JSON core. Every front end (`JSONValue.parse`, the skipping
/// checks, `JSONReader`, `JSONMemberLocator`) walks objects and arrays with these steps and only
/// decides what to do with each value, so they accept the same documents by construction: the
/// braces, colons, commas, nesting limit and repeated-name rule (see `JSONPolicy`) live here once.
///
///     if try tokenizer.beginObject() {
///         var names = MemberNameSpans()
///         repeat {
///             let name = try tokenizer.memberName(recordingIn: &names)
///             … read or skip exactly one value …
///         } while try tokenizer.endOfMember()
///     }
extension JSONTokenizer {
    /// A member name as `memberName(recordingIn:)` recorded it.
    struct MemberName {
        var span: MemberNameSpans.Span
        var isASCII: Bool
        var fingerprint: UInt64
    }

    /// At `{`: enters the object (refused beyond the policy's depth). True when a member follows;
    /// false for `{}`, which is then already left.
    @inline(__always)
    mutating func beginObject() throws(JSONParseError) -> Bool {
        try begin(closedBy: UInt8(ascii: "}"))
    }

    /// At a member: reads its name and the `:`, and records the name in `names`. A name that
    /// repeats an earlier one of the same object is refused here, before its value is read: which
    /// of two values a reader would act on is not defined, so no front end chooses.
    @inline(__always)
    mutating func memberName(recordingIn names: inout MemberNameSpans) throws(JSONParseError) -> MemberName {
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
        return MemberName(span: span, isASCII: isASCII, fingerprint: fingerprint)
    }

    /// After a member's value: true when `,` and another member follow; false at `}`, which
    /// leaves the object.
    @inline(__always)
    mutating func endOfMember() throws(JSONParseError) -> Bool {
        try next(closedBy: UInt8(ascii: "}"), else: "expected ',' or '}'")
    }

    /// At `[`: enters the array. True when an element follows; false for `[]`, then already left.
    @inline(__always)
    mutating func beginArray() throws(JSONParseError) -> Bool {
        try begin(closedBy: UInt8(ascii: "]"))
    }

    /// After an element: true when `,` and another element follow; false at `]`, which leaves the
    /// array.
    @inline(__always)
    mutating func endOfElement() throws(JSONParseError) -> Bool {
        try next(closedBy: UInt8(ascii: "]"), else: "expected ',' or ']'")
    }

    @inline(__always)
    private mutating func begin(closedBy close: UInt8) throws(JSONParseError) -> Bool {
        try enter()
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == close {
            index += 1
            leave()
            return false
        }
        return true
    }

    @inline(__always)
    private mutating func next(closedBy close: UInt8, else problem: String) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < input.count else { throw fail("unexpected end of JSON") }
        if input[index] == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            return true
        }
        guard input[index] == close else { throw fail(problem) }
        index += 1
        leave()
        return false
    }
}
