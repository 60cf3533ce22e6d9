import AuthCore
import NIOCore
import Testing

@Suite("CognitoClient: transport faults, deadlines, size cap")
struct CognitoFaultTests {
    typealias Support = CognitoTestSupport
    /// Allowed lateness past the deadline for "returns within deadline + margin" checks.
    // 20 s: wide enough for a loaded 2-core machine running the whole suite in parallel (1 s
    // failed at load 8, 10 s once at load 17), still well under the 60 s the slow servers take,
    // so a deadline that is not enforced fails the test.
    static let margin: Duration = .seconds(20)

    @Test("a reply slower than the deadline is a timeout, returned within deadline + margin")
    func slowReplyTimesOut() async throws {
        let late = ServerReply.delayed(.seconds(60), .json(200, Support.tokenResponse))
        try await LoopbackHTTPServer.with({ _ in late }) { server in
            let client = Support.client(server.baseURL)
            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: CognitoError.timeout) {
                try await client.exchangeCode("c", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: .now() + .milliseconds(300))
            }
            #expect(clock.now - start < .milliseconds(300) + Self.margin)

            let start2 = clock.now
            await #expect(throws: CognitoError.timeout) {
                try await client.getUser(accessToken: "t", deadline: .now() + .milliseconds(300))
            }
            #expect(clock.now - start2 < .milliseconds(300) + Self.margin)
        }
    }

    @Test("a body that trickles past the deadline is a timeout: the deadline covers the body too")
    func slowBodyTimesOut() async throws {
        let trickle = ServerReply.trickle(status: 200, chunk: Array("{\"a\":1,".utf8), interval: .milliseconds(100), count: 600)
        try await LoopbackHTTPServer.with({ _ in trickle }) { server in
            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: CognitoError.timeout) {
                try await Support.client(server.baseURL).getUser(accessToken: "t", deadline: .now() + .milliseconds(400))
            }
            #expect(clock.now - start < .milliseconds(400) + Self.margin)
        }
    }

    @Test("a deadline already past fails at once without a request")
    func pastDeadline() async throws {
        try await LoopbackHTTPServer.with({ _ in .amzJSON(200, "{}") }) { server in
            await #expect(throws: CognitoError.timeout) {
                try await Support.client(server.baseURL).globalSignOut(accessToken: "t", deadline: .now() - .seconds(1))
            }
            #expect(server.requests.isEmpty)
        }
    }

    @Test("connection refused is unreachable")
    func connectionRefused() async throws {
        let port = try await LoopbackHTTPServer.closedPort()
        let client = Support.client("http://127.0.0.1:\(port)")
        let errors = await Self.errorsOfAllCalls(client)
        #expect(errors.count == 5)
        for error in errors {
            guard case .unreachable? = error else {
                Issue.record("expected unreachable, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test("a connection dropped before any answer is unreachable")
    func droppedConnection() async throws {
        try await LoopbackHTTPServer.with({ _ in .drop }) { server in
            let client = Support.client(server.baseURL)
            let errors = await Self.errorsOfAllCalls(client)
            #expect(errors.count == 5)
            for error in errors {
                guard case .unreachable? = error else {
                    Issue.record("expected unreachable, got \(String(describing: error))")
                    continue
                }
            }
        }
    }

    @Test("5xx from the token endpoint is upstream(status, excerpt)")
    func tokenEndpoint5xx() async throws {
        try await FakeUpstream.with({ _ in .respond(status: 503, headers: [], body: Array("Service Unavailable".utf8)) }) { upstream in
            await #expect(throws: CognitoError.upstream(status: 503, excerpt: "Service Unavailable")) {
                try await Support.client(upstream).exchangeCode("c", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: Support.deadline())
            }
        }
    }

    @Test("429 from the token endpoint is throttled")
    func tokenEndpointThrottled() async throws {
        try await FakeUpstream.with({ _ in .json(429, #"{"error":"too_many_requests"}"#) }) { upstream in
            await #expect(throws: CognitoError.throttled) {
                try await Support.client(upstream).refresh("r", deadline: Support.deadline())
            }
        }
    }

    @Test("a body over 1 MiB is malformedResponse, not a buffer of any size")
    func oversizedBody() async throws {
        let huge = Array(repeating: UInt8(ascii: " "), count: 2 * 1024 * 1024)
        try await LoopbackHTTPServer.with({ _ in .respond(status: 200, headers: [], body: huge) }) { server in
            do throws(CognitoError) {
                _ = try await Support.client(server.baseURL).getUser(accessToken: "t", deadline: Support.deadline())
                Issue.record("expected malformedResponse")
            } catch {
                guard case .malformedResponse = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
            }
        }
    }

    @Test("garbage with a success status is malformedResponse for every operation that reads a body")
    func garbageBody() async throws {
        let garbage = ServerReply.respond(status: 200, headers: [], body: [0xFF, 0xFE, 0x00, 0x7B, 0x22])
        try await FakeUpstream.with({ _ in garbage }) { upstream in
            let client = Support.client(upstream)
            do throws(CognitoError) {
                _ = try await client.getUser(accessToken: "t", deadline: Support.deadline())
                Issue.record("expected malformedResponse")
            } catch {
                guard case .malformedResponse = error else { Issue.record("unexpected \(error)"); return }
            }
            do throws(CognitoError) {
                _ = try await client.exchangeCode("c", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: Support.deadline())
                Issue.record("expected malformedResponse")
            } catch {
                guard case .malformedResponse = error else { Issue.record("unexpected \(error)"); return }
            }
        }
    }

    @Test("each transport failure maps to its CognitoError, for every operation", arguments: [
        (UpstreamError.timeout, CognitoError.timeout),
        (.unreachable("connection refused"), .unreachable("connection refused")),
        (.connectionLost("reset"), .unreachable("connection lost: reset")),
        (.bodyTooLarge(limit: 1 << 20), .malformedResponse("response body larger than 1048576 bytes")),
    ])
    func transportFailures(failure: UpstreamError, expected: CognitoError) async throws {
        let upstream = FakeUpstream(failing: failure)
        let errors = await Self.errorsOfAllCalls(Support.client(upstream))
        #expect(errors == Array(repeating: Optional(expected), count: 5))
        #expect(upstream.requests.count == 5)
    }

    /// Runs every operation once against `client`; what each threw, in order (nil: it succeeded).
    static func errorsOfAllCalls(_ client: CognitoClient) async -> [CognitoError?] {
        var errors: [CognitoError?] = []
        do throws(CognitoError) {
            _ = try await client.exchangeCode("c", redirectURI: "https://app.example.com/callback", codeVerifier: nil, deadline: Support.deadline())
            errors.append(nil)
        } catch { errors.append(error) }
        do throws(CognitoError) {
            _ = try await client.refresh("r", deadline: Support.deadline())
            errors.append(nil)
        } catch { errors.append(error) }
        do throws(CognitoError) {
            try await client.revoke(refreshToken: "r", deadline: Support.deadline())
            errors.append(nil)
        } catch { errors.append(error) }
        do throws(CognitoError) {
            _ = try await client.getUser(accessToken: "t", deadline: Support.deadline())
            errors.append(nil)
        } catch { errors.append(error) }
        do throws(CognitoError) {
            try await client.globalSignOut(accessToken: "t", deadline: Support.deadline())
            errors.append(nil)
        } catch { errors.append(error) }
        return errors
    }
}
