import JSONValue
import Logging
import NIOCore
import Synchronization

/// The "revoked before T" marks, one per user, in a DynamoDB table (issue 22).
///
/// Table (the template defines it exactly so; README "Revocation store"):
/// - partition key `sub` (S): the token's `sub`; no sort key;
/// - `revoked_before` (N): T, epoch seconds. A token whose `auth_time` is at or before T is
///   revoked: `auth_time` is the original sign-in and survives refreshes, so every token of a
///   session begun before the sign-out is refused, and a sign-in after T is not;
/// - `expires_at` (N): T + retention, the table's TTL attribute (DynamoDB deletes the row some
///   time after; until then it still reads as a valid mark, which is right: T does not change);
/// - `source` (S): what wrote the mark (`logout`, `cloudtrail:AdminUserGlobalSignOut`, …), for audit.
///
/// Reads are strongly consistent (`ConsistentRead`), so a mark written by logout is seen by the
/// very next decision. Writes only move T forward (a condition), so they are idempotent and a
/// late or replayed write can never shorten a revocation.
public final class RevocationStore: Sendable {
    public static let keyAttribute = "sub"
    public static let revokedBeforeAttribute = "revoked_before"
    public static let ttlAttribute = "expires_at"
    public static let sourceAttribute = "source"
    /// Most entries the per-process cache holds; past it, expired entries go, then all of them.
    static let cacheCapacity = 10_000

    public let config: RevocationConfig
    let client: DynamoDBClient
    let clock: @Sendable () -> ContinuousClock.Instant
    let logger: Logger
    private let cache = Mutex<[String: CachedMark]>([:])

    struct CachedMark {
        var revokedBefore: Int64?
        var readAt: ContinuousClock.Instant
    }

    /// - clock: monotonic time for the cache, injectable for tests.
    public init(
        config: RevocationConfig, transport: any UpstreamTransport = UpstreamHTTP.shared,
        now: @escaping @Sendable () -> Double = AccessTokenVerifier.wallClockSeconds,
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        logger: Logger = Logger(label: "AuthCore.RevocationStore")
    ) {
        self.config = config
        self.client = DynamoDBClient(
            region: config.aws.region, credentials: config.aws.credentials, endpoint: config.endpoint, transport: transport,
            now: now, logger: logger)
        self.clock = clock
        self.logger = logger
    }

    // MARK: Reader

    /// Whether a token of `sub` whose session began at `authTime` (the `auth_time` claim) may be
    /// used. One strongly consistent `GetItem` unless a cached read is younger than
    /// `AUTH_REVOCATION_CACHE_SECONDS`. A token without `auth_time` cannot be placed before or
    /// after a mark, so any mark revokes it (fail closed).
    public func isRevoked(sub: String, authTime: Int64?, deadline: NIODeadline) async -> RevocationDecision {
        guard Self.isValidSub(sub) else { return failure(.rejected("sub is not a user id this store keys by")) }
        let revokedBefore: Int64?
        if let cached = cachedMark(sub) {
            revokedBefore = cached
        } else {
            do {
                revokedBefore = try await readMark(sub, deadline: deadline)
            } catch {
                return failure(error)
            }
            remember(sub, revokedBefore)
        }
        guard let revokedBefore else { return .allow }
        guard let authTime else { return .deny(revokedBefore: revokedBefore) }
        return authTime <= revokedBefore ? .deny(revokedBefore: revokedBefore) : .allow
    }

    func readMark(_ sub: String, deadline: NIODeadline) async throws(DynamoDBError) -> Int64? {
        let item = try await client.getItem(
            table: config.table, key: [Self.keyAttribute: .object(["S": .string(sub)])], consistentRead: true,
            projection: [Self.revokedBeforeAttribute], deadline: deadline)
        guard let item else { return nil }
        // A row without a readable T is not a mark this product wrote: not believed either way.
        guard let value = item[Self.revokedBeforeAttribute]?["N"]?.stringValue, let seconds = Self.epochSeconds(value) else {
            throw .malformed("item has no numeric \(Self.revokedBeforeAttribute)")
        }
        return seconds
    }

    private func failure(_ error: DynamoDBError) -> RevocationDecision {
        config.onError == .allow ? .allowStoreUnavailable(error) : .denyStoreUnavailable(error)
    }

    // MARK: Writer

    /// Stores "sessions of `sub` that began at or before `before` are revoked" (epoch seconds),
    /// unless a mark at `before` or later is stored already. Returns once the write is durable
    /// (DynamoDB acknowledges writes only after they are; a conditional failure means the stored
    /// mark already covers this one). Idempotent: a retry of the same call is `.alreadyCovered`.
    public func markRevoked(sub: String, before: Int64, source: String, deadline: NIODeadline) async throws(DynamoDBError) -> RevocationMark {
        guard Self.isValidSub(sub) else { throw .rejected("sub is not a user id this store keys by") }
        guard before > 0, before <= Int64.max - config.retentionSeconds else { throw .rejected("mark time out of range") }
        let result: RevocationMark
        do {
            try await client.updateItem(
                table: config.table, key: [Self.keyAttribute: .object(["S": .string(sub)])],
                updateExpression: "SET #t = :t, #x = :x, #s = :s",
                // Monotonic: only a later T replaces the stored one.
                conditionExpression: "attribute_not_exists(#t) OR #t < :t",
                names: ["#t": Self.revokedBeforeAttribute, "#x": Self.ttlAttribute, "#s": Self.sourceAttribute],
                values: [
                    ":t": .object(["N": .string("\(before)")]),
                    ":x": .object(["N": .string("\(before + config.retentionSeconds)")]),
                    ":s": .object(["S": .string(String(source.prefix(100)))]),
                ],
                deadline: deadline)
            result = .written
        } catch .conditionalCheckFailed {
            result = .alreadyCovered
        }
        // This process sees its own write at once, whatever its cache holds.
        cache.withLock { entries in
            if var entry = entries[sub] {
                entry.revokedBefore = max(entry.revokedBefore ?? before, before)
                entries[sub] = entry
            }
        }
        return result
    }

    // MARK: Cache

    private func cachedMark(_ sub: String) -> Int64?? {
        guard config.cacheSeconds > 0 else { return nil }
        let now = clock()
        return cache.withLock { entries -> Int64?? in
            guard let entry = entries[sub] else { return nil }
            guard now - entry.readAt < .seconds(config.cacheSeconds) else {
                entries[sub] = nil
                return nil
            }
            return .some(entry.revokedBefore)
        }
    }

    private func remember(_ sub: String, _ revokedBefore: Int64?) {
        guard config.cacheSeconds > 0 else { return }
        let now = clock()
        let lifetime = Duration.seconds(config.cacheSeconds)
        cache.withLock { entries in
            if entries.count >= Self.cacheCapacity {
                entries = entries.filter { now - $0.value.readAt < lifetime }
                if entries.count >= Self.cacheCapacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[sub] = CachedMark(revokedBefore: revokedBefore, readAt: now)
        }
    }

    // MARK: Values

    /// Cognito's `sub` is a UUID; anything a verified token or CloudTrail event could carry as a
    /// user id is 1-128 printable ASCII characters without spaces (a DynamoDB key may be 2048
    /// bytes, but nothing longer is a user id).
    public static func isValidSub(_ sub: String) -> Bool {
        (1...128).contains(sub.utf8.count) && sub.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// A DynamoDB number holding whole epoch seconds: plain digits, no sign, exponent or fraction.
    static func epochSeconds(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int64(text)
    }
}
