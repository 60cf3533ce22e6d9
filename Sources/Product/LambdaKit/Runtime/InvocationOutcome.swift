import Synchronization

/// Where an event handler tells the runtime its outcome code (an HTTP handler sets
/// `HTTPResponse.outcome` instead): the authorizer records `allow` or `deny`, or why it refused
/// (`unauthorized`), before it answers or throws. The code becomes a metric dimension and a log
/// field, so it must be one of a fixed set the handler chose, never request data; a code that is
/// not `isBounded` is replaced by `invalid_outcome`.
public final class InvocationOutcome: Sendable {
    private let code = Mutex<String?>(nil)

    public init() {}

    /// The last code recorded wins.
    public func record(_ code: String) {
        self.code.withLock { $0 = code }
    }

    var recorded: String? { code.withLock { $0 } }

    /// Dimension values are bounded by construction, and this keeps them so: 1–64 bytes of
    /// `a-z`, `0-9`, `_`. Anything else (an upper-case word, a path, a token, an e-mail address) is
    /// refused whole rather than cleaned, so no part of request data can reach a metric.
    public static func isBounded(_ code: String) -> Bool {
        let bytes = code.utf8
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        return bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    static func bounded(_ code: String) -> String {
        isBounded(code) ? code : "invalid_outcome"
    }
}
