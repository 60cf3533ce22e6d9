#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import JSONValue
import Logging

/// A swift-log handler writing one JSON object per line to stderr:
/// `{"time":"2026-01-02T03:04:05.678Z","level":"INFO","message":"...","requestId":"...","metadata":{...}}`.
/// The invocation's `requestId`, `apiRequestId`, `traceId` and `coldStart` metadata are lifted to the
/// top level. Each line is written with one `write(2)`.
/// `level` carries Lambda's level names (`LogLevelSetting.lambdaName`): with the function's
/// `LoggingConfig.LogFormat: JSON`, Lambda reads that key to filter application logs, and treats a
/// missing or unknown value as INFO, so a swift-log name such as `warning` or `critical` would
/// survive a WARN/ERROR/FATAL filter it should not
/// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    /// Performance: the runtime loop sets `requestId` on every invocation; keeping it out of the
    /// dictionary saves a dictionary allocation per invocation when nothing is logged.
    private var requestId: Logger.Metadata.Value?
    private var otherMetadata: Logger.Metadata = [:]
    public var metadata: Logger.Metadata {
        get {
            var all = otherMetadata
            if let requestId { all["requestId"] = requestId }
            return all
        }
        set {
            var others = newValue
            requestId = others.removeValue(forKey: "requestId")
            otherMetadata = others
        }
    }
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    private let sink: @Sendable ([UInt8]) -> Void

    public init(label: String, logLevel: Logger.Level = LogLevelSetting.fromEnvironment()) {
        self.init(label: label, logLevel: logLevel, sink: JSONLogHandler.writeToStderr)
    }

    /// For tests: each complete line (with its newline) goes to `sink`.
    public init(label: String, logLevel: Logger.Level, sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.logLevel = logLevel
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { key == "requestId" ? requestId : otherMetadata[key] }
        set {
            if key == "requestId" { requestId = newValue } else { otherMetadata[key] = newValue }
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var json = JSONWriter(capacity: 256)
        json.raw("{\"time\":")
        json.string(Self.timestamp())
        json.raw(",\"level\":")
        json.string(LogLevelSetting.lambdaName(event.level))
        json.raw(",\"message\":")
        json.string(event.message.description)
        if let requestId = merged.removeValue(forKey: "requestId") {
            json.raw(",\"requestId\":")
            json.string(requestId.description)
        }
        // The invocation's other ids, top-level too, so Logs Insights finds every line of a request
        // by `apiRequestId` or `traceId`; `coldStart` as a JSON boolean.
        for key in Self.invocationKeys {
            guard let value = merged.removeValue(forKey: key) else { continue }
            json.raw(",")
            json.string(key)
            json.raw(":")
            if key == "coldStart" { json.bool(value.description == "true") } else { json.string(value.description) }
        }
        if !merged.isEmpty {
            json.raw(",\"metadata\":")
            Self.write(.dictionary(merged), to: &json)
        }
        json.raw("}\n")
        sink(json.bytes)
    }

    static let invocationKeys = ["apiRequestId", "traceId", "coldStart"]

    private static func write(_ value: Logger.Metadata.Value, to json: inout JSONWriter) {
        switch value {
        case .string(let text): json.string(text)
        case .stringConvertible(let convertible): json.string(convertible.description)
        case .array(let values):
            json.raw("[")
            for (index, element) in values.enumerated() {
                if index > 0 { json.raw(",") }
                write(element, to: &json)
            }
            json.raw("]")
        case .dictionary(let members):
            json.raw("{")
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { json.raw(",") }
                json.string(key)
                json.raw(":")
                write(members[key]!, to: &json)
            }
            json.raw("}")
        }
    }

    @Sendable static func writeToStderr(_ bytes: [UInt8]) {
        StandardStreams.write(bytes, to: 2)
    }

    /// RFC 3339 UTC with milliseconds, without Foundation's formatters.
    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = time_t(spec.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}
