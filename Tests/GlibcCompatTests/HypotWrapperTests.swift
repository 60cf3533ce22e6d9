#if os(Linux)
import Glibc
import GlibcCompat
import Testing

/// The hypot/hypotf wrappers every handler binary is linked with (`--wrap`), against this
/// machine's libm (`__real_hypot`: with `--wrap`, the linker's name for the original). This was a
/// self-test inside scripts/package; as a test it runs on every `swift test`.
@Suite("GlibcCompat: hypot/hypotf wrappers agree with libm")
struct HypotWrapperTests {
    /// xorshift64: a fixed sequence, so a failure reproduces.
    struct XorShift {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        let x = Int64(bitPattern: a.bitPattern), y = Int64(bitPattern: b.bitPattern)
        return x > y ? UInt64(x - y) : UInt64(y - x)
    }

    static func ulps(_ a: Float, _ b: Float) -> UInt32 {
        let x = Int32(bitPattern: a.bitPattern), y = Int32(bitPattern: b.bitPattern)
        return x > y ? UInt32(x - y) : UInt32(y - x)
    }

    @Test("within 1 ulp of libm on 200,000 random pairs (full bit patterns and moderate magnitudes)")
    func randomPairs() {
        var random = XorShift()
        var worstDouble: UInt64 = 0
        var worstFloat: UInt32 = 0
        for index in 0..<200_000 {
            let a = random.next(), b = random.next()
            var x = Double(bitPattern: a), y = Double(bitPattern: b)
            if index % 2 == 1 {
                x = scalbn(Double(a >> 11) / 9_007_199_254_740_992.0, Int32(random.next() % 200) - 100)
                y = scalbn(Double(b >> 11) / 9_007_199_254_740_992.0, Int32(random.next() % 200) - 100)
            }
            if !x.isNaN, !y.isNaN { worstDouble = max(worstDouble, Self.ulps(__wrap_hypot(x, y), __real_hypot(x, y))) }
            let fx = Float(bitPattern: UInt32(truncatingIfNeeded: a)), fy = Float(bitPattern: UInt32(truncatingIfNeeded: b))
            if !fx.isNaN, !fy.isNaN { worstFloat = max(worstFloat, Self.ulps(__wrap_hypotf(fx, fy), __real_hypotf(fx, fy))) }
        }
        #expect(worstDouble <= 1)
        #expect(worstFloat <= 1)
    }

    @Test("C Annex F special cases and errno on overflow")
    func specialCases() {
        #expect(__wrap_hypot(3, 4) == 5 && __wrap_hypotf(3, 4) == 5)
        #expect(__wrap_hypot(.infinity, .nan) == .infinity && __wrap_hypot(.nan, -.infinity) == .infinity)
        #expect(__wrap_hypotf(-.infinity, .nan) == .infinity)
        #expect(__wrap_hypot(.nan, 1).isNaN && __wrap_hypotf(1, .nan).isNaN)
        #expect(__wrap_hypot(.greatestFiniteMagnitude, 0) == .greatestFiniteMagnitude)
        #expect(__wrap_hypot(-0.0, 0.0) == 0)
        #expect(__wrap_hypot(1e308, 1e308) == __real_hypot(1e308, 1e308))
        #expect(__wrap_hypot(.leastNonzeroMagnitude, .leastNonzeroMagnitude) == __real_hypot(.leastNonzeroMagnitude, .leastNonzeroMagnitude))
        errno = 0
        #expect(__wrap_hypot(1.7e308, 1.7e308) == .infinity && errno == ERANGE)
        errno = 0
        #expect(__wrap_hypotf(3e38, 3e38) == .infinity && errno == ERANGE)
    }
}
#endif
