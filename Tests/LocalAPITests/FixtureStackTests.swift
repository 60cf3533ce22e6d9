import Foundation
import LocalAPI
import NIOHTTP1
import Testing

/// The fixture template: a test-only authorizer and a test function that crashes, sleeps, fails,
/// answers a bare JSON value; the real `me` behind the authorizer.
@Suite("Local API: authorizer, failures, concurrency", .serialized)
struct FixtureStackTests {
    @Test func protectedRouteWithValidForgedAndGroupRefusedTokens() async throws {
        try await LocalAPIFixture.with(fixture: true) { fixture in
            let token = try await fixture.accessToken()
            let valid = try await fixture.send(.GET, "/protected/me", headers: [("Authorization", "Bearer \(token)")])
            #expect(valid.status == 200, "\(valid.text)")
            #expect(try valid.json()["username"] as? String == "demo")
            #expect(fixture.logLines.all.last?.contains("authorizer TestAuthorizerFunction") == true)

            // One character in the middle of the signature changed: a forged token.
            var characters = Array(token)
            let index = token.count - 40
            characters[index] = characters[index] == "A" ? "B" : "A"
            let forged = String(characters)
            let refused = try await fixture.send(.GET, "/protected/me", headers: [("Authorization", "Bearer \(forged)")])
            #expect(refused.status == 403)
            #expect(refused.text == #"{"message":"Forbidden"}"#)

            // A valid token without the admins group.
            let admin = try await fixture.send(.GET, "/admin/me", headers: [("Authorization", "Bearer \(token)")])
            #expect(admin.status == 403)
            #expect(admin.text == #"{"message":"Forbidden"}"#)

            let missing = try await fixture.send(.GET, "/protected/me")
            #expect(missing.status == 401)
            #expect(missing.text == #"{"message":"Unauthorized"}"#)

            // The answer is cached per identity source (Authorization + method + path).
            let again = try await fixture.send(.GET, "/protected/me", headers: [("Authorization", "Bearer \(token)")])
            #expect(again.status == 200)
            #expect(fixture.logLines.all.last?.contains("authorizer cached") == true)
        }
    }

    @Test func theAuthorizerContextReachesTheFunction() async throws {
        try await LocalAPIFixture.with(fixture: true) { fixture in
            let token = try await fixture.accessToken()
            let protected = try await fixture.send(.GET, "/protected/echo", headers: [("Authorization", "Bearer \(token)")])
            #expect(protected.status == 200)
            let protectedEvent = try #require(try protected.json()["event"] as? [String: Any])
            let authorizer = (protectedEvent["requestContext"] as? [String: Any])?["authorizer"] as? [String: Any]
            let lambda = try #require(authorizer?["lambda"] as? [String: Any])
            #expect(lambda["username"] as? String == "demo")
            #expect(lambda["groups"] as? String == "users")

            let answer = try await fixture.send(
                .POST, "/test/echo/x?a=1&a=2&b=%20c",
                headers: [("Content-Type", "application/octet-stream"), ("X-Multi", "one"), ("X-Multi", "two"), ("Cookie", "k1=v1; k2=v2")],
                body: [0, 1, 2, 255])
            #expect(answer.status == 200)
            let event = try #require(try answer.json()["event"] as? [String: Any])
            #expect(event["version"] as? String == "2.0")
            #expect(event["routeKey"] as? String == "ANY /test/{proxy+}")
            #expect(event["rawPath"] as? String == "/test/echo/x")
            #expect(event["rawQueryString"] as? String == "a=1&a=2&b=%20c")
            #expect(event["cookies"] as? [String] == ["k1=v1", "k2=v2"])
            let headers = try #require(event["headers"] as? [String: String])
            #expect(headers["x-multi"] == "one,two")
            #expect(headers["cookie"] == nil)
            #expect(event["queryStringParameters"] as? [String: String] == ["a": "1,2", "b": " c"])
            #expect(event["pathParameters"] as? [String: String] == ["proxy": "echo/x"])
            #expect(event["isBase64Encoded"] as? Bool == true)
            #expect(event["body"] as? String == Data([0, 1, 2, 255]).base64EncodedString())
            let context = try #require(event["requestContext"] as? [String: Any])
            #expect(context["stage"] as? String == "$default")
            #expect((context["http"] as? [String: Any])?["method"] as? String == "POST")
            #expect(context["timeEpoch"] is NSNumber)
            #expect(context["time"] is String)
            #expect((try answer.json()["env"] as? [String: String])?["GREETING"] == "hello-us-east-1")
            // cookies → Set-Cookie; CORS headers the function sets are dropped.
            #expect(answer.headers["Set-Cookie"] == ["first=1; Path=/", "second=2; Path=/"])
            #expect(answer.headers.first(name: "Access-Control-Allow-Origin") == nil)

            let item = try await fixture.send(.GET, "/items/42")
            #expect((try item.json()["event"] as? [String: Any])?["pathParameters"] as? [String: String] == ["id": "42"])
            let bare = try await fixture.send(.GET, "/test/bare")
            #expect(bare.status == 200)
            #expect(bare.headers.first(name: "Content-Type") == "application/json")
            #expect(bare.text == #"[1,"two",{"three":3}]"#)
            let failed = try await fixture.send(.GET, "/test/error")
            #expect(failed.status == 500)
            #expect(failed.text == #"{"message":"Internal Server Error"}"#)
        }
    }

