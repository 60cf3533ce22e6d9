import AuthCore
import NIOCore
import NIOHTTP1
import Testing

/// The production transport on a real connection: what the in-process fakes of the other suites
/// stand in for.
@Suite("UpstreamHTTP over loopback HTTP")
struct UpstreamHTTPTests {
    @Test("the request goes out as given; the answer comes back as sent")
    func requestAndAnswerUnchanged() async throws {
        let answer = Array(#"{"ok":true}"#.utf8)
        try await LoopbackHTTPServer.with({ _ in .respond(status: 201, headers: [("X-Answer", "yes")], body: answer) }) { server in
            let request = UpstreamRequest(
                method: .POST, url: server.baseURL + "/path/to?q=1",
                headers: ["Content-Type": "application/x-www-form-urlencoded", "X-Amz-Target": "T"],
                body: Array("a=1&b=2".utf8)
            )
            let response = try await UpstreamHTTP.shared.send(request, deadline: .now() + .seconds(20), maxBodyBytes: 1024)
            #expect(response.status == 201)
            #expect(response.headers.first(name: "X-Answer") == "yes")
            #expect(response.body == answer)

            let recorded = try #require(server.requests.first)
            #expect(server.requests.count == 1)
            #expect(recorded.method == .POST)
            #expect(recorded.uri == "/path/to?q=1")
            #expect(recorded.headers.first(name: "Content-Type") == "application/x-www-form-urlencoded")
            #expect(recorded.headers.first(name: "X-Amz-Target") == "T")
            #expect(recorded.bodyString == "a=1&b=2")
        }
    }

    @Test("a body over the cap is bodyTooLarge; one at the cap is read whole")
    func bodyCap() async throws {
        let body = Array(repeating: UInt8(ascii: "x"), count: 1000)
        try await LoopbackHTTPServer.with({ _ in .respond(status: 200, headers: [], body: body) }) { server in
            let request = UpstreamRequest(url: server.baseURL + "/")
            let whole = try await UpstreamHTTP.shared.send(request, deadline: .now() + .seconds(20), maxBodyBytes: 1000)
            #expect(whole.body == body)
            do throws(UpstreamError) {
                _ = try await UpstreamHTTP.shared.send(request, deadline: .now() + .seconds(20), maxBodyBytes: 999)
                Issue.record("a body over the cap was read")
            } catch {
                guard case .bodyTooLarge = error else {
                    Issue.record("expected bodyTooLarge, got \(error)")
                    return
                }
            }
        }
    }
}
