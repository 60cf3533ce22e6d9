import Foundation
import Testing

@testable import JSONValue

/// Every front end of the JSON core (`JSONValue.parse` under both policies, `JSONReader`'s skip,
/// `JSONMemberLocator`) against Foundation's `JSONSerialization`: the same verdict, and the same
/// values, except where `FoundationOracle.explainsRefusal` states why the core refuses more.
@Suite("JSON core agrees with Foundation's JSONSerialization")
struct JSONOracleTests {
    /// The names the locator extracts in these tests (ASCII, as tables require); non-ASCII names
    /// still take part in the duplicate checks.
    static let names = ["a", "exp", "cognito:groups", "b"]
    static let table = JSONMemberTable(names)

    static let documents: [String] = [
        #"{}"#, #" { } "#, #"{"a":1}"#, #"{"a":1,"a":2}"#, #"{"b":1,"b":2}"#, #"{"\u0061":1,"a":2}"#,
        #"{"b":{"c":1,"c":2}}"#, #"{"b":[{"c":1,"c":2}]}"#, #"{"b":{"c":1,"d":2}}"#, #"{"b":[1,2,[3,{}]]}"#,
        #"{"exp":1780000000,"cognito:groups":["x","y"],"z":null}"#, #"{"exp":1.5e9}"#, #"{"exp":1e999}"#,
        #"{"exp":01}"#, #"{"exp":-}"#, #"{"exp":"1"}"#, #"{"a":tru}"#, #"{"a":true,}"#, #"{"a" 1}"#,
        #"{a:1}"#, #"{"a":1} x"#, #"[1]"#, #""a""#, "", " ", #"{"a":"\ud800"}"#, #"{"b":"\ud800"}"#,
        #"{"b":"\x"}"#, "{\"b\":\"tab\there\"}", "{\"b\":\"caf\u{E9}\"}", "{\"caf\u{E9}\":1,\"cafe\u{301}\":2}",
        "{\"K\":1,\"\u{212A}\":2}", "{\"\u{212A}\":1,\"K\":2}", #"{"K":1,"\u212a":2}"#, "{\"\u{E9}\":1}",
        #"{"\u00e9":1,"é":2}"#, #"{"x":"\"\\\/\b\f\n\r\t","y":"\ud83d\ude00"}"#, #"{"b":1,"c":2,"d":3,"b":4}"#,
        String(repeating: "[", count: 40), "{\"b\":" + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "}",
        "{\"b\":" + String(repeating: "[", count: 32) + String(repeating: "]", count: 32) + "}",
        "{\"b\":" + String(repeating: "{\"c\":", count: 31) + "1" + String(repeating: "}", count: 31) + "}",
        "{\"b\":" + String(repeating: "{\"c\":", count: 32) + "1" + String(repeating: "}", count: 32) + "}",
        // Scalars, numbers and refusals of both former parsers' suites.
        #"{"a":[1,-2,3.5,1e3,true,false,null,"x"],"b":{}}"#, " [ ] ", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "0", "-0", "-0.0e-2", "9007199254740993", "99999999999999999999", "1E+2", "0.25",
        #""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#, "\"caf\u{E9}\"", #""\u0000""#, #""\uD83D\uDE00""#,
        "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "tru", "nul",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\udc00\\ud800\"",
        "{} {}", "[1] x", "[1 2]", "1e999", "-1e999", "\"\u{01}\"", "\"\u{7F}\"",
        String(repeating: "[", count: 32) + String(repeating: "]", count: 32),
        String(repeating: "[", count: 33) + String(repeating: "]", count: 33),
        String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
        #"{"headers":{},"body":"","headers":{"authorization":"Bearer x"}}"#, #"{"a":1,"A":2,"aa":3,"x":{"a":4}}"#,
    ]

    /// The core's verdicts on `bytes` against the oracle's.
    func check(_ bytes: [UInt8], _ label: String) {
        let oracle = FoundationOracle.parse(bytes)
        for policy in [JSONPolicy.standard, .jose] {
            let parsed = Result { () throws(JSONParseError) in try JSONValue.parse(bytes, policy: policy) }
            agree(parsed, oracle, bytes, policy, "parse \(policy.maxDepth) \(label)")
        }
        // The streaming reader's skip checks without building; it must refuse what parse refuses.
        let skipped = Result { () throws(JSONParseError) in
            try JSONValue.read(bytes) { (reader: inout JSONReader) throws(JSONParseError) in try reader.skip() }
        }
        let parsed = Result { () throws(JSONParseError) in try JSONValue.parse(bytes) }
        #expect((try? skipped.get()) != nil || (try? parsed.get()) == nil, "skip refuses what parse accepts: \(label)")
        #expect((try? skipped.get()) == nil || (try? parsed.get()) != nil, "skip accepts what parse refuses: \(label)")
        checkLocator(bytes, oracle, label)
    }

    private func agree(_ ours: Result<JSONValue, JSONParseError>, _ oracle: Any?, _ bytes: [UInt8], _ policy: JSONPolicy, _ label: String) {
        switch (ours, oracle) {
        case (.success(let value), .some(let oracle)):
            #expect(FoundationOracle.matches(value, oracle), "different values: \(label): \(value) vs \(oracle)")
        case (.failure(let error), .some):
            #expect(FoundationOracle.explainsRefusal(error, of: bytes, policy: policy), "only the core refuses (\(error)): \(label)")
        case (.success(let value), .none):
            Issue.record("only Foundation refuses (core: \(value)): \(label)")
        case (.failure, .none):
            break
        }
    }

