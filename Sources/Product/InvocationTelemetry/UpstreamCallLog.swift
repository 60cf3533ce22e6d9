import Synchronization

/// The upstream calls (Cognito, the JWKS host, later the revocation store) one invocation made:
/// the transport records each call here, the runtime reads them for the metrics document and
/// the summary line. This tiny module is the one both sides import, so AuthCore and LambdaKit
/// still never import each other.
public final class UpstreamCallLog: Sendable {
    /// The log of the invocation in flight: LambdaKit binds a fresh one around the handler; nil
    /// outside an invocation (tests, tools), where nothing is recorded. Tasks the handler starts
    /// inherit it; a detached task (e.g. a JWKS fetch shared with a later invocation) does not.
    @TaskLocal public static var current: UpstreamCallLog?

    private let calls = Mutex<[UpstreamCall]>([])

    public init() {}

    public func record(_ call: UpstreamCall) {
        calls.withLock { $0.append(call) }
    }

    public var all: [UpstreamCall] { calls.withLock { $0 } }
}

/// One upstream call: which operation, how it ended, how long it took. Both names come from
/// fixed sets (see `UpstreamHTTP.operation` and `UpstreamHTTP.outcome`), never from request or
/// answer data, so they are safe as metric properties.
public struct UpstreamCall: Sendable, Equatable {
    /// `GetUser`, `GlobalSignOut`, `InitiateAuth`, `RevokeToken`, `Token`, `Revoke`, `JWKS`,
    /// `DynamoDB`, `Other`.
    public var operation: String
    /// `ok` (an answer below 500 other than 429), or the error kind: `throttled`, `status_5xx`,
    /// `redirect`, `timeout`, `unreachable`, `connection_lost`, `body_too_large`.
    public var outcome: String
    public var durationNanoseconds: Int64

    public init(operation: String, outcome: String, durationNanoseconds: Int64) {
        self.operation = operation
        self.outcome = outcome
        self.durationNanoseconds = durationNanoseconds
    }

    /// The call did not get an answer the caller can use (what `UpstreamErrors` counts).
    public var isError: Bool { outcome != "ok" }
}
