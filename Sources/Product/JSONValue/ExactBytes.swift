#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-exact comparison and hashing of short byte runs (member names, key ids, claim values).
/// Security-relevant values are compared as bytes, never as `String`s: `String` equality is
/// canonical equivalence, under which `K` (U+212A KELVIN SIGN) equals `K`, so a look-alike issuer,
/// client id or key id would pass for the real one.
public enum ExactBytes {
    /// Whether two byte runs are equal. Runs of 8 to 16 bytes (most claim and member names) are
    /// compared as two overlapping words, without a call; others with memcmp (short as the runs
    /// are, a generic element loop costs more than the call).
    @inline(__always)
    public static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return a.count == 0 }
        let count = a.count
        if count >= 8, count <= 16 {
            // The first and the last eight bytes: together every byte of the run, none outside it.
            let first = UnsafeRawPointer(x).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(y).loadUnaligned(as: UInt64.self)
            let last = UnsafeRawPointer(x + count - 8).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(y + count - 8).loadUnaligned(as: UInt64.self)
            return first | last == 0
        }
        return memcmp(x, y, count) == 0
    }

    /// Whether `bytes` are exactly the UTF-8 of `literal` (a member name, a header name, an event
    /// field's fixed value): the per-request readers compare against literals without a `String`.
    @inlinable @inline(__always)
    public static func equal(_ bytes: UnsafeBufferPointer<UInt8>, literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let text = literal.utf8Start
        for index in 0..<bytes.count where bytes[index] != text[index] { return false }
        return true
    }

    /// ASCII case-insensitive equality with a lowercase ASCII literal (HTTP header names,
    /// RFC 9110 §5.1): a byte outside ASCII never folds, so no look-alike matches.
    @inlinable @inline(__always)
    public static func equalIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let text = lowercase.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            if folded != text[index] { return false }
        }
        return true
    }

    /// A hash of a byte run: runs are compared byte by byte only when it matches.
    ///
    /// For runs of at most 8 bytes it is exact: each step (xor, multiply by an odd constant,
    /// xor-shift) is a bijection, so two such runs of the same length have equal fingerprints
    /// only when their bytes are equal.
    @inline(__always)
    public static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        fingerprint(bytes, readable: bytes.count)
    }

    /// `fingerprint(_:)`, allowed to read (and ignore) bytes up to `readable` past the run's
    /// start, which lets the last partial word be one load.
    @inline(__always)
    static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>, readable: Int) -> UInt64 {
        let count = bytes.count
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return hash }
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            if offset + 8 <= readable {
                let bits = UInt64(count - offset) * 8
                tail = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)) & ((1 << bits) &- 1)
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

    /// Whether two runs with equal fingerprints are equal: by length alone up to 8 bytes (the
    /// fingerprint is exact there), by their bytes beyond.
    @inline(__always)
    static func sameFingerprinted(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.count <= 8 || equal(a, b))
    }
}
