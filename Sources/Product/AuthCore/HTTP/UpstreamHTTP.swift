import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The production transport: the one HTTP client of the process, shared by the JWKS fetcher and
/// the Cognito client so connections stay alive across warm Lambda invocations.
public struct UpstreamHTTP: UpstreamTransport {
    public let client: HTTPClient

    public init(client: HTTPClient) {
        self.client = client
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
        let client = self.client
        let request = Self.clientRequest(request)
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

    static func clientRequest(_ request: UpstreamRequest) -> HTTPClientRequest {
        var clientRequest = HTTPClientRequest(url: request.url)
        clientRequest.method = request.method
        clientRequest.headers = request.headers
        if let body = request.body { clientRequest.body = .bytes(ByteBuffer(bytes: body)) }
        return clientRequest
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
