/// What the function answered for one invocation.
public struct RuntimeAPIOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// `POST /runtime/invocation/{id}/response`.
        case response
        /// `POST /runtime/invocation/{id}/error`.
        case error
        /// The connection that took the event closed before answering (the process died or exited).
        case abandoned
    }

    public var requestId: String
    public var kind: Kind
    /// The posted payload (empty when abandoned).
    public var body: [UInt8]
    /// `Lambda-Runtime-Function-Error-Type` of an error post.
    public var errorType: String?

    public init(requestId: String, kind: Kind, body: [UInt8], errorType: String? = nil) {
        self.requestId = requestId
        self.kind = kind
        self.body = body
        self.errorType = errorType
    }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}

/// What the function posted to `/runtime/init/error`.
public struct RuntimeAPIInitError: Sendable, Equatable {
    public var body: [UInt8]
    public var errorType: String?

    public init(body: [UInt8], errorType: String?) {
        self.body = body
        self.errorType = errorType
    }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }
}

/// Misbehaviour to inject, for testing how a runtime copes.
public enum RuntimeAPIFault: Sendable, Equatable {
    /// Every `next` is answered with this status (e.g. 500).
    case nextStatus(Int)
    /// Every `next` closes the connection without answering.
    case closeOnNext
}

public enum RuntimeAPIServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(String)

    public var description: String {
        switch self {
        case .timeout(let what): return "timed out waiting for \(what)"
        }
    }
}
