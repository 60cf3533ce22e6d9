import NIOCore
import Testing

@testable import AuthCore

/// What the key cache does over a real connection to a JWKS host on loopback: the body cap and
/// the deadlines hold on the wire, and a refused connection is reported.
@Suite("JWKSCache over loopback HTTP")
struct JWKSCacheWireTests {
    typealias S = JWTTestSupport
    /// Allowed lateness past a deadline for "returns within deadline + margin" checks.
    // 20 s: wide enough for a loaded 2-core machine running the whole suite in parallel (1 s
    // failed at load 8), still well under the 60 s the slow server takes, so a deadline that is
    // not enforced fails the test.
    static let margin: Duration = .seconds(20)

    static func verifier(_ cache: JWKSCache) -> AccessTokenVerifier {
        AccessTokenVerifier(config: S.config(), keys: cache, now: { S.now })
    }

    @Test("an oversized JWKS (over 64 KiB) is keysUnavailable")
    func oversized() async throws {
        let filler = String(repeating: #"{"kty":"oct","kid":"pad","k":"AAAA"},"#, count: 2000)
        let huge = #"{"keys":["# + filler + S.jwk(S.primary, kid: S.kid) + "]}"
        #expect(huge.utf8.count > 64 * 1024)
        try await LoopbackHTTPServer.with({ _ in .json(200, huge) }) { server in
            // The fetch's own 5 s bound far off: under load this fetch once took longer, and the
            // cap, not the clock, is the subject.
            let verifier = Self.verifier(JWKSCache(url: server.baseURL + S.jwksPath, fetchTimeout: .seconds(120)))
            #expect(await S.failure(of: S.token(), with: verifier) == .keysUnavailable("JWKS larger than 65536 bytes"))
            #expect(server.requests.map(\.uri) == [S.jwksPath])
        }
    }

    @Test("a slow JWKS is keysUnavailable within the deadline + margin, and within fetchTimeout")
    func slow() async throws {
        try await LoopbackHTTPServer.with({ _ in .delayed(.seconds(60), .json(200, S.defaultJWKS)) }) { server in
            let clock = ContinuousClock()
            let verifier = Self.verifier(JWKSCache(url: server.baseURL + S.jwksPath))
            var start = clock.now
            #expect(await errorWithin(verifier, deadline: .now() + .milliseconds(300)) == .keysUnavailable("JWKS fetch timed out"))
            #expect(clock.now - start < .milliseconds(300) + Self.margin)

            let bounded = Self.verifier(JWKSCache(url: server.baseURL + S.jwksPath, fetchTimeout: .milliseconds(300)))
            start = clock.now
            #expect(await errorWithin(bounded, deadline: .now() + .seconds(30)) == .keysUnavailable("JWKS fetch timed out"))
            #expect(clock.now - start < .milliseconds(300) + Self.margin)
        }
    }

    @Test("a refused connection is keysUnavailable: endpoint unreachable")
    func refused() async throws {
        let port = try await LoopbackHTTPServer.closedPort()
        // Deadlines far off: on a starved machine the refusal must not turn into a timeout.
        let verifier = Self.verifier(JWKSCache(url: "http://127.0.0.1:\(port)/jwks.json", fetchTimeout: .seconds(120)))
        guard case .keysUnavailable(let reason)? = await errorWithin(verifier, deadline: .now() + .seconds(120)) else {
            Issue.record("expected keysUnavailable")
            return
        }
        #expect(reason.hasPrefix("JWKS endpoint unreachable ("))
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
