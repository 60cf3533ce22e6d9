import JSONValue
import Logging

/// Writes one CloudWatch embedded metric format document per invocation, as one line on stderr
/// (the log stream, in both modes: stdout in stdin mode holds only the answer).
///
/// The document, per the specification
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
/// `_aws` with `Timestamp` (epoch ms) and `CloudWatchMetrics`, an array of directives, each with
/// `Namespace`, `Dimensions` (arrays of member names) and `Metrics` (`Name`, `Unit`); every
/// dimension and metric named there is a member of the root object (dimensions strings, metrics
/// numbers). Directive 1: `Requests` (Count), `Latency` (Milliseconds), `Faults` (Count) by
/// `[FunctionName]` and `[FunctionName, Outcome]`; directive 2: `ColdStart` (Count) by
/// `[FunctionName]`; directive 3, only when the handler called an upstream: `UpstreamCalls`,
/// `UpstreamErrors`, `UpstreamTimeouts`, `UpstreamThrottles`, `JWKSFetches` (Count) and
/// `UpstreamLatency` (Milliseconds, one value per call) by `[FunctionName]`, with each call's
/// operation and outcome in the `upstream` property. Further root members are properties, not dimensions: the ids, for finding the
/// invocation's log lines from a metric, and the route, family and status.
///
/// Dimensions are bounded: the function's name (one per process) and the outcome code (a fixed
/// set, `InvocationOutcome.isBounded`). No token, sub, username, address or path reaches the
/// document: the record holds none.
///
/// No `level` member: Lambda's application log-level filter treats the line as INFO
/// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html: "If the
/// level value field is invalid or missing, Lambda will assign the log output the level INFO"), so
/// an application log level above INFO drops the metrics; `LambdaMain` warns at start when it is.
public struct EMFMetricsWriter: InvocationObserver {
    public let namespace: String
    private let sink: @Sendable ([UInt8]) -> Void
    /// The directives are the same for every invocation of a process, so they are written once,
    /// here (the namespace escaped once), and copied into each document: `,"CloudWatchMetrics":[`
    /// with directives 1 and 2, and directive 3 for invocations that called an upstream, each
    /// with the end of `_aws` and the start of the function's name joined on.
    private let directives: [UInt8]
    private let directivesWithUpstream: [UInt8]
    /// The process's function name (`LambdaMain` knows it at start) with both directive sets,
    /// its escaped value and `","Outcome":"` joined on: what every document of the process writes.
    private let named: (functionName: String, directives: [UInt8], directivesWithUpstream: [UInt8])?

