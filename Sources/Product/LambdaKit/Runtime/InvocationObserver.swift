import Logging

/// Sees every invocation once it is answered (before the answer is posted or printed), in both
/// modes and for every handler family: the seam for metrics, the summary log line and whatever a
/// deployment adds (`LambdaMain.run(observers:)`). Called on the invocation's task, one
/// invocation at a time; `logger` is the invocation's logger (its lines carry the ids).
public protocol InvocationObserver: Sendable {
    func invocationFinished(_ record: InvocationRecord, logger: Logger)
}

/// The observers of a process, in order: the summary line, then the metrics document.
public struct InvocationObservers: Sendable {
    var all: [any InvocationObserver]

    static let none = InvocationObservers(all: [])

    init(all: [any InvocationObserver]) {
        self.all = all
    }

    /// The runtime's observers for `environment` (`METRICS`, `METRICS_NAMESPACE`), as `LambdaMain`
    /// installs them; nil when the metrics settings are invalid. For benchmarks and tests.
    public static func standard(environment: [String: String]) -> InvocationObservers? {
        let (observers, problem) = LambdaMain.observers(environment: environment, extra: [])
        return problem == nil ? observers : nil
    }

    /// What every observer writes to stderr goes out in one write(2) (`StandardStreams.collectingWrites`).
    public func finished(_ record: InvocationRecord, logger: Logger) {
        StandardStreams.collectingWrites(to: 2) {
            for observer in all { observer.invocationFinished(record, logger: logger) }
        }
    }
}
