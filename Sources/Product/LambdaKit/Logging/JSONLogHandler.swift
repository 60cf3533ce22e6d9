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

    /// Performance: every invocation writes at least its summary line, so the line is written from
    /// the three metadata sources in place (no merged dictionary, no `String` per timestamp part).
    /// A key's value is the event's, else the provider's, else the handler's: the precedence of
    /// merging them in that order.
    public func log(event: LogEvent) {
        let provided = metadataProvider?.get()
        let extra = event.metadata
        func value(_ key: String) -> Logger.Metadata.Value? {
            extra?[key] ?? provided?[key] ?? self[metadataKey: key]
        }
        var json = JSONWriter(capacity: 512)
        json.raw("{\"time\":\"")
        Self.appendTimestamp(to: &json.bytes)
        json.raw("\",\"level\":")
        json.string(LogLevelSetting.lambdaName(event.level))
        json.raw(",\"message\":")
        json.string(event.message.description)
        if let requestId = value("requestId") {
            json.raw(",\"requestId\":")
            json.string(requestId.description)
        }
        // The invocation's other ids, top-level too, so Logs Insights finds every line of a request
        // by `apiRequestId` or `traceId`; `coldStart` as a JSON boolean.
        for key in Self.invocationKeys {
            guard let value = value(key) else { continue }
            json.raw(",")
            json.string(key)
            json.raw(":")
            if key == "coldStart" { json.bool(value.description == "true") } else { json.string(value.description) }
        }
        // The rest, under `metadata`, sorted by key; each key once, from the source that wins.
        var rest: [(key: String, value: Logger.Metadata.Value)] = []
        if let extra {
            for (key, value) in extra where !Self.isLifted(key) { rest.append((key, value)) }
        }
        if let provided {
            for (key, value) in provided where !Self.isLifted(key) && extra?[key] == nil { rest.append((key, value)) }
        }
        for (key, value) in otherMetadata where !Self.isLifted(key) && extra?[key] == nil && provided?[key] == nil {
            rest.append((key, value))
        }
        if !rest.isEmpty {
            rest.sort { $0.key < $1.key }
            json.raw(",\"metadata\":{")
            for (index, member) in rest.enumerated() {
                if index > 0 { json.raw(",") }
                json.string(member.key)
                json.raw(":")
                Self.write(member.value, to: &json)
            }
            json.raw("}")
        }
        json.raw("}\n")
        sink(json.bytes)
    }

    static let invocationKeys = ["apiRequestId", "traceId", "coldStart"]

    /// Written at the top level rather than under `metadata`.
    private static func isLifted(_ key: String) -> Bool {
        key == "requestId" || invocationKeys.contains(key)
    }

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

    /// RFC 3339 UTC with milliseconds (`2026-01-02T03:04:05.678Z`), without Foundation's
    /// formatters: 24 bytes written digit by digit.
    static func appendTimestamp(to bytes: inout [UInt8]) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = time_t(spec.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { text in
            func put(_ value: Int32, width: Int, at offset: Int) {
                var rest = max(0, value)
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
            }
            put(parts.tm_year + 1900, width: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(parts.tm_mon + 1, width: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(parts.tm_mday, width: 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(parts.tm_hour, width: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(parts.tm_min, width: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(parts.tm_sec, width: 2, at: 17)
            text[19] = UInt8(ascii: ".")
            put(Int32(spec.tv_nsec / 1_000_000), width: 3, at: 20)
            text[23] = UInt8(ascii: "Z")
            bytes.append(contentsOf: text)
        }
    }
}
