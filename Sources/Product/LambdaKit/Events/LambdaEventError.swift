/// Why an invocation payload could not become an `HTTPRequest`. Messages never quote values
/// from the event (they may hold tokens), only structure.
public enum LambdaEventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload is not JSON.
    case notJSON
    /// Valid JSON, but not an API Gateway / function URL / ALB HTTP event (e.g. an authorizer event).
    case notAnHTTPEvent(String)
    /// Looks like an HTTP event but a field has the wrong shape (or a base64 body does not decode).
    case malformed(String)

    public var description: String {
        switch self {
        case .notJSON: return "event is not valid JSON"
        case .notAnHTTPEvent(let why): return "not an HTTP event: \(why)"
        case .malformed(let why): return "malformed HTTP event: \(why)"
        }
    }

    /// The `errorType` reported to the Runtime API.
    public var errorType: String {
        switch self {
        case .notJSON: return "Runtime.InvalidEventJSON"
        case .notAnHTTPEvent: return "Runtime.NotAnHTTPEvent"
        case .malformed: return "Runtime.MalformedHTTPEvent"
        }
    }
}
