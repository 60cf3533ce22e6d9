import Logging

/// The ids of the invocation in flight, for loggers that are not the invocation's own: code
/// handed the start-up logger at init (the Cognito client, the JWKS cache) still writes lines
/// that carry `requestId`, `apiRequestId`, `traceId` and `coldStart` while it works for an
/// invocation. swift-log's metadata provider reads this task-local on every line
/// (`LambdaMain` installs it with `JSONLogHandler`); tasks the handler starts inherit it,
/// detached ones do not.
public enum InvocationLogMetadata {
    @TaskLocal public static var current: Logger.Metadata?

    public static let provider = Logger.MetadataProvider { current ?? [:] }

    static func make(requestId: String, traceId: String?, coldStart: Bool, apiRequestId: String?) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["requestId": .string(requestId), "coldStart": .stringConvertible(coldStart)]
        if let traceId { metadata["traceId"] = .string(traceId) }
        if let apiRequestId { metadata["apiRequestId"] = .string(apiRequestId) }
        return metadata
    }
}
