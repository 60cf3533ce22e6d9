import JSONValue

/// One injected fault, applied to the next `count` calls of `operation`.
/// JSON: `{"operation":"GetUser","kind":"latency|status5xx|throttle|malformed|drop|cookieBreakingRefreshToken","count":1,"latencyMs":500,"status":503}`.
/// `cookieBreakingRefreshToken` (operation `Token`): the normal answer, but its `refresh_token`
/// ends in `; Domain=…` — what a client that writes it into `Set-Cookie` unchecked would forward.
struct Fault: Sendable, Equatable {
    enum Kind: String, Sendable, CaseIterable {
        case latency, status5xx, throttle, malformed, drop, cookieBreakingRefreshToken
    }

    /// JSON API operations, then the endpoint names; `*` matches every operation.
    static let operations: Set<String> = [
        "GetUser", "GlobalSignOut", "RevokeToken", "InitiateAuth", "GetTokensFromRefreshToken",
        "Token", "Authorize", "UserInfo", "Revoke", "Logout", "JWKS", "OpenIDConfiguration", "*",
    ]

    var operation: String
    var kind: Kind
    var remaining: Int
    var latencyMs: Int
    var status: Int

    init(json: JSONValue) throws(FaultSpecError) {
        guard case .object(let object) = json else { throw FaultSpecError("body must be a JSON object") }
        guard let operation = object["operation"]?.stringValue, Self.operations.contains(operation) else {
            throw FaultSpecError("operation must be one of \(Self.operations.sorted().joined(separator: ", "))")
        }
        guard let kindName = object["kind"]?.stringValue, let kind = Kind(rawValue: kindName) else {
            throw FaultSpecError("kind must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let count = object["count"].map { $0.int64Value } ?? 1
        guard let count, (1...1_000_000).contains(count) else { throw FaultSpecError("count must be an integer 1...1000000") }
        let latency = object["latencyMs"].map { $0.int64Value } ?? (kind == .latency ? 1000 : 0)
        guard let latency, (0...600_000).contains(latency) else { throw FaultSpecError("latencyMs must be an integer 0...600000") }
        let status = object["status"].map { $0.int64Value } ?? 500
        guard let status, (500...599).contains(status) else { throw FaultSpecError("status must be an integer 500...599") }
        self.operation = operation
        self.kind = kind
        self.remaining = Int(count)
        self.latencyMs = Int(latency)
        self.status = Int(status)
    }

    var json: OrderedJSON {
        .object([
            ("operation", .string(operation)), ("kind", .string(kind.rawValue)), ("count", .int(Int64(remaining))),
            ("latencyMs", .int(Int64(latencyMs))), ("status", .int(Int64(status))),
        ])
    }
}

struct FaultSpecError: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Pending faults, consumed first-in first-out per operation.
actor FaultInjector {
    private var pending: [Fault] = []

    func add(_ fault: Fault) { pending.append(fault) }
    func clear() { pending.removeAll() }
    func list() -> [Fault] { pending }

    /// Takes one use of the oldest fault matching the operation, if any.
    func take(for operation: String) -> Fault? {
        guard let index = pending.firstIndex(where: { $0.operation == operation || $0.operation == "*" }) else { return nil }
        let fault = pending[index]
        pending[index].remaining -= 1
        if pending[index].remaining <= 0 { pending.remove(at: index) }
        return fault
    }
}
