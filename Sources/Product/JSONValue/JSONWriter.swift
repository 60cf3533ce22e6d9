/// A minimal JSON writer with a fixed key order, so the same response always encodes to the same
/// bytes. Compact output; `/` and non-ASCII are written as they are, `"`, `\` and control
/// characters escaped. No Codable machinery: the handlers' cold start pays for none of it.
public struct JSONWriter {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// `value` as compact JSON, object members sorted by key (byte order of their UTF-8).
    public static func serialize(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }

    /// Appends `value`, object members sorted by key.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .int(let integer): bytes.append(contentsOf: String(integer).utf8)
        case .double(let double):
            // JSON has no NaN or infinity.
            if double.isFinite { bytes.append(contentsOf: "\(double)".utf8) } else { raw("null") }
        case .string(let text): string(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(key)
                bytes.append(UInt8(ascii: ":"))
                self.value(members[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Performance: inlinable, as are `raw(bytes:)` and `string`: called across modules, the
    /// append is specialized at the caller.
    @inlinable
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Bytes that are already JSON (a fragment built once, e.g. at start), as they are.
    @inlinable
    public mutating func raw(bytes fragment: [UInt8]) {
        bytes.append(contentsOf: fragment)
    }

    public mutating func int(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(value.magnitude))
    }

    /// The decimal digits of `value`, at least `minimumCount` of them (leading zeros), without
    /// building a `String`: the per-invocation metrics document writes several numbers.
    @inline(__always)
    private mutating func appendDigits(_ value: UInt64, minimumCount: Int = 1) {
        // 24 bytes hold the 20 digits of UInt64.max and the 18 of the widest fraction.
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { digits in
            var start = digits.count
            var rest = value
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            while digits.count - start < minimumCount {
                start -= 1
                digits[start] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[start...]))
        }
    }

    /// `value / 10^fractionDigits` as a JSON number with exactly `fractionDigits` decimals
    /// (`fixedPoint(12345, fractionDigits: 3)` writes `12.345`): durations without floating point.
    public mutating func fixedPoint(_ value: Int64, fractionDigits: Int) {
        precondition(fractionDigits >= 0 && fractionDigits <= 18)
        var scale: Int64 = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        appendDigits(magnitude / UInt64(scale))
        guard fractionDigits > 0 else { return }
        bytes.append(UInt8(ascii: "."))
        appendDigits(magnitude % UInt64(scale), minimumCount: fractionDigits)
    }

    public mutating func bool(_ value: Bool) {
        value ? raw("true") : raw("false")
    }

    @inlinable
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        Self.appendStringContents(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends pre-validated UTF-8 text as a JSON string.
    public mutating func string(utf8 text: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        text.withUnsafeBufferPointer { Self.appendEscaped($0, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string (no quotes): `"`, `\\` and control characters escaped, the
    /// rest as it is. The one JSON string escaper; the authorizer writes policy fragments with it.
    public static func appendStringContents(_ value: String, to bytes: inout [UInt8]) {
        // A native string's UTF-8 in place; only a bridged one is copied to be made contiguous.
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &bytes) }) != nil { return }
        var value = value
        value.withUTF8 { appendEscaped($0, to: &bytes) }
    }

    /// Performance: the per-invocation documents and the authorizer's answers are mostly ids and
    /// names with nothing to escape: the tokenizer's scan (`JSONPlainRun`, 16 bytes per step)
    /// finds the next byte to escape, and each run before it is appended in one copy.
    private static func appendEscaped(_ buffer: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        var start = 0
        var highBits: UInt64 = 0  // not needed here: the text is valid UTF-8 already
        while start < count {
            let stop = JSONPlainRun.end(in: base, count: count, from: start, highBits: &highBits)
            if start < stop { bytes.append(contentsOf: UnsafeBufferPointer(start: base + start, count: stop - start)) }
            guard stop < count else { return }
            appendEscape(of: base[stop], to: &bytes)
            start = stop + 1
        }
    }

    @inline(__always)
    private static func appendEscape(of byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        default:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
