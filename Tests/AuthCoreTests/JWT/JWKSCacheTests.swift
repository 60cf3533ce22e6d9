import NIOCore
import Synchronization
import Testing

@testable import AuthCore

/// The key cache's rules (one fetch, penalty box, retries, answer checks) against an in-process
/// upstream; `JWKSCacheWireTests` has what needs a real connection.
@Suite("JWKSCache (in-process upstream)")
struct JWKSCacheTests {
    typealias S = JWTTestSupport

    static func verifier(_ cache: JWKSCache) -> AccessTokenVerifier {
        AccessTokenVerifier(config: S.config(), keys: cache, now: { S.now })
    }

    /// The upstream answering every request with `jwks`.
    static func serving(_ jwks: String) -> FakeUpstream {
        FakeUpstream { _ in .json(200, jwks) }
    }

    /// A cache fetching `S.jwksPath` from `upstream`. Its clock stands still unless a test moves it:
    /// a test that counts fetches must not see the 10 s penalty box expire because a loaded
    /// machine paused it (the rotation test once saw a second fetch that way).
    static func cache(
        _ upstream: FakeUpstream, preloaded: String? = nil,
        clock: (@Sendable () -> ContinuousClock.Instant)? = nil
    ) -> JWKSCache {
        let frozen = ContinuousClock.now
        return JWKSCache(
            url: upstream.baseURL + S.jwksPath, transport: upstream, preloaded: preloaded.map { Array($0.utf8) }, clock: clock ?? { frozen }
        )
    }

    @Test("many verifications, one fetch; the fetch goes to the configured URL")
    func oneFetch() async throws {
        let upstream = Self.serving(S.defaultJWKS)
        let cache = Self.cache(upstream)
        let verifier = Self.verifier(cache)
        let token = S.token()
        for _ in 0..<200 {
            _ = try await verifier.verify(token, deadline: S.deadline())
        }
        #expect(upstream.requests.map(\.uri) == ["/us-east-1_TestPool/.well-known/jwks.json"])
        #expect(upstream.requests.first?.method == .GET)
        #expect(upstream.requests.first?.headers.first(name: "Accept") == "application/json")
        #expect(cache.fetchCount == 1)
    }

