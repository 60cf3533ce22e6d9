/// Which AWS integration delivered the event; the response is encoded in that integration's format.
public enum EventOrigin: String, Sendable, Hashable, CaseIterable {
    /// API Gateway REST API (payload format 1.0), also HTTP API with payload format 1.0.
    case restV1
    /// API Gateway HTTP API, payload format 2.0.
    case httpV2
    /// Lambda function URL (payload format 2.0 shape, `*.lambda-url.*` domain).
    case functionURL
    /// Application Load Balancer target group.
    case alb
}
