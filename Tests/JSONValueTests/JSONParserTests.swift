import Testing

import JSONValue

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"s":"a\"b\\c\/d\n","i":-42,"d":0.25,"e":1.5e3,"t":true,"f":false,"n":null,"a":[1,[]],"o":{}} "#)
        #expect(value["s"] == .string("a\"b\\c/d\n"))
        #expect(value["i"] == .int(-42))
        #expect(value["d"] == .double(0.25))
        #expect(value["e"]?.doubleValue == 1500)
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["n"] == .null)
        #expect(value["a"] == .array([.int(1), .array([])]))
        #expect(value["o"] == .object([:]))
    }

    @Test func decodesUnicodeEscapesIncludingSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
        #expect(try JSONValue.parse(Array("\"é😀\"".utf8)) == .string("é😀"))
    }

    @Test func keepsIntegersExactAndOverflowingIntegersAsDoubles() throws {
        #expect(try JSONValue.parse("9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try JSONValue.parse("99999999999999999999").doubleValue != nil)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"tab\there\"",
        "{\"a\" 1}", "[1 2]", "{} {}", "NaN", "Infinity",
    ])
    func refusesMalformedDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue.parse(fine) }
    }

    @Test func errorsSayWhere() {
        do {
            _ = try JSONValue.parse(#"{"a": tru}"#)
            Issue.record("accepted")
        } catch {
            #expect(error.offset >= 6)
            #expect(error.description.hasPrefix("invalid JSON at byte"))
        }
    }
}
