import Foundation
import JSONValue
import LambdaRuntimeAPIServer
import Testing

/// The log stream of real invocations, in both modes: the metrics document (EMF), the summary
/// line and the ids on every line, for an HTTP handler (lambdakit-echo) and an event handler
/// (the product's authorizer).
@Suite("Metrics and correlated logs of real invocations", .serialized)
struct InvocationTelemetryTests {
    static let secretToken = "secret-token-value-7f3a9c"
    static let secretCookie = "refresh-cookie-value-51bd"
    static let clientIP = "203.0.113.77"
    static let traceId = "Root=1-6752a1f0-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"

    static func echoEvent(action: String, requestId: String = "api-req-7") -> [UInt8] {
        Array(
            #"{"version":"2.0","routeKey":"GET /auth/me","rawPath":"/auth/me","headers":{"authorization":"Bearer \#(secretToken)","x-echo-action":"\#(action)"},"cookies":["__Host-refresh_token=\#(secretCookie)"],"requestContext":{"requestId":"\#(requestId)","routeKey":"GET /auth/me","http":{"method":"GET","path":"/auth/me","sourceIp":"\#(clientIP)"}}}"#.utf8)
    }

    /// A REST REQUEST authorizer event whose bearer token is malformed: refused before any network.
    static func authorizerEvent(requestId: String) -> [UInt8] {
        Array(
            #"{"version":"1.0","type":"REQUEST","methodArn":"arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod/GET/account/profile","resource":"/account/profile","path":"/account/profile","httpMethod":"GET","headers":{"Authorization":"Bearer \#(secretToken)"},"multiValueHeaders":{"Authorization":["Bearer \#(secretToken)"]},"queryStringParameters":{},"multiValueQueryStringParameters":{},"pathParameters":{},"stageVariables":{},"requestContext":{"path":"/prod/account/profile","accountId":"123456789012","resourceId":"r3s0ur","stage":"prod","requestId":"\#(requestId)","identity":{"sourceIp":"\#(clientIP)"},"resourcePath":"/account/profile","httpMethod":"GET","apiId":"abc123defg"}}"#.utf8)
    }

    static let authorizerEnvironment = [
        "COGNITO_USER_POOL_ID": "us-east-1_AbC123", "COGNITO_CLIENT_ID": "client123", "COGNITO_REGION": "us-east-1",
        "LOG_LEVEL": "debug",
    ]
    static let secrets = [secretToken, secretCookie, clientIP]

    // MARK: stdin mode

    @Test func stdinModeHTTP() async throws {
        let result = try await ChildProcess.run(
            try TestSupport.executable("lambdakit-echo"), environment: ["_X_AMZN_TRACE_ID": Self.traceId, "LOG_LEVEL": "debug"],
            stdin: Self.echoEvent(action: "init-logger")
        )
        #expect(result.status == 0, "\(result.stderr)")
        // Stdout holds only the response: one JSON line, the Lambda response object.
        #expect(result.stdout.last == UInt8(ascii: "\n"))
        #expect(!result.stdout.dropLast().contains(UInt8(ascii: "\n")))
        let response = try TestSupport.json(Array(result.stdout.dropLast()))
        #expect(response["statusCode"] as? Int == 200)
        #expect(!String(decoding: result.stdout, as: UTF8.self).contains("_aws"))

        let stream = LogStream(result.stderr)
        stream.checkCommonRules(functionName: "lambdakit-echo", secrets: Self.secrets)
        #expect(stream.metricDocuments.count == 1)
        #expect(stream.summaries.count == 1)
        let requestId = try #require(stream.summaries.first?["requestId"]?.stringValue)
        #expect(requestId.hasPrefix("local-"))
        // Every line, the init logger's included, carries the invocation's ids.
        #expect(stream.logLines.contains { $0["message"]?.stringValue == "from the init logger" })
        for line in stream.logLines {
            #expect(line["requestId"]?.stringValue == requestId, "\(line)")
            #expect(line["apiRequestId"]?.stringValue == "api-req-7", "\(line)")
            #expect(line["traceId"]?.stringValue == Self.traceId, "\(line)")
            #expect(line["coldStart"] == .bool(true), "\(line)")
        }
        let document = try #require(stream.metricDocuments.first)
        #expect(document["Outcome"]?.stringValue == "ok")
        #expect(document["Requests"] == .int(1))
        #expect(document["ColdStart"] == .int(1))
        #expect(document["Faults"] == .int(0))
        #expect((document["Latency"]?.doubleValue ?? -1) >= 0)
        #expect(document["requestId"]?.stringValue == requestId)
        #expect(document["apiRequestId"]?.stringValue == "api-req-7")
        #expect(document["_aws"]?["CloudWatchMetrics"]?.arrayValue?.first?["Namespace"]?.stringValue == "CognitoLambdaAuth")
        let summary = try #require(stream.summaries.first)
        #expect(summary["level"] != nil)
        let fields = try #require(summary["metadata"])
        #expect(fields["route"]?.stringValue == "GET /auth/me")
        #expect(fields["status"]?.stringValue == "200")
        #expect(fields["outcome"]?.stringValue == "ok")
        #expect(fields["family"]?.stringValue == "httpV2")
        #expect(fields["ms"]?.stringValue.flatMap(Double.init) != nil)
    }

    @Test func stdinModeOutcomeCodesAndNamespace() async throws {
        let echo = try TestSupport.executable("lambdakit-echo")
        let coded = try await ChildProcess.run(
            echo, environment: ["METRICS_NAMESPACE": "Team/Auth"], stdin: Self.echoEvent(action: "outcome:token_expired"))
        #expect(coded.status == 0, "\(coded.stderr)")
        let stream = LogStream(coded.stderr)
        stream.checkCommonRules(functionName: "lambdakit-echo", secrets: Self.secrets)
        let document = try #require(stream.metricDocuments.first)
        #expect(document["Outcome"]?.stringValue == "token_expired")
        #expect(document["status"] == .int(403))
        #expect(document["_aws"]?["CloudWatchMetrics"]?.arrayValue?.allSatisfy { $0["Namespace"]?.stringValue == "Team/Auth" } == true)
        #expect(stream.summaries.first?["metadata"]?["outcome"]?.stringValue == "token_expired")

        // A code that is not a bounded identifier never becomes a dimension value.
        let unbounded = try await ChildProcess.run(echo, stdin: Self.echoEvent(action: "outcome:user@example.com"))
        let unboundedStream = LogStream(unbounded.stderr)
        unboundedStream.checkCommonRules(functionName: "lambdakit-echo", secrets: Self.secrets + ["user@example.com"])
        #expect(unboundedStream.metricDocuments.first?["Outcome"]?.stringValue == "invalid_outcome")
    }

    @Test func stdinModeMetricsOffAndBadSettings() async throws {
        let echo = try TestSupport.executable("lambdakit-echo")
        let off = try await ChildProcess.run(echo, environment: ["METRICS": "off"], stdin: Self.echoEvent(action: ""))
        #expect(off.status == 0)
        let stream = LogStream(off.stderr)
        stream.checkCommonRules(functionName: "lambdakit-echo", secrets: Self.secrets)
        #expect(stream.metricDocuments.isEmpty)
        #expect(!off.stderr.contains("_aws"))
        #expect(stream.summaries.count == 1)

        for (name, value) in [("METRICS", "no"), ("METRICS_NAMESPACE", "AWS/Lambda"), ("METRICS_NAMESPACE", ":x")] {
            let bad = try await ChildProcess.run(echo, environment: [name: value], stdin: Self.echoEvent(action: ""))
            #expect(bad.status == 2, "\(name)=\(value)")
            #expect(bad.stdout.isEmpty)
            #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
            #expect(bad.stderr.contains(name), "\(bad.stderr)")
        }
    }

    /// Lambda reads a line without `level` as INFO: above INFO it drops the metrics documents.
    @Test func warnsWhenLambdaWouldDropTheMetrics() async throws {
        let echo = try TestSupport.executable("lambdakit-echo")
        let filtered = try await ChildProcess.run(echo, environment: ["AWS_LAMBDA_LOG_LEVEL": "WARN"], stdin: Self.echoEvent(action: ""))
        #expect(filtered.status == 0)
        let stream = LogStream(filtered.stderr)
        #expect(stream.logLines.filter { ($0["message"]?.stringValue ?? "").contains("drops the metrics documents") }.count == 1)
        #expect(stream.metricDocuments.count == 1)
        for environment in [["AWS_LAMBDA_LOG_LEVEL": "INFO"], ["AWS_LAMBDA_LOG_LEVEL": "WARN", "METRICS": "off"]] {
            let quiet = try await ChildProcess.run(echo, environment: environment, stdin: Self.echoEvent(action: ""))
            #expect(!quiet.stderr.contains("drops the metrics documents"), "\(environment)")
        }
    }

    @Test func stdinModeAuthorizer() async throws {
        let result = try await ChildProcess.run(
            try TestSupport.executable("authorizer"), environment: Self.authorizerEnvironment,
            stdin: Self.authorizerEvent(requestId: "api-authz-1")
        )
        #expect(result.status == 3, "\(result.stderr)")
        #expect(try TestSupport.json(Array(result.stdout.dropLast()))["errorMessage"] as? String == "Unauthorized")
        #expect(!String(decoding: result.stdout, as: UTF8.self).contains(Self.secretToken))
        let stream = LogStream(result.stderr)
        stream.checkCommonRules(functionName: "authorizer", secrets: Self.secrets)
        let document = try #require(stream.metricDocuments.first)
        #expect(stream.metricDocuments.count == 1)
        // The authorizer records why it refused (the token is not a JWS), so refusals are counted by reason.
        #expect(document["Outcome"]?.stringValue == "malformed")
        #expect(document["family"]?.stringValue == "event")
        #expect(document["Faults"] == .int(0))
        #expect(stream.summaries.count == 1)
        #expect(stream.logLines.count >= 2, "the refusal line and the summary")
        for line in stream.logLines {
            #expect(line["apiRequestId"]?.stringValue == "api-authz-1", "\(line)")
            #expect(line["coldStart"] == .bool(true))
            #expect((line["requestId"]?.stringValue)?.hasPrefix("local-") == true)
        }
    }

    // MARK: Lambda mode

    /// Runs `executable` against a loopback Runtime API, sends `invocations`, stops it with
    /// SIGTERM and returns the outcomes and its stderr.
    static func lambdaMode(
        _ executable: String, environment: [String: String], invocations: [RuntimeAPIInvocation]
    ) async throws -> (outcomes: [RuntimeAPIOutcome], stderr: String) {
        let server = try await LambdaRuntimeAPIServer.start()
        var env = environment
        env["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
        let child = try ChildProcess(try TestSupport.executable(executable), environment: env)
        do {
            var outcomes: [RuntimeAPIOutcome] = []
            for invocation in invocations {
                outcomes.append(try await server.invoke(invocation, timeout: .seconds(30)))
            }
            child.terminate()
            #expect(try await child.wait(timeout: .seconds(10)) == 0)
            try await server.shutdown()
            return (outcomes, child.stderr)
        } catch {
            child.kill9IfRunning()
            try? await server.shutdown()
            throw error
        }
    }

    @Test func lambdaModeHTTP() async throws {
        let invocations = [
            RuntimeAPIInvocation(event: Self.echoEvent(action: "init-logger", requestId: "api-1"), requestId: "lambda-1", traceId: Self.traceId),
            RuntimeAPIInvocation(event: Self.echoEvent(action: "outcome:token_expired", requestId: "api-2"), requestId: "lambda-2", traceId: "Root=1-00000000-000000000000000000000002;Sampled=0"),
            RuntimeAPIInvocation(event: Array(#"{"Records":[]}"#.utf8), requestId: "lambda-3", traceId: nil),
        ]
        let (outcomes, stderr) = try await Self.lambdaMode(
            "lambdakit-echo", environment: ["AWS_LAMBDA_FUNCTION_NAME": "auth-me-prod", "LOG_LEVEL": "debug"], invocations: invocations)
        #expect(outcomes.map(\.kind) == [.response, .response, .error])
        let stream = LogStream(stderr)
        stream.checkCommonRules(functionName: "auth-me-prod", secrets: Self.secrets)
        let documents = stream.metricDocuments
        #expect(documents.map { $0["requestId"]?.stringValue } == ["lambda-1", "lambda-2", "lambda-3"])
        #expect(documents.map { $0["ColdStart"] } == [.int(1), .int(0), .int(0)])
        #expect(documents.map { $0["Outcome"]?.stringValue } == ["ok", "token_expired", "not_an_http_event"])
        #expect(documents.map { $0["Faults"] } == [.int(0), .int(0), .int(1)])
        #expect(stream.summaries.map { $0["requestId"]?.stringValue } == ["lambda-1", "lambda-2", "lambda-3"])
        // Every line of an invocation carries its ids: the request id ties a line to one of the three.
        let expected: [String: (api: String?, trace: String?, cold: Bool)] = [
            "lambda-1": ("api-1", Self.traceId, true),
            "lambda-2": ("api-2", "Root=1-00000000-000000000000000000000002;Sampled=0", false),
            "lambda-3": (nil, nil, false),
        ]
        #expect(stream.logLines.contains { $0["message"]?.stringValue == "from the init logger" && $0["requestId"]?.stringValue == "lambda-1" })
        for line in stream.logLines {
            let id = try #require(line["requestId"]?.stringValue, "a line without requestId: \(line)")
            let want = try #require(expected[id])
            #expect(line["apiRequestId"]?.stringValue == want.api, "\(line)")
            #expect(line["traceId"]?.stringValue == want.trace, "\(line)")
            #expect(line["coldStart"] == .bool(want.cold), "\(line)")
        }
    }

    @Test func lambdaModeAuthorizerAndMetricsOff() async throws {
        let invocations = (1...2).map {
            RuntimeAPIInvocation(event: Self.authorizerEvent(requestId: "api-authz-\($0)"), requestId: "lambda-authz-\($0)")
        }
        let (outcomes, stderr) = try await Self.lambdaMode(
            "authorizer", environment: Self.authorizerEnvironment.merging(["AWS_LAMBDA_FUNCTION_NAME": "authz"]) { _, new in new },
            invocations: invocations)
        #expect(outcomes.map(\.errorType) == ["Unauthorized", "Unauthorized"])
        let stream = LogStream(stderr)
        stream.checkCommonRules(functionName: "authz", secrets: Self.secrets)
        #expect(stream.metricDocuments.map { $0["Outcome"]?.stringValue } == ["malformed", "malformed"])
        #expect(stream.metricDocuments.map { $0["ColdStart"] } == [.int(1), .int(0)])
        #expect(stream.metricDocuments.map { $0["apiRequestId"]?.stringValue } == ["api-authz-1", "api-authz-2"])
        #expect(stream.summaries.count == 2)
        for line in stream.logLines {
            let id = try #require(line["requestId"]?.stringValue)
            #expect(line["apiRequestId"]?.stringValue == id.replacingOccurrences(of: "lambda-", with: "api-"), "\(line)")
        }

        let (_, quiet) = try await Self.lambdaMode(
            "authorizer", environment: Self.authorizerEnvironment.merging(["METRICS": "off"]) { _, new in new },
            invocations: [RuntimeAPIInvocation(event: Self.authorizerEvent(requestId: "api-q"), requestId: "lambda-q")])
        let quietStream = LogStream(quiet)
        quietStream.checkCommonRules(functionName: "authorizer", secrets: Self.secrets)
        #expect(quietStream.metricDocuments.isEmpty)
        #expect(quietStream.summaries.count == 1)
    }
}
