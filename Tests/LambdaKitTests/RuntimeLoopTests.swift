import Foundation
import LambdaRuntimeAPIServer
import Testing

@Suite("Lambda mode through the real executable and the loopback Runtime API", .serialized)
struct RuntimeLoopTests {
    static func event(path: String, action: String? = nil) -> [UInt8] {
        let header = action.map { #","headers":{"x-echo-action":"\#($0)"}"# } ?? ""
        return Array(#"{"version":"2.0","rawPath":"\#(path)"\#(header),"requestContext":{"http":{"method":"GET"}}}"#.utf8)
    }

    /// Runs `body` with a server and the echo handler pointed at it; however `body` ends, the
    /// handler is killed if it still runs and the server is closed.
    static func withEcho<T>(
        environment: [String: String] = [:], _ body: (LambdaRuntimeAPIServer, ChildProcess) async throws -> T
    ) async throws -> T {
        let server = try await LambdaRuntimeAPIServer.start()
        var child: ChildProcess?
        do {
            var env = environment
            env["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
            let started = try ChildProcess(try TestSupport.executable("lambdakit-echo"), environment: env)
            child = started
            let result = try await body(server, started)
            started.kill9IfRunning()
            try await server.shutdown()
            return result
        } catch {
            child?.kill9IfRunning()
            try? await server.shutdown()
            throw error
        }
    }

    /// SIGTERM, then the exit status.
    static func stop(_ child: ChildProcess) async throws -> Int32 {
        child.terminate()
        return try await child.wait(timeout: .seconds(10))
    }

    @Test func sequenceAnsweredToTheRightIdsOnOneConnection() async throws {
        try await Self.withEcho { server, child in
            let ids = (0..<20).map { index in
                server.enqueue(RuntimeAPIInvocation(event: Self.event(path: "/n/\(index)"), requestId: "req-\(index)"))
            }
            for (index, id) in ids.enumerated() {
                let outcome = try await server.outcome(for: id, timeout: .seconds(20))
                #expect(outcome.kind == .response)
                #expect(try TestSupport.echoBody(outcome.body)["rawPath"] as? String == "/n/\(index)")
            }
            #expect(server.connectionsOpened == 1)
            #expect(try await Self.stop(child) == 0)
            #expect(child.stdout.isEmpty)
        }
    }

    @Test func handlerErrorsGoToErrorAndTheLoopContinues() async throws {
        try await Self.withEcho { server, child in
            let failed = try await server.invoke(RuntimeAPIInvocation(event: Self.event(path: "/x", action: "throw")), timeout: .seconds(20))
            #expect(failed.kind == .error)
            #expect(failed.errorType == "EchoRequestedError")
            let report = try TestSupport.json(failed.body)
            #expect(report["errorType"] as? String == "EchoRequestedError")
            #expect(report["errorMessage"] as? String == "x-echo-action asked for an error")
            #expect((report["stackTrace"] as? [Any])?.isEmpty == true)

            let notHTTP = try await server.invoke(RuntimeAPIInvocation(event: Array(#"{"Records":[]}"#.utf8)), timeout: .seconds(20))
            #expect(notHTTP.kind == .error)
            #expect(notHTTP.errorType == "Runtime.NotAnHTTPEvent")
            #expect((try TestSupport.json(notHTTP.body)["errorMessage"] as? String)?.hasPrefix("not an HTTP event") == true)

            let tooBig = try await server.invoke(RuntimeAPIInvocation(event: Self.event(path: "/", action: "big")), timeout: .seconds(20))
            #expect(tooBig.kind == .error)
            #expect(tooBig.errorType == "Runtime.ResponseSizeTooLarge")

            let fine = try await server.invoke(RuntimeAPIInvocation(event: Self.event(path: "/after")), timeout: .seconds(20))
            #expect(fine.kind == .response)
            #expect(try TestSupport.echoBody(fine.body)["rawPath"] as? String == "/after")
            #expect(try await Self.stop(child) == 0)
        }
    }

    @Test func initErrorIsPostedAndTheProcessExitsOne() async throws {
        try await Self.withEcho(environment: ["ECHO_INIT_FAIL": "1"]) { server, child in
            let report = try await server.initError(timeout: .seconds(20))
            #expect(report.errorType == "EchoConfigError")
            let body = try TestSupport.json(report.body)
            #expect(body["errorMessage"] as? String == "ECHO_INIT_FAIL is set")
            #expect((body["stackTrace"] as? [Any])?.isEmpty == true)
            #expect(try await child.wait(timeout: .seconds(10)) == 1)
        }
    }

    @Test func traceIdExportedPerInvocationAndContextHeadersVisible() async throws {
        try await Self.withEcho { server, child in
            let deadline = Int64(Date().timeIntervalSince1970 * 1000) + 5_000
            // A shorter id after a longer one, an invocation without one, then one longer than any before.
            let long = "Root=1-cccccccc-333333333333333333333333;Parent=53995c3f42cd8ad8;Sampled=1;Lineage="
                + String(repeating: "a87bd80c:1|", count: 40)
            let traceIds = [
                "Root=1-aaaaaaaa-111111111111111111111111;Sampled=1", "Root=1-b;Sampled=0", nil,
                "Root=1-bbbbbbbb-222222222222222222222222;Sampled=0", long, "Root=1-dddddddd-444444444444444444444444",
            ]
            for (index, traceId) in traceIds.enumerated() {
                let outcome = try await server.invoke(
                    RuntimeAPIInvocation(
                        event: Self.event(path: "/ctx", action: "context"), requestId: "ctx-\(index)",
                        deadlineEpochMs: deadline, invokedFunctionARN: "arn:aws:lambda:eu-west-1:123456789012:function:f",
                        traceId: traceId, clientContext: #"{"client":{}}"#, cognitoIdentity: #"{"cognitoIdentityId":"i"}"#
                    ),
                    timeout: .seconds(20)
                )
                #expect(outcome.kind == .response)
                let context = try #require(try TestSupport.echoBody(outcome.body)["context"] as? [String: Any])
                #expect(context["requestId"] as? String == "ctx-\(index)")
                #expect(context["traceId"] as? String == traceId)
                #expect(context["traceEnv"] as? String == traceId)
                #expect(context["invokedFunctionARN"] as? String == "arn:aws:lambda:eu-west-1:123456789012:function:f")
                #expect(context["clientContext"] as? String == #"{"client":{}}"#)
                #expect(context["cognitoIdentity"] as? String == #"{"cognitoIdentityId":"i"}"#)
                #expect((context["deadlineEpochMs"] as? NSNumber)?.int64Value == deadline)
                let remaining = try #require((context["remainingMs"] as? NSNumber)?.int64Value)
                #expect(remaining > 0 && remaining <= 5_000)
            }
            #expect(try await Self.stop(child) == 0)
        }
    }

    @Test func sigtermMidInvocationFinishesItThenExitsZero() async throws {
        try await Self.withEcho { server, child in
            let id = server.enqueue(RuntimeAPIInvocation(event: Self.event(path: "/slow", action: "sleep:700")))
            // The handler logs "sleeping" when it starts.
            let clock = ContinuousClock()
            let until = clock.now + .seconds(20)
            while !child.stderr.contains("sleeping"), clock.now < until { try await Task.sleep(for: .milliseconds(10)) }
            #expect(child.stderr.contains("sleeping"))
            child.terminate()
            let outcome = try await server.outcome(for: id, timeout: .seconds(20))
            #expect(outcome.kind == .response)
            #expect(try TestSupport.echoBody(outcome.body)["rawPath"] as? String == "/slow")
            #expect(try await child.wait(timeout: .seconds(10)) == 0)
        }
    }

    @Test func sigtermWhileWaitingExitsZero() async throws {
        try await Self.withEcho { server, child in
            _ = try await server.invoke(RuntimeAPIInvocation(event: Self.event(path: "/")), timeout: .seconds(20))
            #expect(try await Self.stop(child) == 0)
        }
    }

    @Test func unreachableRuntimeAPIExitsNonZeroWithOneLine() async throws {
        let server = try await LambdaRuntimeAPIServer.start()
        let address = server.runtimeAPIAddress
        try await server.shutdown()
        let result = try await ChildProcess.run(
            try TestSupport.executable("lambdakit-echo"), environment: ["AWS_LAMBDA_RUNTIME_API": address]
        )
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("unreachable"))
    }

    @Test func runtimeAPIAnswering500ExitsNonZero() async throws {
        try await Self.withEcho { server, child in
            _ = try await server.invoke(RuntimeAPIInvocation(event: Self.event(path: "/")), timeout: .seconds(20))
            server.setFault(.nextStatus(500))
            // The next poll was parked before the fault: wake it with one more event.
            server.enqueue(RuntimeAPIInvocation(event: Self.event(path: "/")))
            let status = try await child.wait(timeout: .seconds(20))
            #expect(status != 0)
            #expect(child.stderr.contains("answered 500"))
        }
    }

    @Test(.enabled(if: TestSupport.hasFixtures, "../shared/fixtures/apigateway is absent"))
    func sameEventSameResponseInBothModes() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestSupport.fixturesDirectory.path)
            .filter { $0.hasSuffix(".json") && !FixtureDecodingTests.authorizerEvents.contains($0) }.sorted()
        try await Self.withEcho { server, child in
            let echo = try TestSupport.executable("lambdakit-echo")
            for name in names {
                let bytes = try TestSupport.fixture(name)
                let stdin = try await ChildProcess.run(echo, stdin: bytes)
                #expect(stdin.status == 0, "\(name): \(stdin.stderr)")
                let lambda = try await server.invoke(RuntimeAPIInvocation(event: bytes), timeout: .seconds(20))
                #expect(lambda.kind == .response, "\(name)")
                #expect(lambda.body + [UInt8(ascii: "\n")] == stdin.stdout, "\(name)")
            }
            #expect(try await Self.stop(child) == 0)
        }
    }
}

@Suite("lambda-runtime-api CLI", .serialized)
struct RuntimeAPICLITests {
    @Test func feedsEventsToAHandlerAndPrintsOneLineEach() async throws {
        let cli = try TestSupport.executable("lambda-runtime-api")
        let echo = try TestSupport.executable("lambdakit-echo")
        let good = try TestSupport.temporaryFile(RuntimeLoopTests.event(path: "/one"))
        let failing = try TestSupport.temporaryFile(RuntimeLoopTests.event(path: "/two", action: "throw"))
        let result = try await ChildProcess.run(cli, arguments: ["--events", good.path, failing.path, "--exec", echo])
        #expect(result.status == 1, "one event ended as an error: \(result.stderr)")
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try TestSupport.json(Array(lines[0].utf8))
        #expect(first["event"] as? String == good.path)
        #expect(first["outcome"] as? String == "response")
        #expect(((first["payload"] as? [String: Any])?["statusCode"]) as? Int == 200)
        let second = try TestSupport.json(Array(lines[1].utf8))
        #expect(second["outcome"] as? String == "error")
        #expect(second["errorType"] as? String == "EchoRequestedError")
        #expect(result.stderr.contains("function exit status 0"))
    }

    @Test func rawOutputMatchesTheStdinMode() async throws {
        let cli = try TestSupport.executable("lambda-runtime-api")
        let echo = try TestSupport.executable("lambdakit-echo")
        let event = try TestSupport.temporaryFile(StdinModeTests.v2Event)
        let replay = try await ChildProcess.run(cli, arguments: ["--raw", "--events", event.path, "--exec", echo])
        #expect(replay.status == 0, "\(replay.stderr)")
        let local = try await ChildProcess.run(echo, arguments: ["--event", event.path])
        #expect(replay.stdout == local.stdout)
    }

    @Test func initErrorIsReportedAndExitIsNonZero() async throws {
        let cli = try TestSupport.executable("lambda-runtime-api")
        let echo = try TestSupport.executable("lambdakit-echo")
        let event = try TestSupport.temporaryFile(RuntimeLoopTests.event(path: "/"))
        let result = try await ChildProcess.run(
            cli, arguments: ["--timeout", "10", "--events", event.path, "--exec", echo], environment: ["ECHO_INIT_FAIL": "1"]
        )
        #expect(result.status == 1)
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""outcome":"initError""#) == true)
        #expect(lines.last?.contains(#""outcome":"notDelivered""#) == true)
    }
}
