import Testing

@testable import JSONValue

@Suite("ExactBytes")
struct ExactBytesTests {
    /// Names of at most 8 bytes are told apart by fingerprint and length alone, so the
    /// fingerprint must be exact there; the one-load tail must hash like the byte loop.
    @Test("fingerprints: exact up to 8 bytes, the same with or without bytes readable past the name")
    func fingerprints() {
        var seen: [UInt64: [UInt8]] = [:]
        for first in UInt8(0x20)..<0x7F {
            for second in UInt8(0x20)..<0x7F {
                let name = [first, second]
                let fingerprint = name.withUnsafeBufferPointer { ExactBytes.fingerprint($0) }
                #expect(seen.updateValue(name, forKey: fingerprint) == nil, "\(name) collides")
            }
        }
        let text = Array("cognito:groups-and-more-bytes-after".utf8)
        text.withUnsafeBufferPointer { buffer in
            for count in 0...20 {
                let name = UnsafeBufferPointer(rebasing: buffer[..<count])
                let alone = Array(name).withUnsafeBufferPointer { ExactBytes.fingerprint($0) }
                #expect(ExactBytes.fingerprint(name, readable: buffer.count) == alone, "\(count)")
            }
        }
        let (a, b) = (Array("abcdefgh".utf8), Array("abcdefgi".utf8))
        #expect(a.withUnsafeBufferPointer { ExactBytes.fingerprint($0) } != b.withUnsafeBufferPointer { ExactBytes.fingerprint($0) })
    }

    /// Byte-exact equality at every length (the two-word compare of 8 to 16 bytes and memcmp
    /// around it): equal runs are equal, and one byte changed at any position, to any value that
    /// differs in any bit, is not; runs of different lengths never are.
    @Test("equal: every length to 40, a change at every position")
    func equalAtEveryLengthAndPosition() {
        for count in 0...40 {
            let run = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
            #expect(run.withUnsafeBufferPointer { a in Array(run).withUnsafeBufferPointer { ExactBytes.equal(a, $0) } }, "\(count)")
            for position in 0..<count {
                for flip: UInt8 in [0x01, 0x20, 0x80, 0xFF] {
                    var other = run
                    other[position] ^= flip
                    #expect(!run.withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { ExactBytes.equal(a, $0) } }, "\(count) \(position) \(flip)")
                }
            }
            let longer = run + [0]
            #expect(!run.withUnsafeBufferPointer { a in longer.withUnsafeBufferPointer { ExactBytes.equal(a, $0) } }, "\(count)")
        }
    }
}
