#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Wall-clock time (Lambda's deadline header is Unix epoch milliseconds; NIODeadline is monotonic).
enum WallClock {
    static func nowMs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    static func deadline(epochMs: Int64) -> NIODeadline {
        .now() + .milliseconds(epochMs - nowMs())
    }
}
