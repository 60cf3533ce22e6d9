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

    /// Issue 9.3: a repeated member name is refused at any depth (it used to keep the last value),
    /// in the tree parser and in the streaming reader the event decoder uses.
    @Test(arguments: [
        #"{"a":1,"a":2}"#, #"{"a":1,"b":2,"a":1}"#, #"{"x":{"a":1,"a":2}}"#, #"[{"a":1,"a":1}]"#,
        #"{"a":1,"\u0061":2}"#, #"{"headers":{},"body":"","headers":{"authorization":"Bearer x"}}"#,
    ])
    func refusesRepeatedMemberNames(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        #expect(throws: JSONParseError.self) {
            try JSONValue.read(Array(text.utf8)) { (reader: inout JSONReader) throws(JSONParseError) in
                try Self.walk(&reader)
            }
        }
    }

    @Test func distinctNamesThatDifferOnlyInCaseOrLengthAreFine() throws {
        let value = try JSONValue.parse(#"{"a":1,"A":2,"aa":3,"x":{"a":4}}"#)
        #expect(value["A"] == .int(2))
        try JSONValue.read(Array(#"{"a":1,"A":2,"x":{"a":4}}"#.utf8)) { (reader: inout JSONReader) throws(JSONParseError) in
            try Self.walk(&reader)
        }
    }

    /// `object(nameBytes:)` hands each name over as its decoded UTF-8 (escaped names decoded, as
    /// the `String` walk has them), with the same refusal of repeated names.
    @Test func nameBytesAreTheDecodedNames() throws {
        let text = #"{"plain":1,"esc\u0061ped":2,"caf\u00e9":3,"é":4,"x":{"inner":5}}"#
        var names: [[UInt8]] = []
        try JSONValue.read(Array(text.utf8)) { (reader: inout JSONReader) throws(JSONParseError) in
            try reader.object(nameBytes: { (name, inner) throws(JSONParseError) in
                names.append(Array(name))
                if name.count == 1, name[0] == UInt8(ascii: "x") {
                    try inner.object(nameBytes: { (name, inner) throws(JSONParseError) in names.append(Array(name)) })
                }
            })
        }
        #expect(names == ["plain", "escaped", "café", "é", "x", "inner"].map { Array($0.utf8) })
        #expect(throws: JSONParseError.self) {
            try JSONValue.read(Array(#"{"a":1,"\u0061":2}"#.utf8)) { (reader: inout JSONReader) throws(JSONParseError) in
                try reader.object(nameBytes: { (_, _) throws(JSONParseError) in })
            }
        }
    }

    /// Reads every object and array with the streaming reader (values skipped).
    static func walk(_ reader: inout JSONReader) throws(JSONParseError) {
        switch try reader.kind() {
        case .object: try reader.object { (_: String, inner: inout JSONReader) throws(JSONParseError) in try walk(&inner) }
        case .array: try reader.array { (_: Int, inner: inout JSONReader) throws(JSONParseError) in try walk(&inner) }
        default: try reader.skip()
        }
    }

    /// The streaming reader's `skip` checks without building: it must accept exactly what the tree
    /// parser accepts, at the top level and nested, for valid documents and every refusal.
    @Test(arguments: [
        #"{"a":[1,2.5,-0,1e3,true,false,null,"x\u00e9\n",{"b":{}}],"c":"café"}"#, "[]", "{}", #""\ud83d\ude00""#, "-12.5e-3",
        "", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud800\"", "\"tab\there\"", "{\"a\" 1}", "[1 2]", "{} {}", "NaN",
        #"{"a":1,"a":2}"#, #"[{"x":{"a":1,"\u0061":2}}]"#, "\"\u{01}\"",
    ])
    func skipAcceptsExactlyWhatParseAccepts(_ text: String) {
        let parsed = (try? JSONValue.parse(text)) != nil
        let skipped = (try? JSONValue.read(Array(text.utf8)) { (reader: inout JSONReader) throws(JSONParseError) in try reader.skip() }) != nil
        #expect(parsed == skipped, "\(text.debugDescription): parse \(parsed), skip \(skipped)")
        let nested = "{\"k\":" + text + "}"
        let parsedNested = (try? JSONValue.parse(nested)) != nil
        let skippedNested = (try? JSONValue.read(Array(nested.utf8)) { (reader: inout JSONReader) throws(JSONParseError) in
            try reader.object { (_: String, inner: inout JSONReader) throws(JSONParseError) in try inner.skip() }
        }) != nil
        #expect(parsedNested == skippedNested, "nested \(text.debugDescription)")
    }

    @Test func skipRefusesInvalidUTF8AndDeepNesting() {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] {
            #expect(throws: JSONParseError.self) { try JSONValue.read(bytes) { (reader: inout JSONReader) throws(JSONParseError) in try reader.skip() } }
        }
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: JSONParseError.self) { try JSONValue.read(deep) { (reader: inout JSONReader) throws(JSONParseError) in try reader.skip() } }
    }

    /// Repeats are caught on both sides of the 16-name boundary of the streaming reader's name list.
    @Test func repeatedNamesPastSixteenMembers() throws {
        let distinct = "{" + (0..<20).map { "\"m\($0)\":\($0)" }.joined(separator: ",") + "}"
        let repeatedLate = "{" + (0..<20).map { "\"m\($0)\":\($0)" }.joined(separator: ",") + ",\"m18\":0}"
        let repeatedEarly = "{" + (0..<20).map { "\"m\($0)\":\($0)" }.joined(separator: ",") + ",\"m3\":0}"
        let walk: (inout JSONReader) throws(JSONParseError) -> Void = { reader throws(JSONParseError) in try Self.walk(&reader) }
        let skip: (inout JSONReader) throws(JSONParseError) -> Void = { reader throws(JSONParseError) in try reader.skip() }
        try JSONValue.read(Array(distinct.utf8), walk)
        try JSONValue.read(Array(distinct.utf8), skip)
        for text in [repeatedLate, repeatedEarly] {
            #expect(throws: JSONParseError.self) { try JSONValue.read(Array(text.utf8), walk) }
            #expect(throws: JSONParseError.self) { try JSONValue.read(Array(text.utf8), skip) }
            #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        }
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
