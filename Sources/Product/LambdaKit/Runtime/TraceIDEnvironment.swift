#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Exports the current invocation's trace id as `_X_AMZN_TRACE_ID`, which code in the process (the
/// X-Ray SDK) and subprocesses read with getenv, without allocating per invocation.
///
/// Why not setenv: glibc's setenv copies each "NAME=value" it is given and never frees the copy
/// (an earlier getenv result may still be in use), so with a distinct trace id per invocation, as
/// Lambda sends, the heap grows by one string per invocation for the life of the process (about
/// 100 MB per million invocations). Instead this type owns the "NAME=value" buffer, hands it to
/// putenv (which stores the pointer and copies nothing) and rewrites the value in place. Only an id
/// longer than the buffer holds gets a new buffer, of at least twice the capacity, so all buffers
/// together hold at most four times the longest id (at least `initialCapacity`), however many ids.
///
/// Thread safety: not Sendable, one instance, owned by the runtime loop, which calls `set` between
/// invocations (one at a time) before the handler runs, so the handler and what it starts read a
/// stable value. Code still running from an earlier invocation that reads the variable during the
/// rewrite may see a mix of the two ids; getenv gives no guarantee against a concurrent writer
/// anyway (POSIX), and the memory read stays valid: no buffer is ever freed, since environ or a
/// reader holding an earlier getenv result may still point into it.
final class TraceIDEnvironment {
    let name: String
    /// "NAME=" then the value and a NUL; `valueCapacity + 1` bytes after the prefix.
    private var entry: UnsafeMutablePointer<CChar>?
    private var valueCapacity = 0
    private let prefix: [UInt8]

    init(name: String = "_X_AMZN_TRACE_ID") {
        self.name = name
        prefix = Array(name.utf8) + [UInt8(ascii: "=")]
    }

    /// Sets the variable to `traceId`, or unsets it when nil.
    func set(_ traceId: String?) {
        // A NUL would end the C string early and export a different, truncated id: none is better.
        guard let traceId, !traceId.utf8.contains(0) else {
            unsetenv(name)
            return
        }
        let count = traceId.utf8.count
        if entry == nil || count > valueCapacity {
            // A new buffer is filled before it is registered: environ moves from one complete
            // entry to another. The old buffer is kept (see the type's comment).
            valueCapacity = max(Self.initialCapacity, count, valueCapacity * 2)
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: prefix.count + valueCapacity + 1)
            for (index, byte) in prefix.enumerated() { buffer[index] = CChar(bitPattern: byte) }
            entry = buffer
        }
        guard let entry else { return }
        let value = entry + prefix.count
        var index = 0
        for byte in traceId.utf8 {
            value[index] = CChar(bitPattern: byte)
            index += 1
        }
        value[count] = 0
        // Registered on first use, after a new buffer, after an invocation without an id (unsetenv
        // took the entry out of environ) and if other code replaced the variable with setenv.
        if getenv(name) != value {
            putenv(entry)
        }
    }

    /// Room for the ids Lambda sends ("Root=1-…;Parent=…;Sampled=…;Lineage=…", about 100 bytes).
    static let initialCapacity = 160
}
