import CognitoEmulator
import Foundation
import JSONValue
import LambdaRuntimeAPIServer

/// `scripts/bench local-api`: a warm `me` with a valid token, through the local API, against the
/// same invocations (the very event the gateway builds) posted straight to a `me` process's
/// Runtime API (`/_loopback/invoke`). Alternating slices, bounded counts, loopback only.
public enum LocalAPIBench {
    public static func run(options: LocalAPIOptions, iterations: Int, print: @Sendable (String) -> Void) async throws {
        var options = options
        options.port = 0
        options.cognitoPort = 0
        options.concurrency = 1
        options.log = { _ in }
        options.functionOutput = FileHandle.nullDevice
        let api = try await LocalAPI.start(options)
        var direct: (server: LambdaRuntimeAPIServer, process: Process)?
        do {
            guard let emulator = api.emulator else { throw LocalAPIError("the bench needs the emulator") }
            guard let me = api.stack.routes.first(where: { $0.routeKey == "GET /auth/me" }) else {
                throw LocalAPIError("the template has no GET /auth/me route")
            }
            let function = api.stack.functions[me.functionId]!
            let token = try accessToken(emulator)
            let client = try RawHTTPClient(port: api.port)
            let headers = [("Authorization", "Bearer \(token)")]
            let first = try client.send(method: "GET", path: "/auth/me", headers: headers)
            guard first.status == 200 else { throw LocalAPIError("GET /auth/me answered \(first.status): \(String(decoding: first.body, as: UTF8.self))") }

            // The same event, straight to a second `me` process's Runtime API.
            let builder = EventBuilder(accountId: api.stack.accountId, apiId: me.apiId, region: api.stack.region)
            let request = GatewayRequest(
                method: "GET", target: "/auth/me", headers: [("Host", "127.0.0.1")] + headers + [("Content-Length", "0")],
                body: [], sourceIp: "127.0.0.1")
            let context = EventBuilder.Context(
                requestId: "bench", routeKey: me.routeKey, pathParameters: [:], timeEpochMs: Int64(Date().timeIntervalSince1970 * 1000))
            let event = builder.event(request, context, authorizerContext: nil)
            let server = try await LambdaRuntimeAPIServer.start()
            var environment = function.environment
            environment["AWS_LAMBDA_RUNTIME_API"] = server.runtimeAPIAddress
            environment["AWS_LAMBDA_FUNCTION_NAME"] = function.logicalId
            let process = Process()
            process.executableURL = URL(fileURLWithPath: options.binDirectory + "/" + function.executableName)
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            direct = (server, process)
            let directClient = try RawHTTPClient(port: server.port)
            let warm = try directClient.send(method: "POST", path: "/_loopback/invoke", body: event)
            guard warm.status == 200 else { throw LocalAPIError("direct invoke answered \(warm.status)") }

            var throughServer: [Double] = []
            var straight: [Double] = []
            let slice = 50
            var done = 0
            let started = ContinuousClock.now
            while done < iterations {
                for _ in 0..<slice {
                    let t0 = ContinuousClock.now
                    let answer = try client.send(method: "GET", path: "/auth/me", headers: headers)
                    throughServer.append(milliseconds(ContinuousClock.now - t0))
                    guard answer.status == 200 else { throw LocalAPIError("GET /auth/me answered \(answer.status)") }
                }
                for _ in 0..<slice {
                    let t0 = ContinuousClock.now
                    let answer = try directClient.send(method: "POST", path: "/_loopback/invoke", body: event)
                    straight.append(milliseconds(ContinuousClock.now - t0))
                    guard answer.status == 200 else { throw LocalAPIError("direct invoke answered \(answer.status)") }
                }
                done += slice
            }
            let total = milliseconds(ContinuousClock.now - started) / 1000
            let server50 = percentile(throughServer, 0.5), server99 = percentile(throughServer, 0.99)
            let direct50 = percentile(straight, 0.5), direct99 = percentile(straight, 0.99)
            let serverRate = Double(throughServer.count) / (throughServer.reduce(0, +) / 1000)
            let directRate = Double(straight.count) / (straight.reduce(0, +) / 1000)
            print("warm me, \(iterations) requests each way, alternating slices of \(slice), \(String(format: "%.1f", total)) s")
            print(String(format: "through the local API:     %7.0f req/s  p50 %.2f ms  p99 %.2f ms", serverRate, server50, server99))
            print(String(format: "straight to the Runtime API: %5.0f req/s  p50 %.2f ms  p99 %.2f ms", directRate, direct50, direct99))
            print(String(format: "local-api overhead p50: %.1f ms", server50 - direct50))
        } catch {
            await cleanup(api, direct)
            throw error
        }
        await cleanup(api, direct)
    }

    static func cleanup(_ api: LocalAPI, _ direct: (server: LambdaRuntimeAPIServer, process: Process)?) async {
        if let direct {
            direct.process.terminate()
            direct.process.waitUntilExit()
            try? await direct.server.shutdown()
        }
        await api.shutdown()
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    static func accessToken(_ emulator: CognitoEmulatorServer) throws -> String {
        let user = emulator.options.users[0]
        let body = JSONWriter.serialize(.object([
            "AuthFlow": .string("USER_PASSWORD_AUTH"), "ClientId": .string(emulator.options.clientId),
            "AuthParameters": .object(["USERNAME": .string(user.username), "PASSWORD": .string(user.password)]),
        ]))
        let client = try RawHTTPClient(port: emulator.port)
        let answer = try client.send(
            method: "POST", path: "/",
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")],
            body: body)
        guard answer.status == 200, let token = (try? JSONValue.parse(answer.body))?["AuthenticationResult"]?["AccessToken"]?.stringValue
        else { throw LocalAPIError("InitiateAuth answered \(answer.status)") }
        return token
    }
}
