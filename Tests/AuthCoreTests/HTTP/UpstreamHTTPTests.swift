@testable import AuthCore
import InvocationTelemetry
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

/// Trace propagation: the invocation's `_X_AMZN_TRACE_ID` goes out as `X-Amzn-Trace-Id`, as the
/// AWS SDKs send it (their recursion-detection middleware), on a real connection.
@Suite("UpstreamHTTP trace header")
struct UpstreamTraceHeaderTests {
    static let trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    @Test("the trace id travels as X-Amzn-Trace-Id; a request's own header is kept")
    func traceHeaderOnTheWire() async throws {
        try await LoopbackHTTPServer.with({ _ in .respond(status: 200, headers: [], body: []) }) { server in
            let transport = UpstreamHTTP(client: UpstreamHTTP.shared.client, traceID: { Self.trace })
            _ = try await transport.send(UpstreamRequest(url: server.baseURL + "/a"), deadline: .now() + .seconds(20), maxBodyBytes: 16)
            _ = try await transport.send(
                UpstreamRequest(url: server.baseURL + "/b", headers: ["X-Amzn-Trace-Id": "Root=own"]),
                deadline: .now() + .seconds(20), maxBodyBytes: 16)
            let untraced = UpstreamHTTP(client: UpstreamHTTP.shared.client, traceID: { nil })
            _ = try await untraced.send(UpstreamRequest(url: server.baseURL + "/c"), deadline: .now() + .seconds(20), maxBodyBytes: 16)
            #expect(server.requests.count == 3)
            #expect(server.requests.map { $0.headers["X-Amzn-Trace-Id"] } == [[Self.trace], ["Root=own"], []])
        }
    }

    @Test("only in a Lambda function, only a header-safe value")
    func whenTheIdIsSent() {
        func id(_ environment: [String: String]) -> String? { UpstreamHTTP.lambdaTraceID { environment[$0] } }
        #expect(id(["AWS_LAMBDA_FUNCTION_NAME": "me", "_X_AMZN_TRACE_ID": Self.trace]) == Self.trace)
        #expect(id(["_X_AMZN_TRACE_ID": Self.trace]) == nil)
        #expect(id(["AWS_LAMBDA_FUNCTION_NAME": "", "_X_AMZN_TRACE_ID": Self.trace]) == nil)
        #expect(id(["AWS_LAMBDA_FUNCTION_NAME": "me"]) == nil)
        #expect(id(["AWS_LAMBDA_FUNCTION_NAME": "me", "_X_AMZN_TRACE_ID": ""]) == nil)
        for unsafe in ["Root=1\r\nX-Injected: 1", "Root=1 x", "Root=\u{7F}", "Root=é", String(repeating: "a", count: 8193)] {
            #expect(id(["AWS_LAMBDA_FUNCTION_NAME": "me", "_X_AMZN_TRACE_ID": unsafe]) == nil)
        }
    }
}

/// Each call is recorded in the invocation's upstream call log (the metrics' source): operation
/// and outcome from fixed sets, on a real connection.
@Suite("UpstreamHTTP call log")
struct UpstreamCallLogTests {
    @Test("answered and failed calls are recorded with their operation and outcome")
    func callsAreRecorded() async throws {
        let log = UpstreamCallLog()
        try await LoopbackHTTPServer.with({ request in
            switch request.uri {
            case "/": return .respond(status: 200, headers: [], body: Array("{}".utf8))
            case "/busy": return .respond(status: 400, headers: [("x-amzn-ErrorType", "TooManyRequestsException:")], body: [])
            default: return .respond(status: 503, headers: [], body: [])
            }
        }) { server in
            try await UpstreamCallLog.$current.withValue(log) {
                let getUser = UpstreamRequest(
                    method: .POST, url: server.baseURL + "/", headers: ["X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser"])
                _ = try await UpstreamHTTP.shared.send(getUser, deadline: .now() + .seconds(20), maxBodyBytes: 64)
                var busy = getUser
                busy.url = server.baseURL + "/busy"
                _ = try await UpstreamHTTP.shared.send(busy, deadline: .now() + .seconds(20), maxBodyBytes: 64)
                _ = try await UpstreamHTTP.shared.send(
                    UpstreamRequest(url: server.baseURL + "/pool/.well-known/jwks.json"), deadline: .now() + .seconds(20), maxBodyBytes: 64)
                do throws(UpstreamError) {
                    _ = try await UpstreamHTTP.shared.send(
                        UpstreamRequest(method: .POST, url: server.baseURL + "/oauth2/token"), deadline: .now() + .seconds(20), maxBodyBytes: 1)
                } catch {}
            }
        }
        // Outside an invocation nothing is recorded.
        try await LoopbackHTTPServer.with({ _ in .respond(status: 200, headers: [], body: []) }) { server in
            _ = try await UpstreamHTTP.shared.send(UpstreamRequest(url: server.baseURL + "/"), deadline: .now() + .seconds(20), maxBodyBytes: 8)
        }
        #expect(log.all.map(\.operation) == ["GetUser", "GetUser", "JWKS", "Token"])
        #expect(log.all.map(\.outcome) == ["ok", "throttled", "status_5xx", "status_5xx"])
        #expect(log.all.map(\.isError) == [false, true, true, true])
        #expect(log.all.allSatisfy { $0.durationNanoseconds >= 0 })
    }

    @Test func operationsComeFromAFixedSet() {
        func operation(_ url: String, target: String? = nil) -> String {
            UpstreamHTTP.operation(UpstreamRequest(url: url, headers: target.map { ["X-Amz-Target": $0] } ?? [:]))
        }
        #expect(operation("https://x/", target: "AWSCognitoIdentityProviderService.GlobalSignOut") == "GlobalSignOut")
        #expect(operation("https://x/", target: "AWSCognitoIdentityProviderService.AdminDeleteUser") == "Other")
        #expect(operation("https://x/", target: "user@example.com") == "Other")
        #expect(operation("https://x/", target: "DynamoDB_20120810.GetItem") == "DynamoDB")
        #expect(operation("https://d.auth.example.com/oauth2/revoke") == "Revoke")
        #expect(operation("https://d.auth.example.com/oauth2/token?x=1") == "Token")
        #expect(operation("https://d.auth.example.com/secret-path") == "Other")
    }
}
