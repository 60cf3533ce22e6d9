@testable import AuthCore
import FoundationEssentials
import JSONValue
import NIOCore
import Testing

/// The DynamoDB client and the revocation store over the real wire: loopback HTTP, real SigV4
/// signatures checked by botocore (`scripts/sigv4-verifier`), moto's DynamoDB behind it, a table
/// created with the documented key schema and TTL attribute.
@Suite("DynamoDB and the revocation store against moto, SigV4 verified by botocore", .enabled(if: MotoFixture.isAvailable, MotoFixture.skipReason))
struct DynamoDBMotoTests {
    typealias Fixture = SigV4VerifierFixture
    static func deadline() -> NIODeadline { .now() + .seconds(60) }

    @Test("the mark is written once, moves only forward, and carries T and T + retention as numbers")
    func monotonicMark() async throws {
        let table = try await Fixture.createRevocationTable()
        let store = try await Fixture.store(table: table, retention: 86_400)
        let before = try await Fixture.counts()
        #expect(try await store.markRevoked(sub: "user-1", before: 1_700_000_000, source: "logout", deadline: Self.deadline()) == .written)
        // The same mark again (a retried logout): durable, nothing changes.
        #expect(try await store.markRevoked(sub: "user-1", before: 1_700_000_000, source: "logout", deadline: Self.deadline()) == .alreadyCovered)
        // An older one (a late CloudTrail event) never moves T back.
        #expect(try await store.markRevoked(sub: "user-1", before: 1_699_999_000, source: "cloudtrail:AdminUserGlobalSignOut", deadline: Self.deadline()) == .alreadyCovered)
        var item = try await rawItem(table, "user-1")
        #expect(item["revoked_before"] == .object(["N": .string("1700000000")]))
        #expect(item["expires_at"] == .object(["N": .string("1700086400")]))
        #expect(item["source"] == .object(["S": .string("logout")]))
        // A later one moves it forward, TTL with it.
        #expect(try await store.markRevoked(sub: "user-1", before: 1_700_000_500, source: "logout", deadline: Self.deadline()) == .written)
        item = try await rawItem(table, "user-1")
        #expect(item["revoked_before"] == .object(["N": .string("1700000500")]))
        #expect(item["expires_at"] == .object(["N": .string("1700086900")]))
        let after = try await Fixture.counts()
        #expect(after.accepted - before.accepted >= 6)
    }

    @Test("isRevoked: auth_time at or before T is revoked, after T is not; another user and no auth_time")
    func decisions() async throws {
        let table = try await Fixture.createRevocationTable()
        let store = try await Fixture.store(table: table)
        #expect(await store.isRevoked(sub: "alice", authTime: 1_700_000_000, deadline: Self.deadline()) == .allow)
        _ = try await store.markRevoked(sub: "alice", before: 1_700_000_000, source: "logout", deadline: Self.deadline())
        #expect(await store.isRevoked(sub: "alice", authTime: 1_699_990_000, deadline: Self.deadline()) == .deny(revokedBefore: 1_700_000_000))
        #expect(await store.isRevoked(sub: "alice", authTime: 1_700_000_000, deadline: Self.deadline()) == .deny(revokedBefore: 1_700_000_000))
        #expect(await store.isRevoked(sub: "alice", authTime: 1_700_000_001, deadline: Self.deadline()) == .allow)
        #expect(await store.isRevoked(sub: "alice", authTime: nil, deadline: Self.deadline()) == .deny(revokedBefore: 1_700_000_000))
        #expect(await store.isRevoked(sub: "bob", authTime: 1_600_000_000, deadline: Self.deadline()) == .allow)
    }

    @Test("the table's TTL is on and names the attribute the store writes")
    func ttlAttribute() async throws {
        let table = try await Fixture.createRevocationTable()
        let answer = try await Fixture.client().call("DescribeTimeToLive", ["TableName": .string(table)], deadline: Self.deadline())
        #expect(answer["TimeToLiveDescription"]?["AttributeName"]?.stringValue == RevocationStore.ttlAttribute)
        #expect(answer["TimeToLiveDescription"]?["TimeToLiveStatus"]?.stringValue == "ENABLED")
    }

    @Test("a wrong secret or a missing session token is refused by the verifying peer: accessDenied, never a mark")
    func badSignatures() async throws {
        let table = try await Fixture.createRevocationTable()
        let wrongSecret = AWSCredentials(
            accessKeyId: Fixture.credentials.accessKeyId, secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEz",
            sessionToken: Fixture.credentials.sessionToken)
        let noToken = AWSCredentials(accessKeyId: Fixture.credentials.accessKeyId, secretAccessKey: Fixture.credentials.secretAccessKey)
        for credentials in [wrongSecret, noToken] {
            let client = try await Fixture.client(credentials: credentials)
            await #expect(throws: DynamoDBError.self) {
                _ = try await client.getItem(table: table, key: ["sub": .object(["S": .string("x")])], consistentRead: true, deadline: Self.deadline())
            }
            do {
                _ = try await client.getItem(table: table, key: ["sub": .object(["S": .string("x")])], consistentRead: true, deadline: Self.deadline())
            } catch {
                guard case .accessDenied = error else { Issue.record("expected accessDenied, got \(error)"); continue }
            }
        }
    }

    @Test("a table that does not exist is tableNotFound, and the store fails closed on it")
    func missingTable() async throws {
        let store = try await Fixture.store(table: "no-such-table-\(UInt32.random(in: 0...UInt32.max))")
        #expect(await store.isRevoked(sub: "alice", authTime: 1, deadline: Self.deadline()) == .denyStoreUnavailable(.tableNotFound))
        await #expect(throws: DynamoDBError.tableNotFound) {
            _ = try await store.markRevoked(sub: "alice", before: 1, source: "logout", deadline: Self.deadline())
        }
    }

    func rawItem(_ table: String, _ sub: String) async throws -> [String: JSONValue] {
        let item = try await Fixture.client().getItem(table: table, key: ["sub": .object(["S": .string(sub)])], consistentRead: true, deadline: Self.deadline())
        return try #require(item)
    }
}
