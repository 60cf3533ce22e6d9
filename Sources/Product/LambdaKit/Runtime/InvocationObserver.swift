import Logging

/// Sees every invocation once it is answered (before the answer is posted or printed), in both
/// modes and for every handler family: the seam for metrics, the summary log line and whatever a
/// deployment adds (`LambdaMain.run(observers:)`). Called on the invocation's task, one
/// invocation at a time; `logger` is the invocation's logger (its lines carry the ids).
public protocol InvocationObserver: Sendable {
    func invocationFinished(_ record: InvocationRecord, logger: Logger)
}

/// The observers of a process, in order: the summary line, then the metrics document.
struct InvocationObservers: Sendable {
    var all: [any InvocationObserver]

    static let none = InvocationObservers(all: [])

    func finished(_ record: InvocationRecord, logger: Logger) {
        for observer in all { observer.invocationFinished(record, logger: logger) }
    }
}
