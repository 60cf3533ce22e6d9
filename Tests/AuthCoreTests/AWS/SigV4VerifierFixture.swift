@testable import AuthCore
import Foundation
import JSONValue
import NIOCore
import Synchronization

/// `scripts/sigv4-verifier` in front of moto (`MOTO_ENDPOINT`): every request is checked with
/// botocore's SigV4 before moto's DynamoDB sees it. One verifier per test process.
enum SigV4VerifierFixture {
    /// The key pair the verifier accepts (AWS's documentation example; not a real key).
    static let credentials = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        sessionToken: "FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDExampleToken+/=")
    static let region = "us-east-1"

    struct Failure: Error, CustomStringConvertible { var description: String }

    static let packageRoot: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(4)  // SigV4VerifierFixture.swift, AWS, AuthCoreTests, Tests
        return components.joined(separator: "/")
    }()

    /// The verifier's base URL, started on first use (it lives as long as the test process).
    static func endpoint() async throws -> String { try await started.value }

    /// A task, not a blocking `static let`: the verifier (Python importing botocore) takes seconds
    /// to print its URL on a loaded machine, and a lazy global that blocked for it held a thread of
    /// Swift's cooperative pool, and every other test that touched it another, until nothing ran
    /// (CI lost 5 s, and a retry under test became a timeout).
    private static let started = Task<String, any Error> { try await start() }

    private static func start() async throws -> String {
        guard let moto = MotoFixture.endpoint else { throw Failure(description: "MOTO_ENDPOINT is not set") }
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot + "/scripts/sigv4-verifier", "--upstream", moto, "--exit-with-parent"]
        var environment = ProcessInfo.processInfo.environment
        environment["SIGV4_VERIFIER_SESSION_TOKEN"] = credentials.sessionToken
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        // Not the test process's own streams: `swift test` waits for those to close.
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        // Read on Foundation's reader thread for as long as it runs, so the pipe never fills.
        let printed = Mutex<[UInt8]>([])
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            printed.withLock { $0 += chunk.prefix(max(0, 4096 - $0.count)) }
        }
        do { try process.run() } catch { throw Failure(description: "cannot start the verifier: \(error)") }
        // Its first line is the URL.
        let started = ContinuousClock.now
        while true {
            let bytes = printed.withLock { $0 }
            if let newline = bytes.firstIndex(of: 0x0A) {
                let line = String(decoding: bytes[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard line.hasPrefix("http://127.0.0.1:") else { throw Failure(description: "verifier printed \(line)") }
                return line
            }
            guard process.isRunning else { throw Failure(description: "the verifier exited (\(process.terminationStatus)) before printing its URL") }
            guard ContinuousClock.now - started < .seconds(120) else { throw Failure(description: "the verifier printed no URL within 120 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func client(credentials: AWSCredentials = credentials) async throws -> DynamoDBClient {
        let url = try await endpoint()
        return DynamoDBClient(
            region: region, credentials: credentials, endpoint: DynamoDBEndpoint(url: url, host: String(url.dropFirst("http://".count))))
    }

    /// A fresh table with the key schema and TTL attribute the README and the template document.
    static func createRevocationTable() async throws -> String {
        let table = "revocations-\(UInt32.random(in: 0...UInt32.max))"
        let client = try await client()
        let deadline = NIODeadline.now() + .seconds(60)
        _ = try await client.call("CreateTable", [
            "TableName": .string(table),
            "AttributeDefinitions": .array([.object(["AttributeName": .string("sub"), "AttributeType": .string("S")])]),
            "KeySchema": .array([.object(["AttributeName": .string("sub"), "KeyType": .string("HASH")])]),
            "BillingMode": .string("PAY_PER_REQUEST"),
        ], deadline: deadline)
        _ = try await client.call("UpdateTimeToLive", [
            "TableName": .string(table),
            "TimeToLiveSpecification": .object(["Enabled": .bool(true), "AttributeName": .string(RevocationStore.ttlAttribute)]),
        ], deadline: deadline)
        return table
    }

    /// The verifier's counts of accepted and refused requests.
    static func counts() async throws -> (accepted: Int, refused: Int) {
        let response = try await UpstreamHTTP.shared.send(
            UpstreamRequest(url: try await endpoint() + "/_verifier"), deadline: .now() + .seconds(10), maxBodyBytes: 4096)
        let json = try JSONValue.parse(response.body)
        return (Int(json["accepted"]?.int64Value ?? -1), Int(json["refused"]?.int64Value ?? -1))
    }

    static func store(table: String, cacheSeconds: Int64 = 0, retention: Int64 = RevocationConfig.defaultRetentionSeconds) async throws -> RevocationStore {
        let url = try await endpoint()
        let config = RevocationConfig(
            table: table, retentionSeconds: retention, cacheSeconds: cacheSeconds,
            aws: AWSEnvironment(region: region, credentials: credentials),
            endpoint: DynamoDBEndpoint(url: url, host: String(url.dropFirst("http://".count))))
        return RevocationStore(config: config)
    }
}
