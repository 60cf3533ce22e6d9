import AuthCore
import FoundationEssentials
import Logging
import NIOCore
import Synchronization
import Testing

/// Issue 21: during a client secret rotation (two active secrets on the app client),
/// `COGNITO_CLIENT_SECRET_PREVIOUS` is tried once after Cognito answers `invalid_client` to the
/// current secret, for sign-in, refresh and revoke, and that use is logged at warning.
@Suite("CognitoClient: the previous client secret during a rotation")
struct ClientSecretRotationTests {
    typealias Support = CognitoTestSupport
    static let current = "currentsecret0123456789abcdefgh"
    static let previous = "previoussecret0123456789abcdefg"

    static func basic(_ secret: String) -> String {
        "Basic " + Data("\(Support.clientId):\(secret)".utf8).base64EncodedString()
    }

    /// Cognito with only `accepted` among the app client's secrets.
    static func cognito(accepting accepted: String?) -> FakeUpstream {
        FakeUpstream { request in
            guard let accepted, request.headers.first(name: "Authorization") == basic(accepted) else {
                return .json(400, #"{"error":"invalid_client"}"#)
            }
            return request.uri == "/oauth2/revoke" ? .json(200, "") : .json(200, Support.tokenResponse)
        }
    }

    static func client(_ upstream: FakeUpstream, previous: String? = ClientSecretRotationTests.previous, logs: LogRecorder) -> CognitoClient {
        let config = CognitoConfig(
            region: "us-east-1", userPoolId: "us-east-1_Example", clientId: Support.clientId, clientSecret: current,
            previousClientSecret: previous, domain: upstream.baseURL, redirectURIs: ["https://app.example.com/callback"],
            idpEndpoint: upstream.baseURL)
        return CognitoClient(config: config, transport: upstream, logger: logs.logger)
    }

    typealias Call = @Sendable (CognitoClient) async throws(CognitoError) -> Void
    static let calls: [(String, Call)] = [
        ("token.authorization_code", { client async throws(CognitoError) in
            _ = try await client.exchangeCode("code-1", redirectURI: "https://app.example.com/callback", codeVerifier: "v", deadline: Support.deadline())
        }),
        ("token.refresh_token", { client async throws(CognitoError) in _ = try await client.refresh("refresh-1", deadline: Support.deadline()) }),
        ("revoke", { client async throws(CognitoError) in try await client.revoke(refreshToken: "refresh-1", deadline: Support.deadline()) }),
    ]

    @Test("the current secret accepted: one call, no warning")
    func currentSecret() async throws {
        for (_, call) in Self.calls {
            let upstream = Self.cognito(accepting: Self.current)
            let logs = LogRecorder()
            try await call(Self.client(upstream, logs: logs))
            #expect(upstream.requests.map { $0.headers.first(name: "Authorization") } == [Self.basic(Self.current)])
            #expect(logs.lines.filter { $0.level >= .warning }.isEmpty)
        }
    }

    @Test("invalid_client to the current secret: one retry with the previous, logged at warning without either secret")
    func previousSecret() async throws {
        for (operation, call) in Self.calls {
            let upstream = Self.cognito(accepting: Self.previous)
            let logs = LogRecorder()
            try await call(Self.client(upstream, logs: logs))
            #expect(upstream.requests.map { $0.headers.first(name: "Authorization") } == [Self.basic(Self.current), Self.basic(Self.previous)])
            // The same form both times: the code or token is sent again unchanged.
            #expect(upstream.requests[0].body == upstream.requests[1].body)
            let warnings = logs.lines.filter { $0.level == .warning }
            #expect(warnings.count == 1, "\(operation)")
            #expect(warnings.first?.message.contains("COGNITO_CLIENT_SECRET_PREVIOUS") == true)
            #expect(warnings.first?.metadata["operation"] == operation)
            // The first invalid_client is not reported as an error: the retry answered.
            #expect(logs.lines.filter { $0.level >= .error }.isEmpty)
            #expect(!logs.text.contains(Self.current) && !logs.text.contains(Self.previous))
        }
    }

    @Test("both secrets refused: invalid_client after exactly two calls, logged at error once")
    func bothRefused() async {
        for (_, call) in Self.calls {
            let upstream = Self.cognito(accepting: nil)
            let logs = LogRecorder()
            do {
                try await call(Self.client(upstream, logs: logs))
                Issue.record("expected invalid_client")
            } catch {
                #expect(error == .invalidClient)
            }
            #expect(upstream.requests.count == 2)
            #expect(logs.lines.filter { $0.level == .error }.count == 1)
            #expect(logs.lines.filter { $0.level == .warning }.isEmpty)
        }
    }

    @Test("without a previous secret, or on another refusal, nothing is retried")
    func noRetry() async {
        let upstream = Self.cognito(accepting: Self.previous)
        do {
            try await Self.calls[0].1(Self.client(upstream, previous: nil, logs: LogRecorder()))
            Issue.record("expected invalid_client")
        } catch {
            #expect(error == .invalidClient)
        }
        #expect(upstream.requests.count == 1)

        let grant = FakeUpstream { _ in .json(400, #"{"error":"invalid_grant"}"#) }
        do {
            try await Self.calls[1].1(Self.client(grant, logs: LogRecorder()))
            Issue.record("expected invalid_grant")
        } catch {
            #expect(error == .invalidGrant(nil))
        }
        #expect(grant.requests.count == 1)
    }
}

/// Collects a logger's lines (level, message, metadata) for assertions.
final class LogRecorder: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let recorded = Mutex<[Line]>([])
    var lines: [Line] { recorded.withLock { $0 } }
    var text: String { lines.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n") }

    var logger: Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ line: Line) { recorded.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append(Line(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
