@testable import AuthCore
import Foundation
import JSONValue
import NIOCore

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
    static let endpoint: Result<String, Failure> = {
        guard let moto = MotoFixture.endpoint else { return .failure(Failure(description: "MOTO_ENDPOINT is not set")) }
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
        do { try process.run() } catch { return .failure(Failure(description: "cannot start the verifier: \(error)")) }
        // Its first line is the URL (the pipe stays open while it runs: read up to the newline).
        var bytes = Data()
        while !bytes.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            bytes.append(chunk)
        }
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("http://127.0.0.1:") else { return .failure(Failure(description: "verifier printed \(line)")) }
        return .success(line)
    }()

    static func client(credentials: AWSCredentials = credentials) throws -> DynamoDBClient {
        let url = try endpoint.get()
        return DynamoDBClient(
            region: region, credentials: credentials, endpoint: DynamoDBEndpoint(url: url, host: String(url.dropFirst("http://".count))))
    }

    /// A fresh table with the key schema and TTL attribute the README and the template document.
    static func createRevocationTable() async throws -> String {
        let table = "revocations-\(UInt32.random(in: 0...UInt32.max))"
        let client = try client()
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
            UpstreamRequest(url: try endpoint.get() + "/_verifier"), deadline: .now() + .seconds(10), maxBodyBytes: 4096)
        let json = try JSONValue.parse(response.body)
        return (Int(json["accepted"]?.int64Value ?? -1), Int(json["refused"]?.int64Value ?? -1))
    }

    static func store(table: String, cacheSeconds: Int64 = 0, retention: Int64 = RevocationConfig.defaultRetentionSeconds) throws -> RevocationStore {
        let url = try endpoint.get()
        let config = RevocationConfig(
            table: table, retentionSeconds: retention, cacheSeconds: cacheSeconds,
            aws: AWSEnvironment(region: region, credentials: credentials),
            endpoint: DynamoDBEndpoint(url: url, host: String(url.dropFirst("http://".count))))
        return RevocationStore(config: config)
    }
}
