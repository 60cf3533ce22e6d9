import JSONValue

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Where a member's value lies in a scanned document (`start..<end`, a string's quotes
    /// included) and what kind of value it is, so callers type-check and compare claims in place
    /// and build `String`s only for what they read.
    struct ValueSpan: Sendable, Equatable {
        enum Kind: UInt8, Sendable {
            case absent
            /// A string without escapes whose content is ASCII: its bytes are its characters.
            case asciiString
            /// A string without escapes with non-ASCII (validated UTF-8) content.
            case string
            /// A string with at least one escape: decode it to read it.
            case escapedString
            case number
            /// An array whose elements are all strings (or which is empty).
            case stringArray
            case array
            case object
            /// `true`, `false` or `null`.
            case literal
        }

        var start: Int32
        var end: Int32
        var kind: Kind

        static let absent = ValueSpan(start: 0, end: 0, kind: .absent)

        var isPresent: Bool { kind != .absent }
        var isString: Bool { kind == .asciiString || kind == .string || kind == .escapedString }
        /// The bytes between the quotes of a string without escapes.
        var plainContent: Range<Int> { Int(start) + 1..<Int(end) - 1 }
    }

    /// The top-level member names a caller extracts, with their fingerprints (computed once).
    struct NameTable: Sendable {
        let names: [[UInt8]]
        let fingerprints: [UInt64]

        /// Names must be ASCII without `K`, `;` or `` ` `` (see `scanObject`).
        init(_ names: [String]) {
            self.init(bytes: names.map { Array($0.utf8) })
        }

        /// Slot indices by the low bits of the fingerprint (-1: none), chained through `next`: a
        /// member name is checked against one or two candidates, not every name.
        private let buckets: [Int8]
        private let next: [Int8]
        private static let bucketMask: UInt64 = 63

        init(bytes names: [[UInt8]]) {
            assert(names.allSatisfy { $0.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") } })
            precondition(names.count <= Int(Int8.max))
            self.names = names
            let fingerprints = names.map { name in name.withUnsafeBufferPointer { StrictJSONParser.fingerprint($0) } }
            self.fingerprints = fingerprints
            var buckets = [Int8](repeating: -1, count: Int(Self.bucketMask) + 1)
            var next = [Int8](repeating: -1, count: names.count)
            for slot in names.indices.reversed() {
                let bucket = Int(fingerprints[slot] & Self.bucketMask)
                next[slot] = buckets[bucket]
                buckets[bucket] = Int8(slot)
            }
            self.buckets = buckets
            self.next = next
        }

        var count: Int { names.count }

        /// The slot of the name whose bytes are `name` (with fingerprint `fingerprint`), or -1.
        @inline(__always)
        func slot(of name: UnsafeBufferPointer<UInt8>, fingerprint: UInt64) -> Int {
            var slot = Int(buckets[Int(fingerprint & Self.bucketMask)])
            while slot >= 0 {
                if fingerprints[slot] == fingerprint, names[slot].withUnsafeBufferPointer({ StrictJSONParser.sameName($0, name) }) {
                    return slot
                }
                slot = Int(next[slot])
            }
            return -1
        }
    }

    /// Whether two byte runs are equal (memcmp: the names and values compared are short, but a
    /// generic element loop costs more than the call).
    @inline(__always)
    static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == 0 }
        return memcmp(x, y, a.count) == 0
    }

    /// A hash of a member name's bytes: names are compared byte by byte only when it matches.
    ///
    /// For names of at most 8 bytes it is exact: each step (xor, multiply by an odd constant,
    /// xor-shift) is a bijection, so two such names of the same length have equal fingerprints
    /// only when their bytes are equal.
    @inline(__always)
    static func fingerprint(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        fingerprint(name, readable: name.count)
    }

    /// `fingerprint(_:)`, allowed to read (and ignore) bytes up to `readable` past the name's
    /// start, which lets the last partial word be one load.
    @inline(__always)
    static func fingerprint(_ name: UnsafeBufferPointer<UInt8>, readable: Int) -> UInt64 {
        let count = name.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = name.baseAddress else { return hash }
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            if offset + 8 <= readable {
                let bits = UInt64(count - offset) * 8
                tail = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) & ((1 << bits) &- 1)
            } else {
                var shift: UInt64 = 0
                while offset < count {
                    tail |= UInt64(base[offset]) << shift
                    shift += 8
                    offset += 1
                }
            }
            hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
        }
        return hash
    }

    /// Whether two names with equal fingerprints are equal: by length alone up to 8 bytes (the
    /// fingerprint is exact there), by their bytes beyond.
    @inline(__always)
    static func sameName(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count <= 8 || equal(a, b))
    }

    /// Validates `buffer` as one JSON object with exactly the rules of `parseObject` (same accepted
    /// documents, duplicates refused at every level, same number and UTF-8 checks) and records in
    /// `spans`, at the index of each name of `table`, where that top-level member's value is
    /// (`.absent` when there is none). Nothing is materialised: verification pays for no
    /// dictionary and no `String` it does not read.
    ///
    /// Names are matched on their decoded UTF-8 bytes. For the names callers pass (ASCII without
    /// `K`, `;` and `` ` ``) that is the same as `String` equality, which the dictionary of
    /// `parseObject` uses: no non-ASCII string is canonically equivalent to them (those three are
    /// the only ASCII characters with non-ASCII canonical equivalents).
    static func scanObject(
        _ buffer: UnsafeBufferPointer<UInt8>, extracting table: NameTable, into spans: UnsafeMutableBufferPointer<ValueSpan>
    ) throws(Failure) {
        precondition(spans.count >= table.count)
        // Spans and member-name offsets are 31-bit; tokens are capped at 8 KiB anyway.
        guard buffer.count < 0x7FFF_FFFF else { throw Failure(reason: "JSON document too large") }
        spans.initialize(repeating: .absent)
        var parser = StrictJSONParser(buffer)
        do throws(Failure) {
            parser.skipWhitespace()
            guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "{") else {
                throw Failure(reason: "not a JSON object")
            }
            try parser.scanObjectBody(depth: 1, table: table, spans: spans)
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw Failure(reason: "trailing characters after the JSON value") }
        } catch {
            // Refusals are rare: report the full parser's reason, so both paths explain a
            // refusal the same way.
            do throws(Failure) { _ = try parseObject(Array(buffer)) } catch { throw error }
            throw error
        }
    }

    /// The value at `span` of a document `scanObject` accepted (nil when absent).
    static func value(of span: ValueSpan, in buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        guard span.isPresent else { return nil }
        // The span is one complete value the scan validated with the same rules: this parse
        // cannot fail.
        return try? parse(UnsafeBufferPointer(rebasing: buffer[Int(span.start)..<Int(span.end)]))
    }

    /// The number at `span` of a document `scanObject` accepted, when it is a plain integer of at
    /// most 18 digits (which always fits); nil otherwise (use `value(of:in:)`).
    @inline(__always)
    static func smallInteger(of span: ValueSpan, in buffer: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard span.kind == .number, span.end - span.start <= 18 else { return nil }
        var value: Int64 = 0
        for index in Int(span.start)..<Int(span.end) {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int64(digit)
        }
        return value
    }

    /// The string at `span` of a document `scanObject` accepted; nil when absent or not a string.
    static func string(of span: ValueSpan, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        switch span.kind {
        case .asciiString, .string:
            // Validated UTF-8 without escapes: the content bytes are the string.
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[span.plainContent]), as: UTF8.self)
        case .escapedString:
            return value(of: span, in: buffer)?.stringValue
        default:
            return nil
        }
    }

    /// The strings of a `.stringArray` span of a document `scanObject` accepted; nil otherwise.
    static func strings(of span: ValueSpan, in buffer: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard span.kind == .stringArray, let elements = value(of: span, in: buffer)?.arrayValue else { return nil }
        return elements.compactMap(\.stringValue)
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

        typealias Inline = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

        /// The first 16 names' spans (packed) and fingerprints live inline: no allocation for the
        /// objects verification sees (plain tuples: a generic InlineArray was copied whole on
        /// every read).
        var inlineSpans: Inline = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var inlineFingerprints: Inline = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        static let inlineCount = 16
        var overflow: [(span: Span, fingerprint: UInt64)] = []
        var count = 0
        /// Bit `fingerprint & 63` of every name so far.
        var seenFingerprintBits: UInt64 = 0
        var decoded: [UInt8] = []
        /// Built once a non-ASCII name shows up: from then on names compare as `String`s (canonical
        /// equivalence, like the dictionary of `parseObject`), e.g. U+212A KELVIN SIGN equals "K".
        var strings: Set<String>? = nil

        @inline(__always)
        mutating func span(_ position: Int) -> Span {
            guard position < Self.inlineCount else { return overflow[position - Self.inlineCount].span }
            let packed = withUnsafeBytes(of: &inlineSpans) { $0.load(fromByteOffset: position * 8, as: UInt64.self) }
            // start: 32 bits, count: 31 bits, isDecoded: top bit (inputs are at most a few KiB).
            return Span(start: Int(packed & 0xFFFF_FFFF), count: Int((packed >> 32) & 0x7FFF_FFFF), isDecoded: packed >> 63 != 0)
        }

        @inline(__always)
        mutating func fingerprint(_ position: Int) -> UInt64 {
            guard position < Self.inlineCount else { return overflow[position - Self.inlineCount].fingerprint }
            return withUnsafeBytes(of: &inlineFingerprints) { $0.load(fromByteOffset: position * 8, as: UInt64.self) }
        }

        @inline(__always)
        mutating func append(_ span: Span, fingerprint: UInt64) {
            if count < Self.inlineCount {
                // Fits: scanObject refuses documents of 2 GiB or more.
                let packed = UInt64(span.start) | UInt64(span.count) << 32 | (span.isDecoded ? 1 << 63 : 0)
                let position = count
                withUnsafeMutableBytes(of: &inlineSpans) { $0.storeBytes(of: packed, toByteOffset: position * 8, as: UInt64.self) }
                withUnsafeMutableBytes(of: &inlineFingerprints) { $0.storeBytes(of: fingerprint, toByteOffset: position * 8, as: UInt64.self) }
            } else {
                overflow.append((span, fingerprint))
            }
            count += 1
        }

        /// The decoded bytes of `span`, for the duration of `body`.
        @inline(__always)
        func withBytes<R>(_ span: Span, in input: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if span.isDecoded {
                return decoded.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[span.start..<(span.start + span.count)])) }
            }
            return body(UnsafeBufferPointer(rebasing: input[span.start..<(span.start + span.count)]))
        }

        func string(_ span: Span, in input: UnsafeBufferPointer<UInt8>) -> String {
            withBytes(span, in: input) { String(decoding: $0, as: UTF8.self) }
        }

        /// Records `span`; false when it repeats an earlier name of the object.
        mutating func commit(_ span: Span, fingerprint: UInt64, isASCII: Bool, in input: UnsafeBufferPointer<UInt8>) -> Bool {
            if strings == nil, !isASCII {
                var set = Set<String>()
                for position in 0..<count { set.insert(string(self.span(position), in: input)) }
                strings = set
            }
            append(span, fingerprint: fingerprint)
            if strings != nil {
                return strings!.insert(string(span, in: input)).inserted
            }
            // All names so far are ASCII: byte equality is String equality. A name whose
            // fingerprint bit was not seen yet cannot repeat one (most names); otherwise names
            // are compared where the fingerprints agree.
            let bit: UInt64 = 1 << (fingerprint & 63)
            defer { seenFingerprintBits |= bit }
            guard seenFingerprintBits & bit != 0 else { return true }
            for position in 0..<(count - 1) where self.fingerprint(position) == fingerprint {
                let earlier = self.span(position)
                let same = withBytes(earlier, in: input) { a in withBytes(span, in: input) { b in StrictJSONParser.sameName(a, b) } }
                if same { return false }
            }
            return true
        }
    }

    private mutating func scanObjectBody(depth: Int, table: NameTable?, spans: UnsafeMutableBufferPointer<ValueSpan>) throws(Failure) {
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
            let fingerprint =
                span.isDecoded
                ? names.withBytes(span, in: bytes) { Self.fingerprint($0) }
                : Self.fingerprint(UnsafeBufferPointer(rebasing: bytes[span.start..<(span.start + span.count)]), readable: bytes.count - span.start)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw Failure(reason: "expected ':' in JSON object")
            }
            index += 1
            skipWhitespace()
            var slot = -1
            if let table, isASCII {
                slot = names.withBytes(span, in: bytes) { table.slot(of: $0, fingerprint: fingerprint) }
            }
            if slot >= 0 {
                let start = index
                let kind = try scanValueKind(depth: depth)
                spans[slot] = ValueSpan(start: Int32(start), end: Int32(index), kind: kind)
            } else {
                try skipValue(depth: depth)
            }
            guard names.commit(span, fingerprint: fingerprint, isASCII: isASCII, in: bytes) else {
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

    /// `skipValue` that also says what kind of value it skipped.
    private mutating func scanValueKind(depth: Int) throws(Failure) -> ValueSpan.Kind {
        guard index < bytes.count else { throw Failure(reason: "unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let quote = index
            if let (_, _, isASCII) = try scanPlainString() { return isASCII ? .asciiString : .string }
            index = quote
            _ = try parseString()
            return .escapedString
        case UInt8(ascii: "["):
            var allStrings = true
            try skipArray(depth: depth + 1, allStrings: &allStrings)
            return allStrings ? .stringArray : .array
        case UInt8(ascii: "{"):
            try skipValue(depth: depth)
            return .object
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try parseNumber()
            return .number
        default:
            try skipValue(depth: depth)
            return .literal
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

    /// An index from `start` such that every byte before it is plain ASCII string content (no
    /// quote, backslash, control character or non-ASCII byte): the first such byte, or where
    /// fewer than 8 bytes remain. The byte loops take over from there and make every decision,
    /// so this only skips ahead and can never accept anything.
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
            let flagged = special & 0x8080_8080_8080_8080
            // Borrows only propagate upwards, so the lowest flagged byte is exactly the first
            // special one (bytes load little-endian): stop on it, not at the start of the word.
            if flagged != 0 { return position + flagged.trailingZeroBitCount >> 3 }
            position += 8
        }
        return position
    }

    /// The string at `index` when it has no escapes: its content range (UTF-8 validated) and whether
    /// it is ASCII, with `index` past the closing quote; nil, with `index` on the first backslash,
    /// when it has an escape.
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
        case UInt8(ascii: "{"): try scanObjectBody(depth: depth + 1, table: nil, spans: UnsafeMutableBufferPointer(start: nil, count: 0))
        case UInt8(ascii: "["):
            var allStrings = true
            try skipArray(depth: depth + 1, allStrings: &allStrings)
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

    /// Skips an array; `allStrings` is cleared when an element is not a string.
    private mutating func skipArray(depth: Int, allStrings: inout Bool) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw Failure(reason: "JSON nested too deeply") }
        index += 1  // [
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            if index < bytes.count, bytes[index] != UInt8(ascii: "\"") { allStrings = false }
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
        let start = index + 1
        if let (contentStart, end, _) = try scanPlainString() {
            // No escapes: the bytes are already validated UTF-8.
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<end]), as: UTF8.self)
        }
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
