import Synchronization

/// Numbers processes across pools, so a log line names which environment served a request.
final class ProcessCounter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
