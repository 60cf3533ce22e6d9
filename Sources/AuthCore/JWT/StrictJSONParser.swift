import JSONValue

/// A small, strict RFC 8259 parser producing `JSONValue`, used for JOSE headers, JWT claims and
/// JWKS documents.
///
/// Strict on purpose (the input is attacker-controlled):
/// - duplicate member names are refused (RFC 7515 §5.2: a JOSE header with duplicates must be
///   rejected or use the last one; two parsers disagreeing on "which one" is a classic bypass);
/// - invalid UTF-8, lone surrogates, control characters in strings, leading zeros, `NaN`,
///   trailing commas and trailing garbage are refused;
/// - nesting is limited.
///
/// It is also the fast path of verification: one pass, no Codable machinery.
struct StrictJSONParser {
    struct Failure: Error, Equatable {
        var reason: String
    }

    static let maximumDepth = 32

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = StrictJSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw Failure(reason: "trailing characters after the JSON value") }
        return value
    }

    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        let result: Result<JSONValue, Failure> = bytes.withUnsafeBufferPointer { buffer in
            do throws(Failure) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses a document that must be a JSON object.
    static func parseObject(_ bytes: [UInt8]) throws(Failure) -> [String: JSONValue] {
        guard case .object(let members) = try parse(bytes) else { throw Failure(reason: "not a JSON object") }
        return members
    }

    /// Validates `bytes` as one JSON object with exactly the rules of `parseObject` (same accepted
    /// documents, duplicates refused at every level, same number and UTF-8 checks) but materialises
    /// only the top-level members named in `names`: the result holds, at the index of each name,
    /// its value or nil when absent. Everything else is checked and skipped, so verification does
    /// not pay for a dictionary of claims it never reads.
    ///
    /// Names are matched on their decoded UTF-8 bytes. For the names callers pass (lowercase ASCII
    /// letters, digits, `_`, `:`) that is the same as `String` equality, which the dictionary of
    /// `parseObject` uses: no non-ASCII string is canonically equivalent to them (the only ASCII
    /// characters with non-ASCII canonical equivalents are `K`, `;` and `` ` ``; the assert keeps
    /// them out).
    static func scanObject(_ bytes: [UInt8], extracting names: [[UInt8]]) throws(Failure) -> [JSONValue?] {
        try scanObject(bytes, extracting: names, comparing: []).found
    }

    /// `scanObject(_:extracting:)` that, for each slot `i` with `expected[i]` set (ASCII bytes),
    /// compares a plain ASCII string value with those bytes instead of building a `String`: such a
    /// slot is left nil in `found`, with bit `i` set in `compared`, and also in `matched` when the
    /// bytes are equal. For two ASCII strings byte equality is exactly `String` equality. Any other
    /// value (escapes, non-ASCII, not a string) is materialised in `found` as usual, so callers
    /// fall back to comparing `String`s and keep the same type errors.
    static func scanObject(
        _ bytes: [UInt8], extracting names: [[UInt8]], comparing expected: [[UInt8]?]
    ) throws(Failure) -> (found: [JSONValue?], compared: UInt64, matched: UInt64) {
        assert(names.allSatisfy { $0.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") } })
        assert(expected.allSatisfy { $0?.allSatisfy { $0 < 0x80 } ?? true } && expected.count <= names.count && names.count <= 64)
        // Member-name offsets are packed into 31 bits (MemberNames); tokens are capped at 8 KiB anyway.
        guard bytes.count < 0x7FFF_FFFF else { throw Failure(reason: "JSON document too large") }
        let result: Result<([JSONValue?], UInt64, UInt64), Failure> = bytes.withUnsafeBufferPointer { buffer in
            var parser = StrictJSONParser(buffer)
            var found = [JSONValue?](repeating: nil, count: names.count)
            var compared: UInt64 = 0
            var matched: UInt64 = 0
            do throws(Failure) {
                parser.skipWhitespace()
                guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "{") else {
                    throw Failure(reason: "not a JSON object")
                }
                try parser.scanObjectBody(depth: 1, names: names, found: &found, expected: expected, compared: &compared, matched: &matched)
                parser.skipWhitespace()
                guard parser.index == buffer.count else { throw Failure(reason: "trailing characters after the JSON value") }
                return .success((found, compared, matched))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let (found, compared, matched)): return (found, compared, matched)
        case .failure(let failure):
            // Refusals are rare: report the full parser's reason, so both paths explain a
            // refusal the same way.
            do throws(Failure) { _ = try parseObject(bytes) } catch { throw error }
            throw failure
        }
    }

    /// Decoded member names of one object, for the duplicate check of the scanning path. Names
    /// without escapes are referenced in place in the input; only escaped names are copied.
    private struct MemberNames {
        struct Span {
            var start: Int
            var count: Int
            /// In `decoded` rather than in the input.
            var isDecoded: Bool
        }

        /// The first 16 names live inline, packed (no allocation for the objects verification
        /// sees; a plain tuple because a generic InlineArray was copied whole on every read).
        var inline: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        static let inlineCount = 16
        var overflow: [Span] = []
        var count = 0
        var decoded: [UInt8] = []
        /// Built once a non-ASCII name shows up: from then on names compare as `String`s (canonical
        /// equivalence, like the dictionary of `parseObject`), e.g. U+212A KELVIN SIGN equals "K".
        var strings: Set<String>? = nil

        @inline(__always)
        mutating func span(_ position: Int) -> Span {
            guard position < Self.inlineCount else { return overflow[position - Self.inlineCount] }
            let packed = withUnsafeMutableBytes(of: &inline) { $0.load(fromByteOffset: position * 8, as: UInt64.self) }
            // start: 32 bits, count: 31 bits, isDecoded: top bit (inputs are at most a few KiB).
            return Span(start: Int(packed & 0xFFFF_FFFF), count: Int((packed >> 32) & 0x7FFF_FFFF), isDecoded: packed >> 63 != 0)
        }

        @inline(__always)
        mutating func append(_ span: Span) {
            if count < Self.inlineCount {
                // Fits: scanObject refuses documents of 2 GiB or more.
                let packed = UInt64(span.start) | UInt64(span.count) << 32 | (span.isDecoded ? 1 << 63 : 0)
                let position = count
                withUnsafeMutableBytes(of: &inline) { $0.storeBytes(of: packed, toByteOffset: position * 8, as: UInt64.self) }
            } else {
                overflow.append(span)
            }
            count += 1
        }

        func string(_ span: Span, in input: UnsafeBufferPointer<UInt8>) -> String {
            if span.isDecoded {
                return String(decoding: decoded[span.start..<(span.start + span.count)], as: UTF8.self)
            }
            return String(decoding: UnsafeBufferPointer(rebasing: input[span.start..<(span.start + span.count)]), as: UTF8.self)
        }

        @inline(__always)
        func byte(_ span: Span, _ offset: Int, in input: UnsafeBufferPointer<UInt8>) -> UInt8 {
            span.isDecoded ? decoded[span.start + offset] : input[span.start + offset]
        }

        /// Records `span`; false when it repeats an earlier name of the object.
        mutating func commit(_ span: Span, isASCII: Bool, in input: UnsafeBufferPointer<UInt8>) -> Bool {
            if strings == nil, !isASCII {
                var set = Set<String>()
                for position in 0..<count { set.insert(string(self.span(position), in: input)) }
                strings = set
            }
            append(span)
            if strings != nil {
                return strings!.insert(string(span, in: input)).inserted
            }
            // All names so far are ASCII: byte equality is String equality.
            for position in 0..<(count - 1) {
                let earlier = self.span(position)
                guard earlier.count == span.count else { continue }
                var offset = 0
                while offset < span.count, byte(earlier, offset, in: input) == byte(span, offset, in: input) { offset += 1 }
                if offset == span.count { return false }
            }
            return true
        }
    }

    private mutating func scanObjectBody(
        depth: Int, names wanted: [[UInt8]], found: inout [JSONValue?],
        expected: [[UInt8]?], compared: inout UInt64, matched: inout UInt64
    ) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw Failure(reason: "JSON nested too deeply") }
        index += 1  // {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        var names = MemberNames()
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw Failure(reason: "expected a member name in JSON object")
            }
            let (span, isASCII) = try scanName(decoded: &names.decoded)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw Failure(reason: "expected ':' in JSON object")
            }
            index += 1
            skipWhitespace()
            var slot = -1
            if !wanted.isEmpty, isASCII {
                for position in 0..<wanted.count where wanted[position].count == span.count {
                    let candidate = wanted[position]
                    var offset = 0
                    while offset < span.count, names.byte(span, offset, in: bytes) == candidate[offset] { offset += 1 }
                    if offset == span.count {
                        slot = position
                        break
                    }
                }
            }
            if slot >= 0 {
                let valueStart = index
                var done = false
                if slot < expected.count, let want = expected[slot], index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    if let (start, end, isASCII) = try scanPlainString(), isASCII {
                        compared |= 1 << UInt64(slot)
                        if end - start == want.count {
                            var offset = 0
                            while offset < want.count, bytes[start + offset] == want[offset] { offset += 1 }
                            if offset == want.count { matched |= 1 << UInt64(slot) }
                        }
                        done = true
                    } else {
                        index = valueStart
                    }
                }
                if !done { found[slot] = try parseValue(depth: depth) }
            } else {
                try skipValue(depth: depth)
            }
            guard names.commit(span, isASCII: isASCII, in: bytes) else {
                throw Failure(reason: "duplicate member name in JSON object")
            }
            skipWhitespace()
            guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw Failure(reason: "expected ',' or '}' in JSON object")
            }
        }
    }

    /// A member name: where its decoded bytes are (in place, or appended to `decoded` when it has
    /// escapes) and whether it is all ASCII.
    private mutating func scanName(decoded: inout [UInt8]) throws(Failure) -> (MemberNames.Span, Bool) {
        let quote = index
        if let (start, end, isASCII) = try scanPlainString() {
            return (MemberNames.Span(start: start, count: end - start, isDecoded: false), isASCII)
        }
        index = quote
        let name = try parseString()
        let start = decoded.count
        var isASCII = true
        for byte in name.utf8 {
            isASCII = isASCII && byte < 0x80
            decoded.append(byte)
        }
        return (MemberNames.Span(start: start, count: decoded.count - start, isDecoded: true), isASCII)
    }

    /// The first index from `start` whose 8-byte word holds a quote, a backslash, a control
    /// character or a non-ASCII byte (or where fewer than 8 bytes remain). Every byte before it is
    /// plain ASCII string content; the byte loops take over from there and make every decision,
    /// so this only skips ahead (SWAR, 8 bytes per step) and can never accept anything.
    @inline(__always)
    private func plainASCIIRunEnd(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let count = bytes.count
        var position = start
        while position + 8 <= count {
            let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let quote = word ^ 0x2222_2222_2222_2222
            let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
            // Exact "some byte is zero" / "some byte is below 0x20" tests (Hacker's Delight 6-1).
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- 0x20 &* ones) & ~word) | word
            if special & 0x8080_8080_8080_8080 != 0 { break }
            position += 8
        }
        return position
    }

    /// The string at `index` when it has no escapes: its content range (UTF-8 validated) and whether
    /// it is ASCII, with `index` past the closing quote; nil (index undefined) when it has an escape.
    private mutating func scanPlainString() throws(Failure) -> (Int, Int, Bool)? {
        index += 1  // opening quote
        let start = index
        var nonASCII: UInt8 = 0
        index = plainASCIIRunEnd(from: index)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = index
                index += 1
                if nonASCII != 0 {
                    guard String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) != nil else {
                        throw Failure(reason: "invalid UTF-8 in JSON string")
                    }
                }
                return (start, end, nonASCII == 0)
            }
            if byte == UInt8(ascii: "\\") { return nil }
            if byte < 0x20 { throw Failure(reason: "control character in JSON string") }
            nonASCII |= byte & 0x80
            index += 1
        }
        throw Failure(reason: "unterminated JSON string")
    }

    /// `parseValue` without building the value: the same checks, nothing kept.
    private mutating func skipValue(depth: Int) throws(Failure) {
        guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var none: [JSONValue?] = []
            var unusedCompared: UInt64 = 0
            var unusedMatched: UInt64 = 0
            try scanObjectBody(
                depth: depth + 1, names: [], found: &none, expected: [], compared: &unusedCompared, matched: &unusedMatched)
        case UInt8(ascii: "["): try skipArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            let quote = index
            if try scanPlainString() == nil {
                index = quote
                _ = try parseString()
            }
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        default: throw Failure(reason: "unexpected character in JSON")
        }
    }

    private mutating func skipArray(depth: Int) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw Failure(reason: "JSON nested too deeply") }
        index += 1  // [
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try skipValue(depth: depth)
            skipWhitespace()
            guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw Failure(reason: "expected ',' or ']' in JSON array")
            }
        }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObjectBody(depth: depth + 1))
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw Failure(reason: "unexpected character in JSON")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw Failure(reason: "invalid JSON literal") }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] {
            throw Failure(reason: "invalid JSON literal")
        }
        index += count
    }

    private mutating func parseObjectBody(depth: Int) throws(Failure) -> [String: JSONValue] {
        guard depth <= Self.maximumDepth else { throw Failure(reason: "JSON nested too deeply") }
        index += 1  // {
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(16)
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw Failure(reason: "expected a member name in JSON object")
            }
            let name = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw Failure(reason: "expected ':' in JSON object")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard members.updateValue(value, forKey: name) == nil else {
                throw Failure(reason: "duplicate member name in JSON object")
            }
            skipWhitespace()
            guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return members
            default: throw Failure(reason: "expected ',' or '}' in JSON object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw Failure(reason: "JSON nested too deeply") }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw Failure(reason: "expected ',' or ']' in JSON array")
            }
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1  // opening quote
        let start = index
        var nonASCII: UInt8 = 0
        index = plainASCIIRunEnd(from: index)
        // Fast path: no escapes. Validation of UTF-8 happens when the String is made.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // ASCII is valid UTF-8 as is: skip the (generic, slow) validating initializer.
                if nonASCII == 0 { return String(decoding: slice, as: UTF8.self) }
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw Failure(reason: "invalid UTF-8 in JSON string")
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw Failure(reason: "control character in JSON string") }
            nonASCII |= byte & 0x80
            index += 1
        }
        guard index < bytes.count else { throw Failure(reason: "unterminated JSON string") }
        // Slow path with escapes.
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw Failure(reason: "invalid UTF-8 in JSON string")
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw Failure(reason: "unterminated JSON string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw Failure(reason: "lone surrogate in JSON string") }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Failure(reason: "lone surrogate in JSON string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw Failure(reason: "lone surrogate in JSON string")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw Failure(reason: "invalid escape in JSON string") }
                    buffer.append(contentsOf: UTF8.encode(unicode)!)
                default:
                    throw Failure(reason: "invalid escape in JSON string")
                }
            default:
                if byte < 0x20 { throw Failure(reason: "control character in JSON string") }
                buffer.append(byte)
                index += 1
            }
        }
        throw Failure(reason: "unterminated JSON string")
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw Failure(reason: "invalid \\u escape in JSON string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Failure(reason: "invalid \\u escape in JSON string")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let integerStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0 else { throw Failure(reason: "invalid JSON number") }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { throw Failure(reason: "leading zero in JSON number") }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fractionStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > fractionStart else { throw Failure(reason: "invalid JSON number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > exponentStart else { throw Failure(reason: "invalid JSON number") }
        }
        if isInteger, integerDigits <= 18 {
            // Up to 18 digits always fit in Int64.
            var value: Int64 = 0
            for offset in integerStart..<index {
                value = value &* 10 &+ Int64(bytes[offset] &- UInt8(ascii: "0"))
            }
            return .int(negative ? -value : value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) { return .int(value) }
        guard let value = Double(text), value.isFinite else { throw Failure(reason: "JSON number out of range") }
        return .double(value)
    }
}
