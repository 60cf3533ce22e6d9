#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The module-qualified calls below (the enum's own `write` hides the C one) name the C library the
// toolchain links: glibc here, musl with the Swift Static Linux SDK, Darwin on macOS.
#if canImport(Glibc)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
#elseif canImport(Musl)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Musl.write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { Musl.read(fd, buffer, count) }
#elseif canImport(Darwin)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
#endif

/// Raw file-descriptor I/O for stdin/stdout/stderr (no buffering: stdout holds only the response).
enum StandardStreams {
    /// The lines written to one descriptor by the task inside `collectingWrites`.
    ///
    /// `@unchecked Sendable`: only the task that runs `collectingWrites` (synchronous code, on one
    /// thread) appends to it; a task-local is not inherited by detached tasks, and the observers
    /// start no child tasks.
    final class CollectedWrites: @unchecked Sendable {
        let fd: Int32
        var bytes: [UInt8] = []

        init(fd: Int32) {
            self.fd = fd
            bytes.reserveCapacity(2048)
        }
    }

    @TaskLocal static var collected: CollectedWrites?

    /// Runs `body`, and writes every line it writes to `fd` (through `write`) with one write(2)
    /// at its end: the summary line and the metrics document of an invocation cost one system call,
    /// and no other task's line can fall between them. Lambda still reads them as separate log
    /// events, one per newline-terminated line (on stdout and stderr "the Lambda service doesn't
    /// know the start and stop of messages other than using newlines":
    /// https://github.com/aws/aws-lambda-dotnet/pull/1165, AWS's own .NET runtime; the Lambda
    /// developer guide does not say how it splits them).
    static func collectingWrites(to fd: Int32, _ body: () -> Void) {
        let collected = CollectedWrites(fd: fd)
        $collected.withValue(collected) { body() }
        if !collected.bytes.isEmpty { writeAll(collected.bytes, to: fd) }
    }

    static func write(_ bytes: [UInt8], to fd: Int32) {
        if let collected, collected.fd == fd {
            collected.bytes.append(contentsOf: bytes)
            return
        }
        writeAll(bytes, to: fd)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    static func writeLine(_ text: String, to fd: Int32) {
        write(Array((text + "\n").utf8), to: fd)
    }

    /// Reads a descriptor to its end. `nil` on a read error.
    static func readAll(fd: Int32, limit: Int = 64 << 20) -> [UInt8]? {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            if result.count > limit { return nil }
        }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd: fd)
    }
}