    @Test func aCrashingFunctionIsReplaced() async throws {
        try await LocalAPIFixture.with(fixture: true, concurrency: 1) { fixture in
            let first = try await fixture.send(.GET, "/test/pid")
            let firstPid = try #require(try first.json()["pid"] as? Int)
            let crash = try await fixture.send(.GET, "/test/crash")
            #expect(crash.status == 500)
            #expect(crash.text == #"{"message":"Internal Server Error"}"#)
            let after = try await fixture.send(.GET, "/test/pid")
            #expect(after.status == 200)
            let afterPid = try #require(try after.json()["pid"] as? Int)
            #expect(afterPid != firstPid)
            #expect(fixture.logLines.all.last?.contains(" cold ") == true)
        }
    }

    @Test func timeoutsAnswerAsAPIGatewayDoes() async throws {
        try await LocalAPIFixture.with(fixture: true, concurrency: 1) { fixture in
            let first = try await fixture.send(.GET, "/test/pid")
            let firstPid = try #require(try first.json()["pid"] as? Int)
            // The function's Timeout (3 s) comes before the integration's 30 s: a Lambda error, 500.
            let lambda = try await fixture.send(.GET, "/test/sleep/20")
            #expect(lambda.status == 500)
            #expect(lambda.text == #"{"message":"Internal Server Error"}"#)
            // TimeoutInMillis 1000 comes before the function's 3 s: API Gateway gives up, 503.
            let gateway = try await fixture.send(.GET, "/gateway/sleep/20")
            #expect(gateway.status == 503)
            #expect(gateway.text == #"{"message":"Service Unavailable"}"#)
            let after = try await fixture.send(.GET, "/test/pid")
            #expect(after.status == 200)
            #expect(try after.json()["pid"] as? Int != firstPid)
        }
    }

    @Test func requestsAboveTheConcurrencyWaitTheirTurn() async throws {
        try await LocalAPIFixture.with(fixture: true, concurrency: 2) { fixture in
            let pids = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let answer = try await fixture.send(.GET, "/test/sleep/0.5")
                        return (answer.status, try answer.json()["pid"] as? Int ?? 0)
                    }
                }
                var results: [(Int, Int)] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(pids.allSatisfy { $0.0 == 200 })
            #expect(Set(pids.map(\.1)).count <= 2)
            let statistics = await fixture.api.poolStatistics("TestFunction")
            #expect(statistics.started <= 2)
            #expect(statistics.peakBusy <= 2)
            #expect(fixture.logLines.all.filter { $0.contains(" warm ") }.count >= 4)
        }
    }

    @Test func watchSwapsInNewProcessesWithoutDroppingRequestsInFlight() async throws {
        try await LocalAPIFixture.with(fixture: true, concurrency: 2) { fixture in
            let watched = FileManager.default.temporaryDirectory.appendingPathComponent("watched-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: watched, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: watched) }
            let source = watched.appendingPathComponent("main.swift")
            try "let a = 1\n".write(to: source, atomically: true, encoding: .utf8)
            let rebuilds = LocalAPIFixture.LogLines()
            let watcher = SourceWatcher(
                roots: [watched.path], interval: .milliseconds(100), api: fixture.api, log: { fixture.logLines.append($0) },
                rebuild: {
                    rebuilds.append("rebuild")
                    return true
                })
            let task = Task { await watcher.run() }
            defer { task.cancel() }
            let before = try await fixture.send(.GET, "/test/pid")
            let beforePid = try #require(try before.json()["pid"] as? Int)
            let generation = fixture.api.generation
            async let inFlight = fixture.send(.GET, "/test/sleep/2")
            try await Task.sleep(for: .milliseconds(500))
            try "let a = 2\n".write(to: source, atomically: true, encoding: .utf8)
            var waited = 0
            while fixture.api.generation == generation, waited < 200 {
                try await Task.sleep(for: .milliseconds(50))
                waited += 1
            }
            #expect(fixture.api.generation != generation)
            #expect(!rebuilds.all.isEmpty)
            let slow = try await inFlight
            #expect(slow.status == 200)
            let after = try await fixture.send(.GET, "/test/pid")
            #expect(after.status == 200)
            #expect(try after.json()["pid"] as? Int != beforePid)
        }
    }
}
