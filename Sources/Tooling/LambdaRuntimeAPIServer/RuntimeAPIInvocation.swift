import FoundationEssentials

/// One event to hand to the function, with the invocation headers `next` will carry.
public struct RuntimeAPIInvocation: Sendable {
    public var event: [UInt8]
    /// `Lambda-Runtime-Aws-Request-Id`; a fresh UUID by default.
    public var requestId: String
    /// `Lambda-Runtime-Deadline-Ms`; by default delivery time + `timeout`.
    public var deadlineEpochMs: Int64?
    public var timeout: Duration
    public var invokedFunctionARN: String
    /// `Lambda-Runtime-Trace-Id`; a fresh X-Ray id per invocation by default.
    public var traceId: String?
    public var clientContext: String?
    public var cognitoIdentity: String?

    public init(
        event: [UInt8], requestId: String = UUID().uuidString.lowercased(), deadlineEpochMs: Int64? = nil,
        timeout: Duration = .seconds(30),
        invokedFunctionARN: String = "arn:aws:lambda:us-east-1:000000000000:function:local",
        traceId: String? = RuntimeAPIInvocation.makeTraceId(), clientContext: String? = nil,
        cognitoIdentity: String? = nil
    ) {
        self.event = event
        self.requestId = requestId
        self.deadlineEpochMs = deadlineEpochMs
        self.timeout = timeout
        self.invokedFunctionARN = invokedFunctionARN
        self.traceId = traceId
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
    }

    /// `Root=1-<epoch hex>-<96-bit random>;Parent=<64-bit random>;Sampled=0`.
    public static func makeTraceId() -> String {
        func hex<T: FixedWidthInteger>(_ value: T, digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        let seconds = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
        return "Root=1-\(hex(seconds, digits: 8))-\(hex(UInt32.random(in: .min ... .max), digits: 8))"
            + "\(hex(UInt64.random(in: .min ... .max), digits: 16));Parent=\(hex(UInt64.random(in: .min ... .max), digits: 16));Sampled=0"
    }
}
