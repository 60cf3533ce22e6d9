import JSONValue
import Testing

@testable import AuthCore

/// The verifier validates headers and payloads with `StrictJSONParser.scanObject`, which must accept
/// and refuse exactly what `parseObject` does, and extract the same values.
@Suite("StrictJSONParser.scanObject agrees with parseObject")
struct StrictJSONScanTests {
    /// Callers extract ASCII names only (documented on scanObject); non-ASCII names still take
    /// part in the duplicate checks below.
    static let names: [[UInt8]] = ["a", "exp", "cognito:groups", "b"].map { Array($0.utf8) }

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
    ]

    func check(_ bytes: [UInt8], _ label: String) {
        let full = try? StrictJSONParser.parseObject(bytes)
        let scanned = try? StrictJSONParser.scanObject(bytes, extracting: Self.names)
        #expect((full == nil) == (scanned == nil), "\(label)")
        if let full, let scanned {
            for (index, name) in Self.names.enumerated() {
                #expect(full[String(decoding: name, as: UTF8.self)] == scanned[index], "\(label)")
            }
        }
        // Refusals carry the full parser's reason.
        do {
            _ = try StrictJSONParser.parseObject(bytes)
        } catch {
            do {
                _ = try StrictJSONParser.scanObject(bytes, extracting: Self.names)
            } catch let scanError {
                #expect(scanError == error, "\(label)")
            }
        }
    }

    @Test("same verdict, values and reasons on edge cases")
    func edgeCases() {
        for document in Self.documents { check(Array(document.utf8), document) }
        check([0x7B, 0x22, 0x62, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], "invalid UTF-8 in a skipped value")
        check([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "invalid UTF-8 in a name")
    }

    /// The verifier type-checks claims by span kind alone: each kind must describe the value.
    @Test("span kinds match the values they locate")
    func spanKinds() throws {
        typealias Kind = StrictJSONParser.ValueSpan.Kind
        let cases: [(String, Kind)] = [
            (#""abc""#, .asciiString), (#""""#, .asciiString), ("\"caf\u{E9}\"", .string), (#""a\nb""#, .escapedString),
            (#""\u0061""#, .escapedString), ("12", .number), ("-1.5e3", .number), ("[]", .stringArray),
            (#"["a","\u0062"]"#, .stringArray), (#"["a",1]"#, .array), (#"[["a"]]"#, .array), (#"[null]"#, .array),
            (#"{"a":"b"}"#, .object), ("true", .literal), ("null", .literal),
        ]
        let table = StrictJSONParser.NameTable(["a", "b"])
        for (value, kind) in cases {
            let document = Array(#"{"b":0,"a":\#(value)}"#.utf8)
            try document.withUnsafeBufferPointer { buffer in
                try withUnsafeTemporaryAllocation(of: StrictJSONParser.ValueSpan.self, capacity: 2) { spans in
                    try StrictJSONParser.scanObject(buffer, extracting: table, into: spans)
                    #expect(spans[0].kind == kind, "\(value)")
                    #expect(Array(buffer[Int(spans[0].start)..<Int(spans[0].end)]) == Array(value.utf8), "\(value)")
                    #expect(spans[1].kind == .number)
                    #expect(StrictJSONParser.value(of: spans[0], in: buffer) == (try StrictJSONParser.parseObject(document))["a"])
                }
            }
        }
    }

    /// Names of at most 8 bytes are told apart by fingerprint and length alone, so the
    /// fingerprint must be exact there; the one-load tail must hash like the byte loop.
    @Test("fingerprints: exact up to 8 bytes, the same with or without bytes readable past the name")
    func fingerprints() {
        var seen: [UInt64: [UInt8]] = [:]
        for first in UInt8(0x20)..<0x7F {
            for second in UInt8(0x20)..<0x7F {
                let name = [first, second]
                let fingerprint = name.withUnsafeBufferPointer { StrictJSONParser.fingerprint($0) }
                #expect(seen.updateValue(name, forKey: fingerprint) == nil, "\(name) collides")
            }
        }
        let text = Array("cognito:groups-and-more-bytes-after".utf8)
        text.withUnsafeBufferPointer { buffer in
            for count in 0...20 {
                let name = UnsafeBufferPointer(rebasing: buffer[..<count])
                let alone = Array(name).withUnsafeBufferPointer { StrictJSONParser.fingerprint($0) }
                #expect(StrictJSONParser.fingerprint(name, readable: buffer.count) == alone, "\(count)")
            }
        }
        let (a, b) = (Array("abcdefgh".utf8), Array("abcdefgi".utf8))
        #expect(a.withUnsafeBufferPointer { StrictJSONParser.fingerprint($0) } != b.withUnsafeBufferPointer { StrictJSONParser.fingerprint($0) })
    }

    @Test("long strings (the 8-byte skip-ahead): a special byte at every offset gets the same verdict and value")
    func longStrings() {
        let plain = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF".utf8)
        let specials: [[UInt8]] = [[0x22], [0x5C], [0x5C, 0x6E], [0x5C, 0x22], [0x01], [0x1F], [0x20], [0x7F], [0xC3, 0xA9], [0xFF], [0xE2, 0x82]]
        for special in specials {
            for offset in 0...plain.count {
                var content = plain
                content.insert(contentsOf: special, at: offset)
                // As a skipped value, an extracted value and a member name.
                check(Array(#"{"z":""#.utf8) + content + Array(#"","a":1}"#.utf8), "skipped \(special) at \(offset)")
                check(Array(#"{"a":""#.utf8) + content + Array(#""}"#.utf8), "extracted \(special) at \(offset)")
                check(Array(#"{""#.utf8) + content + Array(#"":1,"a":2}"#.utf8), "name \(special) at \(offset)")
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

extension StrictJSONParser {
    /// `scanObject` with the extracted values materialised, to compare with `parseObject`.
    static func scanObject(_ bytes: [UInt8], extracting names: [[UInt8]]) throws(StrictJSONParser.Failure) -> [JSONValue?] {
        let table = NameTable(bytes: names)
        let result: Result<[JSONValue?], StrictJSONParser.Failure> = bytes.withUnsafeBufferPointer { buffer in
            withUnsafeTemporaryAllocation(of: ValueSpan.self, capacity: table.count) { spans in
                do throws(StrictJSONParser.Failure) {
                    try scanObject(buffer, extracting: table, into: spans)
                    return .success(spans.map { value(of: $0, in: buffer) })
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }
}