    @Test("concurrent misses on a cold cache share one fetch")
    func concurrentMissesShareOneFetch() async throws {
        let upstream = FakeUpstream { _ in .delayed(.milliseconds(300), .json(200, S.defaultJWKS)) }
        let verifier = Self.verifier(Self.cache(upstream))
        let token = S.token()
        let verified = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 {
                group.addTask { (try? await verifier.verify(token, deadline: S.deadline())) != nil }
            }
            var count = 0
            for try await ok in group where ok { count += 1 }
            return count
        }
        #expect(verified == 50)
        #expect(upstream.requests.count == 1)
    }

    @Test("preloaded JWKS: zero fetches")
    func preloadedNoFetch() async throws {
        let upstream = Self.serving(S.defaultJWKS)
        let config = CognitoConfig(
            region: S.region, userPoolId: S.poolId, clientId: S.clientId,
            jwksURL: upstream.baseURL + S.jwksPath, preloadedJWKS: Array(S.defaultJWKS.utf8))
        let cache = JWKSCache(config: config, transport: upstream)
        #expect(cache.isLoaded)
        let verifier = AccessTokenVerifier(config: config, keys: cache, now: { S.now })
        for _ in 0..<50 {
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
        }
        #expect(upstream.requests.isEmpty)
    }

    @Test("a preloaded JWKS still refetches for an unknown kid (key rotation)")
    func preloadedRefetchesUnknownKid() async throws {
        let upstream = Self.serving(S.jwks(S.jwk(S.primary, kid: S.kid), S.jwk(S.other, kid: "rotated-kid")))
        let verifier = Self.verifier(Self.cache(upstream, preloaded: S.defaultJWKS))
        let token = S.token(header: S.header(kid: "rotated-kid"), key: S.other)
        _ = try await verifier.verify(token, deadline: S.deadline())
        _ = try await verifier.verify(S.token(), deadline: S.deadline())
        #expect(upstream.requests.count == 1)
    }

    @Test("unknown kid: one refetch, then the penalty box; after 10 s one more")
    func unknownKidPenaltyBox() async throws {
        let upstream = Self.serving(S.defaultJWKS)
        let offset = Mutex<Duration>(.zero)
        let base = ContinuousClock.now
        let verifier = Self.verifier(Self.cache(upstream, clock: { base + offset.withLock { $0 } }))
        _ = try await verifier.verify(S.token(), deadline: S.deadline())
        #expect(upstream.requests.count == 1)

        let unknown = S.token(header: S.header(kid: "unknown-1"))
        #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
        offset.withLock { $0 = .seconds(10) }
        #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
        #expect(upstream.requests.count == 2)
        offset.withLock { $0 = .seconds(19) }
        #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
        #expect(upstream.requests.count == 2)
        // Known kids keep verifying from the cache meanwhile.
        _ = try await verifier.verify(S.token(), deadline: S.deadline())
        offset.withLock { $0 = .seconds(20) }
        #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
        #expect(upstream.requests.count == 3)
    }

    @Test("1,000 distinct unknown kids within a second: at most one refetch")
    func unknownKidFlood() async throws {
        let upstream = Self.serving(S.defaultJWKS)
        let verifier = Self.verifier(Self.cache(upstream))
        _ = try await verifier.verify(S.token(), deadline: S.deadline())
        #expect(upstream.requests.count == 1)
        // Forged tokens: random kids, any signature; the kid lookup refuses them first.
        let template = S.token().split(separator: ".").map(String.init)
        let refused = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    let header = S.base64url(S.header(kid: "random-\(index)-\(UInt64.random(in: 0...UInt64.max))"))
                    let forged = header + "." + template[1] + "." + template[2]
                    return await S.failure(of: forged, with: verifier) == .unknownKeyID
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(refused == 1000)
        #expect(upstream.requests.count <= 2)
    }

    @Test("the rotated-in key is found after the refetch, rotated-out keys stop verifying")
    func rotation() async throws {
        let upstream = Self.serving(S.jwks(S.jwk(S.other, kid: "next-kid")))
        let verifier = Self.verifier(Self.cache(upstream, preloaded: S.defaultJWKS))
        _ = try await verifier.verify(S.token(), deadline: S.deadline())
        let next = S.token(header: S.header(kid: "next-kid"), key: S.other)
        _ = try await verifier.verify(next, deadline: S.deadline())
        #expect(upstream.requests.count == 1)
        #expect(await S.failure(of: S.token(), with: verifier) == .unknownKeyID)
        #expect(upstream.requests.count == 1)
    }

    @Test("non-200, non-JSON, not a JWKS: keysUnavailable")
    func badAnswers() async throws {
        let cases: [(ServerReply, String)] = [
            (.json(500, #"{"message":"boom"}"#), "JWKS endpoint answered HTTP 500"),
            (.json(404, S.defaultJWKS), "JWKS endpoint answered HTTP 404"),
            (.json(200, "<html>not json</html>"), "JWKS is not valid: not a JSON object (unexpected character in JSON)"),
            (.json(200, #"{"kids":[]}"#), #"JWKS is not valid: no "keys" array"#),
            (.json(200, ""), "JWKS is not valid: not a JSON object (unexpected end of JSON)"),
        ]
        for (answer, reason) in cases {
            let verifier = Self.verifier(Self.cache(FakeUpstream { _ in answer }))
            #expect(await S.failure(of: S.token(), with: verifier) == .keysUnavailable(reason))
        }
    }

    @Test("each transport failure is keysUnavailable with its reason", arguments: [
        (UpstreamError.timeout, "JWKS fetch timed out"),
        (.unreachable("connection refused"), "JWKS endpoint unreachable (connection refused)"),
        (.connectionLost("reset"), "JWKS connection lost (reset)"),
        (.bodyTooLarge(limit: 65536), "JWKS larger than 65536 bytes"),
    ])
    func transportFailures(failure: UpstreamError, reason: String) async throws {
        let verifier = Self.verifier(Self.cache(FakeUpstream(failing: failure)))
        #expect(await S.failure(of: S.token(), with: verifier) == .keysUnavailable(reason))
    }

    @Test("an unreachable JWKS endpoint is keysUnavailable, and is not retried in a tight loop")
    func unreachable() async throws {
        let offset = Mutex<Duration>(.zero)
        let base = ContinuousClock.now
        let upstream = FakeUpstream(failing: .unreachable("connection refused"))
        let cache = Self.cache(upstream, clock: { base + offset.withLock { $0 } })
        let verifier = Self.verifier(cache)
        guard case .keysUnavailable = await S.failure(of: S.token(), with: verifier) else {
            Issue.record("expected keysUnavailable")
            return
        }
        #expect(cache.fetchCount == 1)
        for _ in 0..<100 {
            guard case .keysUnavailable = await S.failure(of: S.token(), with: verifier) else {
                Issue.record("expected keysUnavailable")
                return
            }
        }
        #expect(cache.fetchCount == 1)
        #expect(upstream.requests.count == 1)
        // Without any loaded set, a retry is allowed after retryInterval (1 s).
        offset.withLock { $0 = .seconds(1) }
        _ = await S.failure(of: S.token(), with: verifier)
        #expect(cache.fetchCount == 2)
        #expect(upstream.requests.count == 2)
    }

    @Test("a failed refetch keeps the loaded keys in use")
    func failedRefetchKeepsKeys() async throws {
        let upstream = FakeUpstream { _ in .respond(status: 503, headers: [], body: []) }
        let verifier = Self.verifier(Self.cache(upstream, preloaded: S.defaultJWKS))
        #expect(await S.failure(of: S.token(header: S.header(kid: "new")), with: verifier) == .keysUnavailable("JWKS endpoint answered HTTP 503"))
        _ = try await verifier.verify(S.token(), deadline: S.deadline())
        #expect(upstream.requests.count == 1)
    }
}
