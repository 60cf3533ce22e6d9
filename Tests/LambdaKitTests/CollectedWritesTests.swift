import Foundation
import Testing
@testable import LambdaKit

/// `StandardStreams.collectingWrites`: what a task writes to one descriptor inside it reaches the
/// descriptor in one write at its end, in order; other descriptors and other tasks are not held.
@Suite("Collected writes")
struct CollectedWritesTests {
    /// A pipe whose read end does not block: `available()` is what has been written so far.
    final class Pipe {
        let read: Int32
        let write: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw POSIXError(.EIO) }
            read = fds[0]
            write = fds[1]
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
        }

        func available() -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { Foundation.read(read, $0.baseAddress, $0.count) }
            return count > 0 ? Array(buffer[0..<count]) : []
        }

        deinit {
            close(read)
            close(write)
        }
    }

    @Test func linesInsideReachTheDescriptorTogetherAtTheEnd() throws {
        let target = try Pipe()
        let other = try Pipe()
        var seenInside: [UInt8]? = nil
        var otherInside: [UInt8]? = nil
        StandardStreams.collectingWrites(to: target.write) {
            StandardStreams.write(Array("{\"a\":1}\n".utf8), to: target.write)
            StandardStreams.write(Array("x\n".utf8), to: other.write)
            StandardStreams.write(Array("{\"b\":2}\n".utf8), to: target.write)
            seenInside = target.available()
            otherInside = other.available()
        }
        #expect(seenInside == [], "held until the end")
        #expect(otherInside == Array("x\n".utf8), "another descriptor is written at once")
        #expect(target.available() == Array("{\"a\":1}\n{\"b\":2}\n".utf8))
        StandardStreams.write(Array("c\n".utf8), to: target.write)
        #expect(target.available() == Array("c\n".utf8), "after the scope, lines go out at once")
    }

    /// The other writer is a thread, not a task: waiting for a task here would block a thread of the
    /// cooperative pool on work that needs one (two threads on a 2-core machine), and a thread, like
    /// a detached task, sees none of this task's task-locals.
    @Test func codeOutsideTheTaskIsNotHeld() async throws {
        let target = try Pipe()
        let fd = target.write
        var fromOtherTask: [UInt8]? = nil
        StandardStreams.collectingWrites(to: fd) {
            let done = DispatchSemaphore(value: 0)
            Thread {
                StandardStreams.write(Array("other\n".utf8), to: fd)
                done.signal()
            }.start()
            done.wait()
            fromOtherTask = target.available()
        }
        #expect(fromOtherTask == Array("other\n".utf8))
        #expect(target.available() == [])
    }

    @Test func nothingWrittenWritesNothing() throws {
        let target = try Pipe()
        StandardStreams.collectingWrites(to: target.write) {}
        #expect(target.available() == [])
    }
}
