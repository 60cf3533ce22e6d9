#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncHTTPClient
import InvocationTelemetry
import NIOCore
import NIOHTTP1

/// The production transport: the one HTTP client of the process, shared by the JWKS fetcher and
/// the Cognito client so connections stay alive across warm Lambda invocations.
public struct UpstreamHTTP: UpstreamTransport {
    public let client: HTTPClient
    /// The trace header value for a request being sent now (default: `lambdaTraceID`).
    let traceID: @Sendable () -> String?

    public init(client: HTTPClient, traceID: @escaping @Sendable () -> String? = { UpstreamHTTP.lambdaTraceID() }) {
        self.client = client
        self.traceID = traceID
    }

    /// The process-wide client. It is never shut down: it lives as long as the process, which is
    /// what a Lambda execution environment wants (no reconnect per invocation).
    public static let shared = UpstreamHTTP(
        client: HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: Self.configuration
        )
    )

    /// Redirects are never followed (AsyncHTTPClient follows up to 5 by default). Cognito's token,
    /// revoke and JSON API endpoints and the JWKS URL never redirect; following one would send a
    /// code, a PKCE verifier, a token or the client secret to whatever host the `Location` names.
    /// A 3xx is handed back as the answer, and every caller treats it as an upstream error.
    static var configuration: HTTPClient.Configuration {
        HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(3), read: .seconds(10)),
            connectionPool: Self.connectionPool,
            decompression: .disabled
        )
    }

    /// Idle connections live 50 s (a warm Lambda keeps them between invocations). A refused
    /// connection is not retried: within one request deadline a retry loop only turns "Cognito is
    /// unreachable" into a slow timeout.
    static var connectionPool: HTTPClient.Configuration.ConnectionPool {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(50))
        pool.retryConnectionEstablishment = false
        return pool
    }

    /// Sends `request` and collects at most `maxBodyBytes` of the body. The whole exchange,
    /// body included, is bounded by `deadline`: a slow upstream cannot hold an invocation past it.
    public func send(
        _ request: UpstreamRequest,
        deadline: NIODeadline,
        maxBodyBytes: Int
    ) async throws(UpstreamError) -> UpstreamResponse {
        // Each call is recorded in the invocation's log (metrics, summary line), answered or not.
        guard let log = UpstreamCallLog.current else {
            return try await exchange(request, deadline: deadline, maxBodyBytes: maxBodyBytes)
        }
        let operation = Self.operation(request)
        let start = NIODeadline.now()
        do {
            let response = try await exchange(request, deadline: deadline, maxBodyBytes: maxBodyBytes)
            log.record(UpstreamCall(operation: operation, outcome: Self.outcome(response), durationNanoseconds: (NIODeadline.now() - start).nanoseconds))
            return response
        } catch {
            log.record(UpstreamCall(operation: operation, outcome: Self.outcome(error), durationNanoseconds: (NIODeadline.now() - start).nanoseconds))
            throw error
        }
    }

    private func exchange(
        _ request: UpstreamRequest, deadline: NIODeadline, maxBodyBytes: Int
    ) async throws(UpstreamError) -> UpstreamResponse {
        let client = self.client
        let request = Self.clientRequest(request, traceID: traceID())
        do {
            return try await withThrowingTaskGroup(of: UpstreamResponse?.self) { group in
                group.addTask {
                    let response = try await client.execute(request, deadline: deadline)
                    let body = try await response.body.collect(upTo: maxBodyBytes)
                    return UpstreamResponse(
                        status: Int(response.status.code),
                        headers: response.headers,
                        body: Array(buffer: body)
                    )
                }
                group.addTask {
                    let remaining = deadline - .now()
                    if remaining.nanoseconds > 0 {
                        try await Task.sleep(for: .nanoseconds(remaining.nanoseconds))
                    }
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw UpstreamError.timeout
                }
                return response
            }
        } catch {
            throw Self.classify(error)
        }
    }

    /// Trace propagation as the AWS SDKs do it: in a Lambda function (`AWS_LAMBDA_FUNCTION_NAME`
    /// set), the invocation's `_X_AMZN_TRACE_ID` (LambdaKit exports it per invocation) travels as
    /// `X-Amzn-Trace-Id` on every call, unless the request already has that header. Lambda's
    /// recursive loop detection and X-Ray read it
    /// (https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html; the SDKs'
    /// "recursion detection" middleware, e.g. aws-sdk-js-v3's, has exactly these conditions).
    public static func lambdaTraceID(
        _ read: (String) -> String? = { name in getenv(name).map { String(cString: $0) } }
    ) -> String? {
        guard let function = read("AWS_LAMBDA_FUNCTION_NAME"), !function.isEmpty,
            let traceID = read("_X_AMZN_TRACE_ID"), isHeaderSafe(traceID)
        else { return nil }
        return traceID
    }

    /// Security: the value goes into a request header verbatim, so only 1–8192 bytes of visible
    /// ASCII (what X-Ray trace headers are made of) are sent; a CR, LF or anything else in the
    /// environment is never written into a request (no header injection): the header is left out.
    static func isHeaderSafe(_ value: String) -> Bool {
        let bytes = value.utf8
        return !bytes.isEmpty && bytes.count <= 8192 && bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    static func clientRequest(_ request: UpstreamRequest, traceID: String? = nil) -> HTTPClientRequest {
        var clientRequest = HTTPClientRequest(url: request.url)
        clientRequest.method = request.method
        clientRequest.headers = request.headers
        if let traceID, !request.headers.contains(name: "X-Amzn-Trace-Id") {
            clientRequest.headers.add(name: "X-Amzn-Trace-Id", value: traceID)
        }
        if let body = request.body { clientRequest.body = .bytes(ByteBuffer(bytes: body)) }
        return clientRequest
    }

    /// The call's operation for the metrics, from a fixed set: the Cognito JSON API action named by
    /// `X-Amz-Target`, else the endpoint by its path. Never a part of the URL or a header value
    /// beyond these names.
    static func operation(_ request: UpstreamRequest) -> String {
        if let target = request.headers.first(name: "X-Amz-Target") {
            if target.hasPrefix("DynamoDB_") { return "DynamoDB" }
            let action = target.split(separator: ".").last.map(String.init) ?? ""
            return cognitoActions.contains(action) ? action : "Other"
        }
        let path = request.url.split(separator: "?", maxSplits: 1).first ?? ""
        if path.hasSuffix("/oauth2/token") { return "Token" }
        if path.hasSuffix("/oauth2/revoke") { return "Revoke" }
        if path.hasSuffix("/.well-known/jwks.json") { return "JWKS" }
        return "Other"
    }

    static let cognitoActions: Set<String> = ["GetUser", "GlobalSignOut", "InitiateAuth", "RevokeToken"]

    /// How an answered call ended: `ok` unless Cognito throttled (429, or its JSON API's
    /// `TooManyRequestsException` / `LimitExceededException`, a 400 whose `x-amzn-ErrorType` names
    /// it), answered 5xx, or redirected (never followed: an error for every caller). Coarse, for
    /// the metrics only: `CognitoResponseReader` decides what the answer means.
    static func outcome(_ response: UpstreamResponse) -> String {
        let errorType = response.headers.first(name: "x-amzn-ErrorType") ?? ""
        if response.status == 429 || errorType.contains("TooManyRequestsException") || errorType.contains("LimitExceededException") {
            return "throttled"
        }
        if response.status >= 500 { return "status_5xx" }
        if (300..<400).contains(response.status) { return "redirect" }
        return "ok"
    }

    static func outcome(_ error: UpstreamError) -> String {
        switch error {
        case .timeout: return "timeout"
        case .unreachable: return "unreachable"
        case .connectionLost: return "connection_lost"
        case .bodyTooLarge: return "body_too_large"
        }
    }

    static func classify(_ error: any Error) -> UpstreamError {
        if let upstream = error as? UpstreamError { return upstream }
        if error is NIOTooManyBytesError { return .bodyTooLarge(limit: -1) }
        if error is CancellationError { return .timeout }
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .cancelled:
                return .timeout
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout, .invalidURL,
                .emptyHost, .emptyScheme:
                return .unreachable(String(describing: http))
            default:
                return .connectionLost(String(describing: http))
            }
        }
        // Connection refused and resolver failures arrive as NIO errors (NIOConnectionError,
        // IOError); their type name is enough for a log line and carries no request data.
        if error is IOError || error is ChannelError || String(describing: type(of: error)) == "NIOConnectionError" {
            return .unreachable(String(describing: type(of: error)))
        }
        return .connectionLost(String(describing: type(of: error)))
    }
}
