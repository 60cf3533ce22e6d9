/// The member names of one object, for refusing a repeated one in the reader, the skipping checks
/// and the member locator (the rule of `JSONValue.parse`, see `JSONPolicy`). Names compare as
/// `String`s do there: by bytes while all are ASCII (where that is the same), as `String`s once a
/// non-ASCII name appears. Names without escapes are referenced in place in the input; only
/// escaped names are copied.
struct MemberNameSpans {
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
    /// equivalence, like the dictionary of `JSONValue.parse`), e.g. U+212A KELVIN SIGN equals "K".
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
            // Fits: the locator refuses documents of 2 GiB or more.
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
    ///
    /// Performance: inlined for the common case (every name ASCII so far, room inline, and the
    /// name's fingerprint bit not seen yet, so it cannot repeat a name); the rest is `commitChecking`.
    @inline(__always)
    mutating func commit(_ span: Span, fingerprint: UInt64, isASCII: Bool, in input: UnsafeBufferPointer<UInt8>) -> Bool {
        let bit: UInt64 = 1 << (fingerprint & 63)
        if isASCII, count < Self.inlineCount, seenFingerprintBits & bit == 0, strings == nil {
            append(span, fingerprint: fingerprint)
            seenFingerprintBits |= bit
            return true
        }
        return commitChecking(span, fingerprint: fingerprint, isASCII: isASCII, in: input)
    }

    @inline(never)
    private mutating func commitChecking(_ span: Span, fingerprint: UInt64, isASCII: Bool, in input: UnsafeBufferPointer<UInt8>) -> Bool {
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
            let same = withBytes(earlier, in: input) { a in withBytes(span, in: input) { b in ExactBytes.sameFingerprinted(a, b) } }
            if same { return false }
        }
        return true
    }
}

extension JSONTokenizer {
    /// At the opening quote of a member name: checks it, and returns where its decoded bytes are
    /// (in place, or appended to `names.decoded` when it has escapes), whether it is all ASCII and
    /// its fingerprint, for `names.commit`.
    @inline(__always)
    mutating func memberName(into names: inout MemberNameSpans) throws(JSONParseError) -> (MemberNameSpans.Span, Bool, UInt64) {
        let (content, kind) = try scanString()
        switch kind {
        case .ascii, .utf8:
            let bytes = UnsafeBufferPointer(rebasing: input[content])
            let fingerprint = ExactBytes.fingerprint(bytes, readable: input.count - content.lowerBound)
            return (MemberNameSpans.Span(start: content.lowerBound, count: content.count, isDecoded: false), kind == .ascii, fingerprint)
        case .escaped:
            let start = names.decoded.count
            names.decoded.append(contentsOf: decoded)
            let isASCII = !decoded.contains { $0 >= 0x80 }
            let fingerprint = decoded.withUnsafeBufferPointer { ExactBytes.fingerprint($0) }
            return (MemberNameSpans.Span(start: start, count: decoded.count, isDecoded: true), isASCII, fingerprint)
        }
    }
}
