import AuthCore
import AuthEndpoints
import Foundation
import JSONValue
import LambdaKit
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Replays events/revocation-sink/<case>.json through the sink's handler and compares the answer
/// (or function error) and the marks written with <case>.outcome.json. The store is a small
/// in-memory DynamoDB that applies UpdateItem's monotonic condition; the same events also run
/// through the real binary against moto (README "Revocation store").
@Suite("revocation-sink: recorded events replayed")
struct RevocationSinkReplayTests {
    static let directory: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(3)  // RevocationSinkReplayTests.swift, AuthEndpointsTests, Tests
        return components.joined(separator: "/") + "/events/revocation-sink"
    }()

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasSuffix(".outcome.json") }
            .map { String($0.dropLast(".json".count)) }.sorted()
    }

    @Test("the recorded events are there") func present() { #expect(Self.cases.count >= 15) }

    @Test("answer and writes as expected", arguments: cases)
    func replay(_ name: String) async throws {
        let event = Array(try Data(contentsOf: URL(filePath: "\(Self.directory)/\(name).json")))
        let expected = try JSONValue.parse(Array(try Data(contentsOf: URL(filePath: "\(Self.directory)/\(name).outcome.json"))))
        let table = MemoryTable()
        let handler = try EndpointFactory.revocationSink(environment: Self.environment, logger: Logger(label: "test"), transport: table)
        let context = LambdaContext(requestId: "replay", deadline: .now() + .seconds(60), logger: Logger(label: "test"))
        do {
            let answer = try JSONValue.parse(try await handler(event, context))
            #expect(answer == expected["result"], "\(name)")
        } catch let error as FunctionError {
            #expect(JSONValue.object(["errorType": .string(error.errorType), "errorMessage": .string(error.errorMessage)]) == expected["functionError"], "\(name)")
        }
        #expect(JSONValue.array(table.writes) == expected["writes"], "\(name)")
    }

    @Test("replaying a mark twice or an older one after it writes once (monotonic, idempotent)")
    func idempotent() async throws {
        let table = MemoryTable()
        let handler = try EndpointFactory.revocationSink(environment: Self.environment, logger: Logger(label: "test"), transport: table)
        let context = LambdaContext(requestId: "replay", deadline: .now() + .seconds(60), logger: Logger(label: "test"))
        let event = Array(try Data(contentsOf: URL(filePath: "\(Self.directory)/admin-user-global-sign-out.json")))
        _ = try await handler(event, context)
        let again = try JSONValue.parse(try await handler(event, context))
        #expect(again["marked"]?["result"] == .string("alreadyCovered"))
        let older = Array(String(decoding: event, as: UTF8.self).replacingOccurrences(of: "2026-12-07T00:30:00Z", with: "2026-12-06T00:30:00Z").utf8)
        let late = try JSONValue.parse(try await handler(older, context))
        #expect(late["marked"]?["result"] == .string("alreadyCovered"))
        #expect(table.writes.count == 1)
    }

    static let environment = [
        "AUTH_REVOCATION_TABLE": "auth-revocations", "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret", "COGNITO_USER_POOL_ID": "us-east-1_Ab12CdE3F",
    ]
}

/// UpdateItem with the store's condition (`attribute_not_exists(#t) OR #t < :t`) on one table, in memory.
final class MemoryTable: UpstreamTransport {
    private let rows = Mutex<[String: Int64]>([:])
    private let written = Mutex<[JSONValue]>([])
    var writes: [JSONValue] { written.withLock { $0 } }

    func send(_ request: UpstreamRequest, deadline: NIODeadline, maxBodyBytes: Int) async throws(UpstreamError) -> UpstreamResponse {
        guard request.headers.first(name: "X-Amz-Target") == "DynamoDB_20120810.UpdateItem", request.headers.first(name: "Authorization") != nil,
            let body = try? JSONValue.parse(request.body ?? []), let sub = body["Key"]?["sub"]?["S"]?.stringValue,
            let t = body["ExpressionAttributeValues"]?[":t"]?["N"]?.stringValue.flatMap({ Int64($0) }),
            let x = body["ExpressionAttributeValues"]?[":x"]?["N"]?.stringValue.flatMap({ Int64($0) }),
            let source = body["ExpressionAttributeValues"]?[":s"]?["S"]?.stringValue
        else { return UpstreamResponse(status: 400, headers: [:], body: Array(##"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException"}"##.utf8)) }
        let applied = rows.withLock { rows -> Bool in
            if let stored = rows[sub], stored >= t { return false }
            rows[sub] = t
            return true
        }
        guard applied else {
            return UpstreamResponse(status: 400, headers: [:], body: Array(##"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"}"##.utf8))
        }
        written.withLock { $0.append(.object(["sub": .string(sub), "revoked_before": .int(t), "expires_at": .int(x), "source": .string(source)])) }
        return UpstreamResponse(status: 200, headers: [:], body: Array("{}".utf8))
    }
}
