#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// SIGTERM handling for the Runtime API loop: exit 0 at once while waiting for the next event,
/// or right after the in-flight invocation has been answered.
final class TerminationGuard: Sendable {
    private struct State {
        var busy = false
        var requested = false
    }

    private let state = Mutex(State())
    // Only touched in init; kept alive for the life of the process.
    nonisolated(unsafe) private let source: any DispatchSourceSignal

    init() {
        signal(SIGTERM, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler { [weak self] in self?.terminationRequested() }
        source.resume()
    }

    private func terminationRequested() {
        state.withLock { state in
            // Exiting under the lock: the loop cannot start an invocation in between.
            if !state.busy { exit(0) }
            state.requested = true
        }
    }

    func invocationStarted() {
        state.withLock { $0.busy = true }
    }

    /// Called once the invocation's answer has been posted.
    func invocationFinished() {
        state.withLock { state in
            if state.requested { exit(0) }
            state.busy = false
        }
    }
}
