import NIOCore
import Synchronization
import Testing

@testable import AuthCore

/// The key cache against a real HTTP server on loopback.
@Suite("JWKSCache over loopback HTTP")
struct JWKSCacheTests {
    typealias S = JWTTestSupport
    /// Allowed lateness past a deadline for "returns within deadline + margin" checks.
    // 3 s: wide enough for a loaded 2-core machine (a 1 s margin failed at load 8), still well
    // under the 5 s the slow servers take, so a deadline that is not enforced fails the test.
    static let margin: Duration = .seconds(3)

    static func verifier(_ cache: JWKSCache) -> AccessTokenVerifier {
        AccessTokenVerifier(config: S.config(), keys: cache, now: { S.now })
    }

    @Test("many verifications, one fetch; the fetch goes to the configured URL")
    func oneFetch() async throws {
        try await JWKSTestServer.with(serving: S.defaultJWKS) { server in
            let cache = JWKSCache(url: server.url)
            let verifier = Self.verifier(cache)
            let token = S.token()
            for _ in 0..<200 {
                _ = try await verifier.verify(token, deadline: S.deadline())
            }
            #expect(server.requestCount == 1)
            #expect(server.paths == ["/us-east-1_TestPool/.well-known/jwks.json"])
            #expect(cache.fetchCount == 1)
        }
    }

    @Test("concurrent misses on a cold cache share one fetch")
    func concurrentMissesShareOneFetch() async throws {
        try await JWKSTestServer.with(.slow(.milliseconds(300), status: 200, Array(S.defaultJWKS.utf8))) { server in
            let verifier = Self.verifier(JWKSCache(url: server.url))
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
            #expect(server.requestCount == 1)
        }
    }

    @Test("preloaded JWKS: zero fetches")
    func preloadedNoFetch() async throws {
        try await JWKSTestServer.with(serving: S.defaultJWKS) { server in
            let config = CognitoConfig(
                region: S.region, userPoolId: S.poolId, clientId: S.clientId,
                jwksURL: server.url, preloadedJWKS: Array(S.defaultJWKS.utf8))
            let cache = JWKSCache(config: config)
            #expect(cache.isLoaded)
            let verifier = AccessTokenVerifier(config: config, keys: cache, now: { S.now })
            for _ in 0..<50 {
                _ = try await verifier.verify(S.token(), deadline: S.deadline())
            }
            try await cache.prefetch(deadline: S.deadline())
            #expect(server.requestCount == 0)
        }
    }

    @Test("a preloaded JWKS still refetches for an unknown kid (key rotation)")
    func preloadedRefetchesUnknownKid() async throws {
        let rotated = S.jwks(S.jwk(S.primary, kid: S.kid), S.jwk(S.other, kid: "rotated-kid"))
        try await JWKSTestServer.with(serving: rotated) { server in
            let cache = JWKSCache(url: server.url, preloaded: Array(S.defaultJWKS.utf8))
            let verifier = Self.verifier(cache)
            let token = S.token(header: S.header(kid: "rotated-kid"), key: S.other)
            _ = try await verifier.verify(token, deadline: S.deadline())
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
            #expect(server.requestCount == 1)
        }
    }

    @Test("unknown kid: one refetch, then the penalty box; after 10 s one more")
    func unknownKidPenaltyBox() async throws {
        try await JWKSTestServer.with(serving: S.defaultJWKS) { server in
            let offset = Mutex<Duration>(.zero)
            let base = ContinuousClock.now
            let cache = JWKSCache(url: server.url, clock: { base + offset.withLock { $0 } })
            let verifier = Self.verifier(cache)
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
            #expect(server.requestCount == 1)

            let unknown = S.token(header: S.header(kid: "unknown-1"))
            #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
            offset.withLock { $0 = .seconds(10) }
            #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
            #expect(server.requestCount == 2)
            offset.withLock { $0 = .seconds(19) }
            #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
            #expect(server.requestCount == 2)
            // Known kids keep verifying from the cache meanwhile.
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
            offset.withLock { $0 = .seconds(20) }
            #expect(await S.failure(of: unknown, with: verifier) == .unknownKeyID)
            #expect(server.requestCount == 3)
        }
    }

    @Test("1,000 distinct unknown kids within a second: at most one refetch")
    func unknownKidFlood() async throws {
        try await JWKSTestServer.with(serving: S.defaultJWKS) { server in
            let cache = JWKSCache(url: server.url)
            let verifier = Self.verifier(cache)
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
            #expect(server.requestCount == 1)
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
            #expect(server.requestCount <= 2)
        }
    }

