import Foundation
import Testing

@Suite("stdin mode through the real executable", .serialized)
struct StdinModeTests {
    static let v2Event = Array(
        #"{"version":"2.0","rawPath":"/auth/me","rawQueryString":"a=1","cookies":["s=1"],"headers":{"X-Test":"yes"},"requestContext":{"requestId":"rid","stage":"prod","http":{"method":"GET","sourceIp":"5.6.7.8"}},"body":"aGk=","isBase64Encoded":true}"#.utf8
    )

    @Test func eventFromFileAndFromStdinGiveTheSameResponse() async throws {
        let echo = try TestSupport.executable("lambdakit-echo")
        let file = try TestSupport.temporaryFile(Self.v2Event)
        let fromFile = try await ChildProcess.run(echo, arguments: ["--event", file.path])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let fromStdin = try await ChildProcess.run(echo, stdin: Self.v2Event)
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(fromFile.stdout == fromStdin.stdout)
        // Stdout holds only the response: one JSON line.
        #expect(fromFile.stdout.last == UInt8(ascii: "\n"))
        #expect(fromFile.stdout.dropLast().contains(UInt8(ascii: "\n")) == false)
        let response = try TestSupport.json(Array(fromFile.stdout.dropLast()))
        #expect(response["statusCode"] as? Int == 200)
        let echoed = try TestSupport.echoBody(Array(fromFile.stdout.dropLast()))
        #expect(echoed["rawPath"] as? String == "/auth/me")
        #expect(echoed["method"] as? String == "GET")
        #expect(echoed["bodyBase64"] as? String == "aGk=")
        #expect(echoed["origin"] as? String == "httpV2")
        #expect(echoed["requestId"] as? String == "rid")
        #expect(echoed["sourceIP"] as? String == "5.6.7.8")
        #expect(echoed["cookies"] as? [String] == ["s=1"])
    }

    @Test func notJSONExitsOneWithOneStderrLine() async throws {
        let result = try await ChildProcess.run(try TestSupport.executable("lambdakit-echo"), stdin: Array("not json".utf8))
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("not valid JSON"))
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func authorizerEventIsNotAnHTTPEvent() async throws {
        let path = TestSupport.fixturesDirectory.appendingPathComponent("apigw-custom-auth-request.json").path
        let result = try await ChildProcess.run(try TestSupport.executable("lambdakit-echo"), arguments: ["--event", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("not an HTTP event"))
    }

    @Test func initFailureExitsTwo() async throws {
        let result = try await ChildProcess.run(
            try TestSupport.executable("lambdakit-echo"), environment: ["ECHO_INIT_FAIL": "1"], stdin: Self.v2Event
        )
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("init failed: ECHO_INIT_FAIL is set"))
    }

    @Test func handlerErrorAndOversizedResponseExitOne() async throws {
        let echo = try TestSupport.executable("lambdakit-echo")
        for (action, expected) in [("throw", "EchoRequestedError"), ("big", "ResponseSizeTooLarge")] {
            let event = #"{"version":"2.0","rawPath":"/","headers":{"x-echo-action":"\#(action)"},"requestContext":{"http":{"method":"GET"}}}"#
            let result = try await ChildProcess.run(echo, stdin: Array(event.utf8))
            #expect(result.status == 1, "\(action)")
            #expect(result.stdout.isEmpty, "\(action)")
            #expect(result.stderr.contains(expected), "\(action): \(result.stderr)")
        }
    }

    @Test func usageAndFileErrors() async throws {
        let echo = try TestSupport.executable("lambdakit-echo")
        let badArgument = try await ChildProcess.run(echo, arguments: ["--bogus"])
        #expect(badArgument.status == 2)
        #expect(badArgument.stdout.isEmpty)
        let missing = try await ChildProcess.run(echo, arguments: ["--event", "/nonexistent/event.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read event file"))
    }

    @Test func logsGoToStderrAsJSONLines() async throws {
        let event = #"{"version":"2.0","rawPath":"/","headers":{"x-echo-action":"sleep:1"},"requestContext":{"http":{"method":"GET"}}}"#
        let result = try await ChildProcess.run(
            try TestSupport.executable("lambdakit-echo"), environment: ["LOG_LEVEL": "debug"], stdin: Array(event.utf8)
        )
        #expect(result.status == 0)
        // "sleeping", "echoing", the invocation's summary line and its metrics document.
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 4)
        for line in lines {
            let json = try TestSupport.json(Array(line.utf8))
            #expect((json["requestId"] as? String)?.hasPrefix("local-") == true)
        }
        _ = try TestSupport.json(Array(result.stdout.dropLast()))
    }
}
