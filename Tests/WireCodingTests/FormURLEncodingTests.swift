import Testing

@testable import WireCoding

@Suite("FormURLEncoding: form bodies and query strings")
struct FormURLEncodingTests {
    @Test("form escaping keeps only the unreserved set")
    func formEscape() {
        #expect(FormURLEncoding.escape("AZaz09*-._") == "AZaz09*-._")
        #expect(FormURLEncoding.escape("a b+c&d=e/f?g#h%i~") == "a+b%2Bc%26d%3De%2Ff%3Fg%23h%25i%7E")
        #expect(FormURLEncoding.escape("é☃") == "%C3%A9%E2%98%83")
        #expect(FormURLEncoding.encode([("a", "1"), ("b c", "2&3")]) == "a=1&b+c=2%263")
    }

    @Test("unreserved style: RFC 3986 set kept, a space as %20, * escaped")
    func unreservedEscape() {
        #expect(FormURLEncoding.escape("a b/?&=", style: .unreserved) == "a%20b%2F%3F%26%3D")
        #expect(FormURLEncoding.escape("AZaz09-._~", style: .unreserved) == "AZaz09-._~")
        #expect(FormURLEncoding.escape("*+é", style: .unreserved) == "%2A%2B%C3%A9")
        #expect(FormURLEncoding.encode([("q", "a b"), ("q", "c&d"), ("e", "é")], style: .unreserved) == "q=a%20b&q=c%26d&e=%C3%A9")
        // The same text under the other style: the two differ exactly on space, `*` and `~`.
        #expect(FormURLEncoding.escape("* ~", style: .form) == "*+%7E")
        #expect(FormURLEncoding.escape("* ~", style: .unreserved) == "%2A%20~")
    }

    @Test("either style reads back to the same text under both parsers")
    func roundTrip() {
        let fields = [(name: "redirect_uri", value: "https://x.example/cb?a=1&b=2"), (name: "n é", value: "one+two * ~%")]
        for style in [FormURLEncoding.Style.form, .unreserved] {
            let text = FormURLEncoding.encode(fields, style: style)
            let strict = FormURLEncoding.parseStrictly(Array(text.utf8))
            #expect(strict?.map(\.name) == fields.map(\.name), "\(style)")
            #expect(strict?.map(\.value) == fields.map(\.value), "\(style)")
            let lenient = FormURLEncoding.parseLeniently(text)
            #expect(lenient.map(\.name) == fields.map(\.name), "\(style)")
            #expect(lenient.map(\.value) == fields.map(\.value), "\(style)")
        }
    }

    @Test func decodesPairsPlusAndPercentEscapes() throws {
        let pairs = try #require(FormURLEncoding.parseStrictly(Array("code=a%2Bb&redirect_uri=https%3A%2F%2Fx.example%2Fcb&n=one+two&empty=".utf8)))
        #expect(pairs.map(\.name) == ["code", "redirect_uri", "n", "empty"])
        #expect(pairs.map(\.value) == ["a+b", "https://x.example/cb", "one two", ""])
    }

    @Test(arguments: ["code=%", "code=%4", "code=%zz", "code=%FF", "%zz=1", "%E9=x", "a=1&b=%"])
    func refusesBrokenEscapesAndInvalidUTF8(_ body: String) {
        #expect(FormURLEncoding.parseStrictly(Array(body.utf8)) == nil)
    }

    @Test("form decoding: plus, percent escapes, repeated names")
    func form() {
        let pairs = FormURLEncoding.parseLeniently("a=1+2&b=%2F%3D&a=3&c")
        #expect(pairs.map(\.name) == ["a", "b", "a", "c"])
        #expect(pairs.map(\.value) == ["1 2", "/=", "3", ""])
        #expect(FormURLEncoding.escape("a b/?&=", style: .unreserved) == "a%20b%2F%3F%26%3D")
    }

    /// The policy difference between the two parsers, on the same inputs: strict refuses, lenient
    /// keeps a broken escape as written and repairs invalid UTF-8.
    static let brokenFields: [(text: String, value: String)] = [
        ("e=%zz", "%zz"), ("e=%", "%"), ("e=%4", "%4"), ("e=50%+off", "50% off"), ("e=%FF", "\u{FFFD}"), ("e=%C3", "\u{FFFD}"),
    ]

    @Test(arguments: brokenFields)
    func lenientKeepsWhatStrictRefuses(_ example: (text: String, value: String)) {
        #expect(FormURLEncoding.parseStrictly(Array(example.text.utf8)) == nil)
        let pairs = FormURLEncoding.parseLeniently(example.text)
        #expect(pairs.map(\.name) == ["e"])
        #expect(pairs.map(\.value) == [example.value])
    }

    @Test("both parsers: empty fields skipped, the first = splits, a name alone has an empty value")
    func fieldSplitting() throws {
        for text in ["", "&", "&&"] {
            #expect(try #require(FormURLEncoding.parseStrictly(Array(text.utf8))).isEmpty)
            #expect(FormURLEncoding.parseLeniently(text).isEmpty)
        }
        let text = "&a==b&&=v&c&"
        let strict = try #require(FormURLEncoding.parseStrictly(Array(text.utf8)))
        let lenient = FormURLEncoding.parseLeniently(text)
        for pairs in [strict, lenient] {
            #expect(pairs.map(\.name) == ["a", "", "c"])
            #expect(pairs.map(\.value) == ["=b", "v", ""])
        }
    }

    /// Separators are bytes: a combining mark after `&` or `=` (one Character in Swift) still
    /// separates, and names are compared by their bytes.
    @Test func separatorsAreBytesNotCharacters() throws {
        let text = "a=1&\u{301}b=2=\u{301}"
        let strict = try #require(FormURLEncoding.parseStrictly(Array(text.utf8)))
        let lenient = FormURLEncoding.parseLeniently(text)
        for pairs in [strict, lenient] {
            #expect(pairs.map { Array($0.name.utf8) } == [Array("a".utf8), Array("\u{301}b".utf8)])
            #expect(pairs.map { Array($0.value.utf8) } == [Array("1".utf8), Array("2=\u{301}".utf8)])
        }
    }
}
