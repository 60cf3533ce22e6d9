import JSONValue
import Logging

/// One INFO line per invocation, through the invocation's logger (so it carries the ids):
/// `"message":"invocation"` with `family`, `route` and `status` (HTTP), `outcome` (the problem
/// code, `ok`, or an event handler's decision: `allow`, `deny`, `unauthorized`), `result`, `ms`
/// and `upstream` (one `operation outcome ms` per upstream call).
public struct InvocationSummaryLog: InvocationObserver {
    public init() {}

    public func invocationFinished(_ record: InvocationRecord, logger: Logger) {
        logger.info("invocation", metadata: {
            var metadata: Logger.Metadata = [
                "family": .string(record.family),
                "outcome": .string(record.outcome),
                "result": .string(record.result.rawValue),
                "ms": .string(Self.milliseconds(record.durationNanoseconds)),
            ]
            if let route = record.route { metadata["route"] = .string(route) }
            if let status = record.status { metadata["status"] = "\(status)" }
            if !record.upstreamCalls.isEmpty {
                // "GetUser ok 12.345" per call: what Cognito cost this request, and how it ended.
                metadata["upstream"] = .array(record.upstreamCalls.map {
                    .string("\($0.operation) \($0.outcome) \(Self.milliseconds($0.durationNanoseconds))")
                })
            }
            return metadata
        }())
    }

    /// Milliseconds with three decimals.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        var json = JSONWriter(capacity: 16)
        json.fixedPoint(nanoseconds / 1000, fractionDigits: 3)
        return String(decoding: json.bytes, as: UTF8.self)
    }
}
