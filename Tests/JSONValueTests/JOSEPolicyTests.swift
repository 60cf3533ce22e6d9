import Testing

import JSONValue

/// `JSONPolicy.jose`, the policy of JOSE headers, JWT claims and JWKS documents.
@Suite("JSONPolicy.jose")
struct JOSEPolicyTests {
    func parse(_ text: String) -> JSONValue? {
        try? JSONValue.parse(Array(text.utf8), policy: .jose)
    }

    @Test("parses every JSON value kind; numbers as written")
    func values() {
        #expect(parse(#"{"a":[1,-2,3.5,1e3,true,false,null,"x"],"b":{}}"#)
            == .object(["a": .array([.int(1), .int(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null, .string("x")]), "b": .object([:])]))
        #expect(parse(" [ ] ") == .array([]))
        #expect(parse("9223372036854775807") == .int(Int64.max))
        #expect(parse("-9223372036854775808") == .int(Int64.min))
        #expect(parse("9223372036854775808") == .double(9223372036854775808))
        #expect(parse("0") == .int(0))
        #expect(parse("-0.0e-2") == .double(-0.0))
        // The standard policy reads exact whole numbers as integers.
        #expect((try? JSONValue.parse("1e3")) == .int(1000))
    }

    @Test("string escapes, including surrogate pairs")
    func escapes() {
        #expect(parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#) == .string("a\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{1F600}"))
        #expect(parse("\"caf\u{E9}\"") == .string("caf\u{E9}"))
    }

    @Test("refuses what RFC 8259 does not allow, and duplicates")
    func refuses() {
        let bad = [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "-", "1.", ".5", "1e", "+1",
            "NaN", "Infinity", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"", "\"tab\there\"", "{} {}", "[1] x", "{\"a\":1,\"a\":2}", "1e999",
        ]
        for text in bad {
            #expect(parse(text) == nil, "\(text)")
        }
        #expect((try? JSONValue.parse([0x22, 0xFF, 0x22], policy: .jose)) == nil)  // invalid UTF-8
        #expect((try? JSONValue.parse([0x22, 0xC3, 0x28, 0x22], policy: .jose)) == nil)
    }

    @Test("refuses deep nesting instead of recursing without bound")
    func depth() {
        #expect(parse(String(repeating: "[", count: 32) + String(repeating: "]", count: 32)) != nil)
        #expect(parse(String(repeating: "[", count: 33) + String(repeating: "]", count: 33)) == nil)
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
    }
}
