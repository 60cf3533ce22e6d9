/// A handler for an event family that is not an HTTP request (API Gateway Lambda authorizer
/// events, …): the invocation payload's bytes in, the answer's JSON bytes out. LambdaKit does not
/// decode these events; the handler reads (and validates) them itself. Throw `FunctionError` for a
/// function error with an exact message; any other thrown error is an invocation failure.
public typealias EventHandler = @Sendable ([UInt8], LambdaContext) async throws -> [UInt8]

/// What `LambdaMain` serves: an HTTP handler (API Gateway / function URL / ALB events, decoded and
/// encoded by LambdaKit) or an event handler (raw JSON in and out).
enum InvocationHandler: Sendable {
    case http(HTTPHandler)
    case event(EventHandler)
}
