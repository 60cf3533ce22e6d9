@testable import AuthCore
import JSONValue
import NIOCore
import Synchronization
import Testing

/// The store's decisions, writes and cache over an in-process DynamoDB (the wire is tested
/// against moto in DynamoDBMotoTests); the cache runs on an injected clock.
@Suite("RevocationStore: decisions, fail-closed, cache, writes, configuration")
struct RevocationStoreTests {
    static let aws = AWSEnvironment(region: "us-east-1", credentials: AWSCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s"))

    final class ManualClock: Sendable {
        let start = ContinuousClock.now
        let offset = Mutex(Duration.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    static func store(_ transport: any UpstreamTransport, cache: Int64 = 0, onError: RevocationConfig.OnError = .deny, clock: ManualClock = ManualClock()) -> RevocationStore {
        RevocationStore(
            config: RevocationConfig(table: "revocations", cacheSeconds: cache, onError: onError, aws: aws,
                                     endpoint: DynamoDBEndpoint(url: "https://upstream.test", host: "upstream.test")),
            transport: transport, now: { 1_700_000_000 }, clock: { clock.now })
    }

    static func item(_ t: String) -> ServerReply {
        .respond(status: 200, headers: [], body: Array(#"{"Item":{"revoked_before":{"N":"\#(t)"}}}"#.utf8))
    }
    static func deadline() -> NIODeadline { .now() + .seconds(60) }  // time is not the subject: no stall can reach it

    @Test("a store failure is denyStoreUnavailable by default, allowStoreUnavailable with ON_ERROR=allow")
    func failClosed() async {
        for failure in [UpstreamError.timeout, .unreachable("refused")] {
            #expect(await Self.store(FakeUpstream(failing: failure)).isRevoked(sub: "u", authTime: 1, deadline: Self.deadline()).isAllowed == false)
            #expect(await Self.store(FakeUpstream(failing: failure), onError: .allow).isRevoked(sub: "u", authTime: 1, deadline: Self.deadline()).isAllowed == true)
        }
        #expect(await Self.store(FakeUpstream(failing: .timeout)).isRevoked(sub: "u", authTime: 1, deadline: Self.deadline()) == .denyStoreUnavailable(.timeout))
        #expect(await Self.store(FakeUpstream(failing: .timeout), onError: .allow).isRevoked(sub: "u", authTime: 1, deadline: Self.deadline()) == .allowStoreUnavailable(.timeout))
    }

    @Test("a row without a plain whole-number T is not believed (fail closed)")
    func malformedMark() async {
        for t in ["1.5", "-1", "1e9", "", "12345678901234567890", " 5"] {
            let decision = await Self.store(FakeUpstream { _ in Self.item(t) }).isRevoked(sub: "u", authTime: 1, deadline: Self.deadline())
            #expect(decision == .denyStoreUnavailable(.malformed("item has no numeric revoked_before")), "\(t)")
        }
        let noT = await Self.store(FakeUpstream { _ in .respond(status: 200, headers: [], body: Array(#"{"Item":{"sub":{"S":"u"}}}"#.utf8)) })
            .isRevoked(sub: "u", authTime: 1, deadline: Self.deadline())
        #expect(noT.isAllowed == false)
    }

    @Test("the cache is off by default: every decision reads, strongly consistent")
    func noCache() async throws {
        let fake = FakeUpstream { _ in Self.item("100") }
        let store = Self.store(fake)
        for _ in 0..<3 { #expect(await store.isRevoked(sub: "u", authTime: 200, deadline: Self.deadline()) == .allow) }
        #expect(fake.requests.count == 3)
        #expect(try JSONValue.parse(fake.requests[0].body)["ConsistentRead"] == .bool(true))
    }

    @Test("with AUTH_REVOCATION_CACHE_SECONDS a read is reused until it is that old, per user; failures are not cached")
    func cache() async {
        let clock = ManualClock()
        let fake = FakeUpstream { _ in Self.item("100") }
        let store = Self.store(fake, cache: 10, clock: clock)
        #expect(await store.isRevoked(sub: "u", authTime: 50, deadline: Self.deadline()) == .deny(revokedBefore: 100))
        clock.advance(.seconds(9))
        #expect(await store.isRevoked(sub: "u", authTime: 200, deadline: Self.deadline()) == .allow)
        #expect(fake.requests.count == 1)
        _ = await store.isRevoked(sub: "v", authTime: 200, deadline: Self.deadline())
        #expect(fake.requests.count == 2)
        clock.advance(.seconds(1))
        _ = await store.isRevoked(sub: "u", authTime: 200, deadline: Self.deadline())
        #expect(fake.requests.count == 3)

        let failing = FakeUpstream(failing: .timeout)
        let failingStore = Self.store(failing, cache: 10, clock: clock)
        _ = await failingStore.isRevoked(sub: "u", authTime: 1, deadline: Self.deadline())
        _ = await failingStore.isRevoked(sub: "u", authTime: 1, deadline: Self.deadline())
        #expect(failing.requests.count == 2)
    }

    @Test("this process's own mark is seen at once even with a cached 'not revoked'")
    func ownWriteUpdatesCache() async throws {
        let clock = ManualClock()
        let fake = FakeUpstream { _ in .respond(status: 200, headers: [], body: Array("{}".utf8)) }
        let store = Self.store(fake, cache: 60, clock: clock)
        #expect(await store.isRevoked(sub: "u", authTime: 100, deadline: Self.deadline()) == .allow)
        #expect(try await store.markRevoked(sub: "u", before: 150, source: "logout", deadline: Self.deadline()) == .written)
        // The cached entry said "no mark"; the mark this process wrote is newer knowledge.
        #expect(await store.isRevoked(sub: "u", authTime: 100, deadline: Self.deadline()) == .deny(revokedBefore: 150))
        #expect(fake.requests.count == 2)
    }

    @Test("markRevoked sends the monotonic condition, T and T + retention as numbers; a conditional failure is alreadyCovered")
    func writeShape() async throws {
        let fake = FakeUpstream { _ in .respond(status: 200, headers: [], body: Array("{}".utf8)) }
        #expect(try await Self.store(fake).markRevoked(sub: "u-1", before: 1_700_000_000, source: "logout", deadline: Self.deadline()) == .written)
        let body = try JSONValue.parse(try #require(fake.requests.first).body)
        #expect(body["ConditionExpression"] == .string("attribute_not_exists(#t) OR #t < :t"))
        #expect(body["UpdateExpression"] == .string("SET #t = :t, #x = :x, #s = :s"))
        #expect(body["Key"] == .object(["sub": .object(["S": .string("u-1")])]))
        #expect(body["ExpressionAttributeValues"]?[":t"] == .object(["N": .string("1700000000")]))
        #expect(body["ExpressionAttributeValues"]?[":x"] == .object(["N": .string("1702592000")]))
        #expect(body["ExpressionAttributeNames"] == .object(["#t": .string("revoked_before"), "#x": .string("expires_at"), "#s": .string("source")]))

        let covered = FakeUpstream { _ in DynamoDBClientTests.error("ConditionalCheckFailedException") }
        #expect(try await Self.store(covered).markRevoked(sub: "u-1", before: 1, source: "logout", deadline: Self.deadline()) == .alreadyCovered)
        #expect(covered.requests.count == 1)
    }

    @Test("a failed write is a typed error (never reported as durable)")
    func failedWrite() async {
        await #expect(throws: DynamoDBError.timeout) {
            _ = try await Self.store(FakeUpstream(failing: .timeout)).markRevoked(sub: "u", before: 5, source: "logout", deadline: Self.deadline())
        }
        await #expect(throws: DynamoDBError.accessDenied("AccessDeniedException")) {
            _ = try await Self.store(FakeUpstream { _ in DynamoDBClientTests.error("AccessDeniedException") }).markRevoked(sub: "u", before: 5, source: "logout", deadline: Self.deadline())
        }
    }

    @Test("a sub that is not a user id never reaches the store")
    func invalidSub() async {
        let fake = FakeUpstream { _ in Self.item("1") }
        let store = Self.store(fake)
        for sub in ["", "a b", String(repeating: "a", count: 129), "é"] {
            #expect(await store.isRevoked(sub: sub, authTime: 1, deadline: Self.deadline()).isAllowed == false)
        }
        #expect(fake.requests.isEmpty)
    }

    // MARK: Configuration

    static let lambdaEnvironment = [
        "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "ASIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "very/secret+value",
        "AWS_SESSION_TOKEN": "session-token-value",
    ]

    @Test("no table: off; defaults: 30 days, no cache, deny, the regional endpoint")
    func configDefaults() throws {
        #expect(try RevocationConfig.fromEnvironment(Self.lambdaEnvironment) == nil)
        #expect(try RevocationConfig.fromEnvironment(["AUTH_REVOCATION_TABLE": " "]) == nil)
        let config = try #require(try RevocationConfig.fromEnvironment(Self.lambdaEnvironment.merging(["AUTH_REVOCATION_TABLE": "auth-revocations"]) { $1 }))
        #expect(config.retentionSeconds == 2_592_000)
        #expect(config.cacheSeconds == 0)
        #expect(config.onError == .deny)
        #expect(config.endpoint == .standard(region: "eu-west-1"))
        #expect(config.endpoint.url == "https://dynamodb.eu-west-1.amazonaws.com")
        #expect(config.aws.credentials.sessionToken == "session-token-value")
        #expect(!"\(config.aws.credentials)".contains("very/secret"))
        #expect(!"\(config.aws.credentials)".contains("session-token"))
    }

    @Test("every problem is one line naming the variable, and no secret is printed")
    func configProblems() {
        let environment = [
            "AUTH_REVOCATION_TABLE": "x", "AUTH_REVOCATION_RETENTION_SECONDS": "60", "AUTH_REVOCATION_CACHE_SECONDS": "abc",
            "AUTH_REVOCATION_ON_ERROR": "Deny", "AWS_SECRET_ACCESS_KEY": "sec ret\u{7}", "AWS_ACCESS_KEY_ID": "short",
            "AWS_ENDPOINT_URL_DYNAMODB": "http://dynamo.example.com",
        ]
        do {
            _ = try RevocationConfig.fromEnvironment(environment)
            Issue.record("accepted")
        } catch {
            let text = error.description
            for name in ["AUTH_REVOCATION_TABLE", "AUTH_REVOCATION_RETENTION_SECONDS", "AUTH_REVOCATION_CACHE_SECONDS", "AUTH_REVOCATION_ON_ERROR",
                         "AWS_REGION is not set", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
                #expect(text.contains(name), "\(name) missing from: \(text)")
            }
            #expect(!text.contains("sec ret"))
            #expect(!text.contains("short"))
            #expect(error.problems.count == 7)
        }
    }

    @Test("AWS_ENDPOINT_URL_DYNAMODB: the URL rules of every configured URL; Host is host[:port]")
    func endpointOverride() throws {
        func endpoint(_ url: String) -> (DynamoDBEndpoint?, [String]) {
            var problems: [String] = []
            let result = DynamoDBEndpoint.fromEnvironment(["AWS_ENDPOINT_URL_DYNAMODB": url], region: "us-east-1", problems: &problems)
            return (result, problems)
        }
        #expect(endpoint("http://127.0.0.1:5000").0 == DynamoDBEndpoint(url: "http://127.0.0.1:5000", host: "127.0.0.1:5000"))
        #expect(endpoint("http://localhost:8000/").0 == DynamoDBEndpoint(url: "http://localhost:8000", host: "localhost:8000"))
        #expect(endpoint("https://dynamodb-fips.us-east-1.amazonaws.com").0?.host == "dynamodb-fips.us-east-1.amazonaws.com")
        for bad in ["http://dynamodb.us-east-1.amazonaws.com", "http://127.0.0.1.example.com:5000", "https://user:pw@host", "https://host/base", "ftp://host", "dynamodb"] {
            let (result, problems) = endpoint(bad)
            #expect(result == nil, "\(bad)")
            #expect(problems.count == 1 && problems[0].hasPrefix("AWS_ENDPOINT_URL_DYNAMODB"), "\(bad): \(problems)")
        }
    }
}