    @Test("the rotated-in key is found after the refetch, rotated-out keys stop verifying")
    func rotation() async throws {
        try await JWKSTestServer.with(serving: S.jwks(S.jwk(S.other, kid: "next-kid"))) { server in
            let verifier = Self.verifier(JWKSCache(url: server.url, preloaded: Array(S.defaultJWKS.utf8)))
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
            let next = S.token(header: S.header(kid: "next-kid"), key: S.other)
            _ = try await verifier.verify(next, deadline: S.deadline())
            #expect(server.requestCount == 1)
            #expect(await S.failure(of: S.token(), with: verifier) == .unknownKeyID)
            #expect(server.requestCount == 1)
        }
    }

    @Test("non-200, non-JSON, not a JWKS: keysUnavailable")
    func badAnswers() async throws {
        let cases: [(JWKSTestServer.Answer, String)] = [
            (.body(status: 500, Array(#"{"message":"boom"}"#.utf8)), "JWKS endpoint answered HTTP 500"),
            (.body(status: 404, Array(S.defaultJWKS.utf8)), "JWKS endpoint answered HTTP 404"),
            (.body(status: 200, Array("<html>not json</html>".utf8)), "JWKS is not valid: not a JSON object (unexpected character in JSON)"),
            (.body(status: 200, Array(#"{"kids":[]}"#.utf8)), #"JWKS is not valid: no "keys" array"#),
            (.body(status: 200, []), "JWKS is not valid: not a JSON object (unexpected end of JSON)"),
        ]
        for (answer, reason) in cases {
            try await JWKSTestServer.with(answer) { server in
                let verifier = Self.verifier(JWKSCache(url: server.url))
                #expect(await S.failure(of: S.token(), with: verifier) == .keysUnavailable(reason))
            }
        }
    }

    @Test("an oversized JWKS (over 64 KiB) is keysUnavailable")
    func oversized() async throws {
        let filler = String(repeating: #"{"kty":"oct","kid":"pad","k":"AAAA"},"#, count: 2000)
        let huge = #"{"keys":["# + filler + S.jwk(S.primary, kid: S.kid) + "]}"
        #expect(huge.utf8.count > 64 * 1024)
        try await JWKSTestServer.with(serving: huge) { server in
            let verifier = Self.verifier(JWKSCache(url: server.url))
            #expect(await S.failure(of: S.token(), with: verifier) == .keysUnavailable("JWKS larger than 65536 bytes"))
        }
    }

    @Test("a slow JWKS is keysUnavailable within the deadline + margin, and within fetchTimeout")
    func slow() async throws {
        try await JWKSTestServer.with(.slow(.seconds(5), status: 200, Array(S.defaultJWKS.utf8))) { server in
            let clock = ContinuousClock()
            let verifier = Self.verifier(JWKSCache(url: server.url))
            var start = clock.now
            #expect(await errorWithin(verifier, deadline: .now() + .milliseconds(300)) == .keysUnavailable("JWKS fetch timed out"))
            #expect(clock.now - start < .milliseconds(300) + Self.margin)

            let bounded = Self.verifier(JWKSCache(url: server.url, fetchTimeout: .milliseconds(300)))
            start = clock.now
            #expect(await errorWithin(bounded, deadline: .now() + .seconds(30)) == .keysUnavailable("JWKS fetch timed out"))
            #expect(clock.now - start < .milliseconds(300) + Self.margin)
        }
    }

    @Test("an unreachable JWKS endpoint is keysUnavailable, and is not retried in a tight loop")
    func unreachable() async throws {
        let offset = Mutex<Duration>(.zero)
        let base = ContinuousClock.now
        let cache = JWKSCache(url: "http://127.0.0.1:9/jwks.json", clock: { base + offset.withLock { $0 } })
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
        // Without any loaded set, a retry is allowed after retryInterval (1 s).
        offset.withLock { $0 = .seconds(1) }
        _ = await S.failure(of: S.token(), with: verifier)
        #expect(cache.fetchCount == 2)
    }

    @Test("a failed refetch keeps the loaded keys in use")
    func failedRefetchKeepsKeys() async throws {
        try await JWKSTestServer.with(.body(status: 503, [])) { server in
            let verifier = Self.verifier(JWKSCache(url: server.url, preloaded: Array(S.defaultJWKS.utf8)))
            #expect(await S.failure(of: S.token(header: S.header(kid: "new")), with: verifier) == .keysUnavailable("JWKS endpoint answered HTTP 503"))
            _ = try await verifier.verify(S.token(), deadline: S.deadline())
            #expect(server.requestCount == 1)
        }
    }

    func errorWithin(_ verifier: AccessTokenVerifier, deadline: NIODeadline) async -> TokenVerificationError? {
        do {
            _ = try await verifier.verify(S.token(), deadline: deadline)
            return nil
        } catch {
            return error
        }
    }
}
