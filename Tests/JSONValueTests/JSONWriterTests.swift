import Testing

import JSONValue

@Suite struct JSONWriterTests {
    @Test func writesCompactJSONWithMembersSortedByKey() {
        let value: JSONValue = .object([
            "username": .string("alice"), "email_verified": .bool(true), "email": .string("a@example.com"),
            "groups": .array([.string("admins"), .string("readers")]), "attributes": .object(["sub": .string("x"), "name": .null]),
            "status": .int(-403),
        ])
        let text = String(decoding: JSONWriter.serialize(value), as: UTF8.self)
        #expect(
            text
                == #"{"attributes":{"name":null,"sub":"x"},"email":"a@example.com","email_verified":true,"groups":["admins","readers"],"status":-403,"username":"alice"}"#
        )
    }

    @Test func escapesQuotesBackslashesAndControlCharactersOnly() {
        let text = String(decoding: JSONWriter.serialize(.string("a\"b\\c/d\n\r\t\u{01}é😀")), as: UTF8.self)
        #expect(text == "\"a\\\"b\\\\c/d\\n\\r\\t\\u0001é😀\"")
    }

    @Test func everyValueReadsBackAsItself() throws {
        let values: [JSONValue] = [
            .null, .bool(false), .int(0), .int(Int64.min), .int(Int64.max), .double(0.25), .double(-1.5e-7), .double(1e300),
            .string(""), .string("\u{7F}\u{1F}\"\\"), .array([]), .object([:]),
            .object(["b": .array([.object(["a": .int(1)])]), "a": .string("z")]),
        ]
        for value in values {
            #expect(try JSONValue.parse(JSONWriter.serialize(value)) == value, "\(value)")
        }
    }

    @Test func nonFiniteNumbersAreNull() {
        #expect(JSONWriter.serialize(.double(.infinity)) == Array("null".utf8))
        #expect(JSONWriter.serialize(.array([.double(.nan)])) == Array("[null]".utf8))
    }
}
