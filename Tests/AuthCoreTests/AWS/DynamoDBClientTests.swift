@testable import AuthCore
import JSONValue
import NIOCore
import Synchronization
import Testing

/// The client's rules without moto: what it sends, the one retry, answer validation, typed errors,
/// the deadline (over a real loopback connection where timing matters).
@Suite("DynamoDBClient: requests, retries, answers, deadline")
struct DynamoDBClientTests {
    static let credentials = AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "secret/Example+Key", sessionToken: "token-value")
    static let key: [String: JSONValue] = ["sub": .object(["S": .string("u")])]

    static func client(_ transport: any UpstreamTransport, url: String = "https://upstream.test") -> DynamoDBClient {
        DynamoDBClient(
            region: "eu-west-1", credentials: credentials,
            endpoint: DynamoDBEndpoint(url: url, host: String(url.split(separator: "://")[1])), transport: transport,
            now: { 1_440_938_160 })
    }

    static func error(_ type: String, status: Int = 400) -> ServerReply {
        .respond(status: status, headers: [("Content-Type", "application/x-amz-json-1.0")],
                 body: Array(#"{"__type":"com.amazonaws.dynamodb.v20120810#\#(type)","message":"m"}"#.utf8))
    }
    /// For the tests whose subject is not time: a minute, so a stall of the test process (a loaded
    /// 2-core machine; CI once lost 5 s) cannot turn a retry into a timeout.
    static func deadline() -> NIODeadline { .now() + .seconds(60) }
    static let ok = ServerReply.respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.0")], body: Array("{}".utf8))

    @Test("GetItem: POST / with the JSON protocol's target and content type, signed (host, content-type, x-amz-date, token, target)")
    func requestShape() async throws {
        let fake = FakeUpstream { _ in .respond(status: 200, headers: [], body: Array(#"{"Item":{"sub":{"S":"u"},"revoked_before":{"N":"5"}}}"#.utf8)) }
        let item = try await Self.client(fake).getItem(table: "t", key: Self.key, consistentRead: true, projection: ["revoked_before"], deadline: Self.deadline())
        #expect(item?["revoked_before"] == .object(["N": .string("5")]))
        let request = try #require(fake.requests.first)
        #expect(request.method == .POST && request.uri == "/")
        #expect(request.headers["X-Amz-Target"] == ["DynamoDB_20120810.GetItem"])
        #expect(request.headers["Content-Type"] == ["application/x-amz-json-1.0"])
        #expect(request.headers["Host"] == ["upstream.test"])
        #expect(request.headers["X-Amz-Date"] == ["20150830T123600Z"])
        #expect(request.headers["X-Amz-Security-Token"] == ["token-value"])
        let authorization = try #require(request.headers.first(name: "Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20150830/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="))
        #expect(!authorization.contains("secret"))
        let body = try JSONValue.parse(request.body)
        #expect(body["ConsistentRead"] == .bool(true))
        #expect(body["TableName"] == .string("t"))
        #expect(body["ProjectionExpression"] == .string("#p0"))
        #expect(body["ExpressionAttributeNames"] == .object(["#p0": .string("revoked_before")]))
    }

    @Test("throttling and 5xx are retried exactly once; a second failure is reported typed")
    func oneRetry() async throws {
        for (reply, expected) in [(Self.error("ProvisionedThroughputExceededException"), DynamoDBError.throttled),
                                  (Self.error("ThrottlingException"), .throttled),
                                  (Self.error("InternalServerError", status: 500), .serverError(status: 500)),
                                  (ServerReply.respond(status: 503, headers: [], body: []), .serverError(status: 503))] {
            let fake = FakeUpstream { _ in reply }
            await #expect(throws: expected) {
                _ = try await Self.client(fake).getItem(table: "t", key: Self.key, consistentRead: true, deadline: Self.deadline())
            }
            #expect(fake.requests.count == 2)
        }
    }

    @Test("a throttled first attempt followed by success succeeds, re-signed")
    func retrySucceeds() async throws {
        let count = Mutex(0)
        let fake = FakeUpstream { _ in count.withLock { $0 += 1; return $0 } == 1 ? Self.error("ThrottlingException") : Self.ok }
        try await Self.client(fake).updateItem(
            table: "t", key: Self.key, updateExpression: "SET #a = :a", conditionExpression: nil, names: ["#a": "a"],
            values: [":a": .object(["N": .string("1")])], deadline: Self.deadline())
        #expect(fake.requests.count == 2)
    }

    @Test("refusals that cannot change are not retried, and each has its type")
    func noRetry() async throws {
        let cases: [(ServerReply, DynamoDBError)] = [
            (Self.error("ConditionalCheckFailedException"), .conditionalCheckFailed),
            (Self.error("AccessDeniedException"), .accessDenied("AccessDeniedException")),
            (Self.error("UnrecognizedClientException"), .accessDenied("UnrecognizedClientException")),
            (Self.error("ResourceNotFoundException"), .tableNotFound),
            (Self.error("ValidationException"), .rejected("ValidationException")),
            (.respond(status: 403, headers: [], body: Array("<html>".utf8)), .malformed("HTTP 403 without a DynamoDB error type")),
            (.respond(status: 302, headers: [("Location", "https://elsewhere.test/")], body: []), .malformed("HTTP 302 without a DynamoDB error type")),
        ]
        for (reply, expected) in cases {
            let fake = FakeUpstream { _ in reply }
            await #expect(throws: expected) {
                _ = try await Self.client(fake).getItem(table: "t", key: Self.key, consistentRead: true, deadline: Self.deadline())
            }
            #expect(fake.requests.count == 1)
        }
    }

    @Test("answers are validated before they are believed")
    func malformedAnswers() async throws {
        let bodies = ["", "[]", "{\"Item\":[]}", "{\"Item\":{\"sub\":\"u\"}}", "{\"Item\":{\"sub\":{\"S\":\"u\",\"N\":\"1\"}}}", "<html>", "{\"Item\":{}} trailing"]
        for body in bodies {
            let fake = FakeUpstream { _ in .respond(status: 200, headers: [], body: Array(body.utf8)) }
            do {
                _ = try await Self.client(fake).getItem(table: "t", key: Self.key, consistentRead: true, deadline: Self.deadline())
                Issue.record("believed \(body)")
            } catch {
                guard case .malformed = error else { Issue.record("\(body): \(error)"); continue }
            }
        }
        let fake = FakeUpstream { _ in .respond(status: 200, headers: [], body: Array("{\"Attributes\":3}".utf8)) }
        await #expect(throws: DynamoDBError.malformed("UpdateItem Attributes is not an object")) {
            try await Self.client(fake).updateItem(table: "t", key: Self.key, updateExpression: "SET #a = :a", conditionExpression: nil, names: ["#a": "a"], values: [":a": .object(["N": .string("1")])], deadline: Self.deadline())
        }
    }

    @Test("a store that does not answer is a timeout within the deadline (real loopback connection), not retried")
    func timeout() async throws {
        try await LoopbackHTTPServer.with({ _ in .delayed(.seconds(30), Self.ok) }) { server in
            let started = ContinuousClock.now
            await #expect(throws: DynamoDBError.timeout) {
                _ = try await Self.client(UpstreamHTTP.shared, url: server.baseURL).getItem(table: "t", key: Self.key, consistentRead: true, deadline: .now() + .milliseconds(500))
            }
            // Margin for a loaded 2-core machine; the server would answer after 30 s.
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(server.requests.count == 1)
        }
    }

    @Test("a closed port is unreachable, at once and without a retry")
    func unreachable() async throws {
        let port = try await LoopbackHTTPServer.closedPort()
        do {
            _ = try await Self.client(UpstreamHTTP.shared, url: "http://127.0.0.1:\(port)").getItem(table: "t", key: Self.key, consistentRead: true, deadline: Self.deadline())
            Issue.record("expected unreachable")
        } catch {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
    }

    @Test("no retry is started when the deadline leaves no room for it")
    func noRetryPastDeadline() async throws {
        // The answer is immediate and the whole deadline is under the retry's minimum, so only a
        // stall of 120 ms inside the few microseconds before the first attempt could change this.
        let fake = FakeUpstream { _ in Self.error("ThrottlingException") }
        let tooShort = DynamoDBClient.retryMinimumRemaining + DynamoDBClient.retryPause - .milliseconds(5)
        await #expect(throws: DynamoDBError.throttled) {
            _ = try await Self.client(fake).getItem(table: "t", key: Self.key, consistentRead: true, deadline: .now() + tooShort)
        }
        #expect(fake.requests.count == 1)
    }
}
