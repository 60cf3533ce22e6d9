import Testing

@testable import JSONValue

/// What `JSONMemberLocator` records beyond the verdict (which `JSONOracleTests` checks).
@Suite("JSONMemberLocator")
struct JSONMemberLocatorTests {
    /// The verifier type-checks claims by span kind alone: each kind must describe the value.
    @Test("span kinds match the values they locate")
    func spanKinds() throws {
        typealias Kind = JSONMemberSpan.Kind
        let cases: [(String, Kind)] = [
            (#""abc""#, .asciiString), (#""""#, .asciiString), ("\"caf\u{E9}\"", .string), (#""a\nb""#, .escapedString),
            (#""\u0061""#, .escapedString), ("12", .number), ("-1.5e3", .number), ("[]", .stringArray),
            (#"["a","\u0062"]"#, .stringArray), (#"["a",1]"#, .array), (#"[["a"]]"#, .array), (#"[null]"#, .array),
            (#"{"a":"b"}"#, .object), ("true", .literal), ("null", .literal),
        ]
        let table = JSONMemberTable(["a", "b"])
        for (value, kind) in cases {
            let document = Array(#"{"b":0,"a":\#(value)}"#.utf8)
            try document.withUnsafeBufferPointer { buffer in
                try withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: 2) { spans in
                    try JSONMemberLocator.locate(table, in: buffer, into: spans)
                    #expect(spans[0].kind == kind, "\(value)")
                    #expect(Array(buffer[Int(spans[0].start)..<Int(spans[0].end)]) == Array(value.utf8), "\(value)")
                    #expect(spans[1].kind == .number)
                    #expect(spans[0].value(in: buffer) == (try JSONValue.parse(document, policy: .jose))["a"])
                }
            }
        }
    }

    /// The verifier compares `iss`, `client_id` and `alg` with these: exact decoded bytes.
    @Test("accessors: strings, exact comparison, small integers")
    func accessors() throws {
        let document = Array(#"{"a":"x\u0079z","b":"xyz","c":"\u212a","d":1780000000,"e":-1,"f":["p","\u0071"]}"#.utf8)
        let table = JSONMemberTable(["a", "b", "c", "d", "e", "f"])
        try document.withUnsafeBufferPointer { buffer in
            try withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: table.count) { spans in
                try JSONMemberLocator.locate(table, in: buffer, into: spans)
                let xyz = Array("xyz".utf8)
                xyz.withUnsafeBufferPointer { expected in
                    #expect(spans[0].stringEquals(expected, in: buffer))
                    #expect(spans[1].stringEquals(expected, in: buffer))
                    #expect(!spans[3].stringEquals(expected, in: buffer))
                }
                Array("K".utf8).withUnsafeBufferPointer { k in #expect(!spans[2].stringEquals(k, in: buffer)) }
                #expect(spans[0].string(in: buffer) == "xyz")
                #expect(spans[0].unescapedContent(in: buffer) == nil)
                #expect(spans[1].unescapedContent(in: buffer).map { Array($0) } == xyz)
                #expect(spans[3].smallInteger(in: buffer) == 1_780_000_000)
                #expect(spans[4].smallInteger(in: buffer) == nil)
                #expect(spans[4].value(in: buffer) == .int(-1))
                #expect(spans[5].strings(in: buffer) == ["p", "q"])
            }
        }
    }
}