    /// `sink` (tests) gets each document's bytes; default: stderr (one write(2) with the other
    /// lines of the invocation's observers, `InvocationObservers`).
    public init(namespace: String, functionName: String? = nil, sink: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.namespace = namespace
        self.sink = sink ?? { StandardStreams.write($0, to: 2) }
        var json = JSONWriter(capacity: 400)
        json.raw(",\"CloudWatchMetrics\":[{\"Namespace\":")
        json.string(namespace)
        json.raw(
            ",\"Dimensions\":[[\"FunctionName\"],[\"FunctionName\",\"Outcome\"]],\"Metrics\":[{\"Name\":\"Requests\",\"Unit\":\"Count\"},{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"},{\"Name\":\"Faults\",\"Unit\":\"Count\"}]},{\"Namespace\":"
        )
        json.string(namespace)
        json.raw(",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":[{\"Name\":\"ColdStart\",\"Unit\":\"Count\"}]}")
        var upstream = JSONWriter(capacity: 400)
        upstream.raw(bytes: json.bytes)
        upstream.raw(",{\"Namespace\":")
        upstream.string(namespace)
        upstream.raw(
            ",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":[{\"Name\":\"UpstreamCalls\",\"Unit\":\"Count\"},{\"Name\":\"UpstreamLatency\",\"Unit\":\"Milliseconds\"},{\"Name\":\"UpstreamErrors\",\"Unit\":\"Count\"},{\"Name\":\"UpstreamTimeouts\",\"Unit\":\"Count\"},{\"Name\":\"UpstreamThrottles\",\"Unit\":\"Count\"},{\"Name\":\"JWKSFetches\",\"Unit\":\"Count\"}]}"
        )
        json.raw("]},\"FunctionName\":\"")
        upstream.raw("]},\"FunctionName\":\"")
        directives = json.bytes
        directivesWithUpstream = upstream.bytes
        named = functionName.map { name in
            func joined(_ fragment: [UInt8]) -> [UInt8] {
                var json = JSONWriter(capacity: fragment.count + name.utf8.count + 16)
                json.raw(bytes: fragment)
                JSONWriter.appendStringContents(name, to: &json.bytes)
                json.raw("\",\"Outcome\":\"")
                return json.bytes
            }
            return (name, joined(json.bytes), joined(upstream.bytes))
        }
    }

    public func invocationFinished(_ record: InvocationRecord, logger: Logger) {
        sink(document(record))
    }

    /// The document's bytes, with its newline.
    ///
    /// Performance: one document per invocation, so each string's quotes are joined onto the
    /// fragments around it (`","Outcome":"`) and the 0/1 counts are one fragment: about half the
    /// appends of writing member by member.
    public func document(_ record: InvocationRecord) -> [UInt8] {
        // 960: a document without upstream calls is about 650 bytes, and with the array's header
        // the block stays within glibc's per-thread cache (1,032 bytes), the cheapest malloc/free.
        var json = JSONWriter(capacity: 960)
        json.raw("{\"_aws\":{\"Timestamp\":")
        json.int(Int(record.startEpochMs))
        // At most 100 values per metric (the specification's limit); an invocation makes a few calls.
        let calls = record.upstreamCalls.prefix(100)
        if let named, named.functionName == record.functionName {
            json.raw(bytes: calls.isEmpty ? named.directives : named.directivesWithUpstream)
        } else {
            json.raw(bytes: calls.isEmpty ? directives : directivesWithUpstream)
            JSONWriter.appendStringContents(record.functionName, to: &json.bytes)
            json.raw("\",\"Outcome\":\"")
        }
        JSONWriter.appendStringContents(record.outcome, to: &json.bytes)
        json.raw("\",\"Requests\":1,\"Latency\":")
        json.fixedPoint(record.durationNanoseconds / 1000, fractionDigits: 3)
        switch (record.isFault, record.coldStart) {
        case (false, false): json.raw(",\"Faults\":0,\"ColdStart\":0")
        case (false, true): json.raw(",\"Faults\":0,\"ColdStart\":1")
        case (true, false): json.raw(",\"Faults\":1,\"ColdStart\":0")
        case (true, true): json.raw(",\"Faults\":1,\"ColdStart\":1")
        }
        if !calls.isEmpty {
            json.raw(",\"UpstreamCalls\":")
            json.int(calls.count)
            json.raw(",\"UpstreamLatency\":[")
            for (index, call) in calls.enumerated() {
                if index > 0 { json.raw(",") }
                json.fixedPoint(call.durationNanoseconds / 1000, fractionDigits: 3)
            }
            json.raw("],\"UpstreamErrors\":")
            json.int(calls.count(where: { $0.isError }))
            json.raw(",\"UpstreamTimeouts\":")
            json.int(calls.count(where: { $0.outcome == "timeout" }))
            json.raw(",\"UpstreamThrottles\":")
            json.int(calls.count(where: { $0.outcome == "throttled" }))
            json.raw(",\"JWKSFetches\":")
            json.int(calls.count(where: { $0.operation == "JWKS" }))
            json.raw(",\"upstream\":[")
            for (index, call) in calls.enumerated() {
                if index > 0 { json.raw(",") }
                json.raw("{\"operation\":")
                json.string(call.operation)
                json.raw(",\"outcome\":")
                json.string(call.outcome)
                json.raw("}")
            }
            json.raw("]")
        }
        // Each string's closing quote is joined onto what follows it.
        json.raw(",\"family\":\"")
        JSONWriter.appendStringContents(record.family, to: &json.bytes)
        if let route = record.route {
            json.raw("\",\"route\":\"")
            JSONWriter.appendStringContents(route, to: &json.bytes)
        }
        if let status = record.status {
            json.raw("\",\"status\":")
            json.int(status)
            json.raw(",\"requestId\":\"")
        } else {
            json.raw("\",\"requestId\":\"")
        }
        JSONWriter.appendStringContents(record.requestId, to: &json.bytes)
        if let apiRequestId = record.apiRequestId {
            json.raw("\",\"apiRequestId\":\"")
            JSONWriter.appendStringContents(apiRequestId, to: &json.bytes)
        }
        if let traceId = record.traceId {
            json.raw("\",\"traceId\":\"")
            JSONWriter.appendStringContents(traceId, to: &json.bytes)
        }
        json.raw("\"}\n")
        return json.bytes
    }
}