    /// The locator (`.jose`, as the verifier uses it) accepts exactly the objects the oracle
    /// accepts (bar the stated differences), extracts the oracle's values, and refuses with
    /// `JSONValue.parse`'s reason.
    private func checkLocator(_ bytes: [UInt8], _ oracle: Any?, _ label: String) {
        let located = Result { () throws(JSONParseError) in try JSONMemberLocator.locate(Self.table, in: bytes) }
        switch (located, oracle) {
        case (.success(let values), .some(let oracle)):
            guard let object = oracle as? [String: Any] else {
                Issue.record("located members of a non-object: \(label)")
                return
            }
            for (index, name) in Self.names.enumerated() {
                switch (values[index], object[name]) {
                case (.some(let value), .some(let expected)):
                    #expect(FoundationOracle.matches(value, expected), "\(name): \(label)")
                case (.none, .none): break
                default: Issue.record("\(name) located \(String(describing: values[index])), oracle \(String(describing: object[name])): \(label)")
                }
            }
        case (.failure(let error), .some(let oracle)):
            #expect(
                !(oracle is [String: Any]) || FoundationOracle.explainsRefusal(error, of: bytes, policy: .jose),
                "only the locator refuses (\(error)): \(label)")
        case (.success, .none):
            Issue.record("only Foundation refuses, the locator accepts: \(label)")
        case (.failure, .none):
            break
        }
        if case .failure(let error) = located {
            do {
                let value = try JSONValue.parse(bytes, policy: .jose)
                #expect(value.objectValue == nil && error.reason == "not a JSON object", "\(label)")
            } catch {
                #expect(located.error == error, "the locator's reason is parse's: \(label)")
            }
        }
    }

    @Test("same verdict and values on edge cases of both former parsers")
    func edgeCases() {
        for document in Self.documents { check(Array(document.utf8), document.debugDescription) }
        check([0x7B, 0x22, 0x62, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], "invalid UTF-8 in a skipped value")
        check([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "invalid UTF-8 in a name")
        check([0x22, 0xFF, 0x22], "invalid UTF-8")
        check([0x22, 0xC3, 0x28, 0x22], "truncated UTF-8 sequence")
        check([0x22, 0xED, 0xA0, 0x80, 0x22], "an encoded surrogate")
        check([0x22, 0xC0, 0xAF, 0x22], "an overlong encoding")
        check([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "beyond U+10FFFF")
        check([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22], "a four-byte sequence")
    }

    @Test("long strings (the 8-byte skip-ahead): a special byte at every offset gets the same verdict and value")
    func longStrings() {
        let plain = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF".utf8)
        let specials: [[UInt8]] = [
            [0x22], [0x5C], [0x5C, 0x6E], [0x5C, 0x22], [0x01], [0x1F], [0x20], [0x7F], [0xC3, 0xA9], [0xFF], [0xE2, 0x82],
            [0x5C, 0x75, 0x30, 0x30, 0x65, 0x39], [0x80], [0xF0, 0x9F, 0x98, 0x80],
        ]
        for special in specials {
            for offset in 0...plain.count {
                var content = plain
                content.insert(contentsOf: special, at: offset)
                // As a skipped value, an extracted value, a member name and a whole document.
                check(Array(#"{"z":""#.utf8) + content + Array(#"","a":1}"#.utf8), "skipped \(special) at \(offset)")
                check(Array(#"{"a":""#.utf8) + content + Array(#""}"#.utf8), "extracted \(special) at \(offset)")
                check(Array(#"{""#.utf8) + content + Array(#"":1,"a":2}"#.utf8), "name \(special) at \(offset)")
                check([0x22] + content + [0x22], "string \(special) at \(offset)")
            }
        }
    }

    @Test("same verdict on every truncation and one-byte change of a Cognito-shaped payload")
    func mutations() {
        let payload = Array(#"{"sub":"7c5a","cognito:groups":["admins","re\u0061ders"],"exp":1780003600,"a":{"b":[1,2.5,-3e2,true,null]},"K":"x"}"#.utf8)
        for length in 0...payload.count { check(Array(payload[..<length]), "prefix \(length)") }
        let replacements: [UInt8] = [0x22, 0x5C, 0x2C, 0x3A, 0x7B, 0x7D, 0x5B, 0x5D, 0x61, 0x30, 0x20, 0x00, 0xE9]
        for position in payload.indices {
            for byte in replacements where payload[position] != byte {
                var mutated = payload
                mutated[position] = byte
                check(mutated, "byte \(position) -> \(byte)")
            }
        }
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

extension JSONMemberLocator {
    /// `locate` with the extracted values materialised.
    static func locate(_ table: JSONMemberTable, in bytes: [UInt8]) throws(JSONParseError) -> [JSONValue?] {
        let result: Result<[JSONValue?], JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: JSONMemberSpan.self, capacity: table.count) { spans in
                do throws(JSONParseError) {
                    try locate(table, in: buffer, into: spans)
                    return .success(spans.map { $0.value(in: buffer) })
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }
}
