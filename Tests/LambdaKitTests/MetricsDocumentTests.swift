import InvocationTelemetry
import JSONValue
import Logging
import Synchronization
import Testing

@testable import LambdaKit

/// The EMF writer, the outcome bound and the settings, in process; `InvocationTelemetryTests`
/// reads the same documents off real processes.
@Suite("The metrics document and its rules")
struct MetricsDocumentTests {
    static func record(outcome: String = "ok", status: Int? = 200, result: InvocationRecord.Result = .answered, cold: Bool = true) -> InvocationRecord {
        InvocationRecord(
            functionName: "me", family: "httpV2", route: "GET /auth/me", status: status, outcome: outcome, result: result,
            durationNanoseconds: 12_345_678, coldStart: cold, requestId: "r-1", apiRequestId: "a-1",
            traceId: "Root=1-5759e988-bd862e3fe1be46a994272793", startEpochMs: 1_767_225_600_123
        )
    }

    @Test func documentFollowsTheSpecification() throws {
        let writer = EMFMetricsWriter(namespace: "CognitoLambdaAuth")
        for record in [Self.record(), Self.record(outcome: "upstream_timeout", status: 502), Self.record(outcome: "unauthorized", status: nil, result: .functionError, cold: false)] {
            let bytes = writer.document(record)
            #expect(bytes.last == UInt8(ascii: "\n"))
            #expect(!bytes.dropLast().contains(UInt8(ascii: "\n")), "one line")
            let line = Array(bytes.dropLast())
            #expect(EMFValidator.problems(line) == [])
            let document = try #require(try JSONValue.parse(line).objectValue)
            #expect(document["_aws"]?["Timestamp"] == .int(1_767_225_600_123))
            #expect(document["Latency"] == .double(12.345))
            #expect(document["Outcome"]?.stringValue == record.outcome)
            #expect(document["Faults"] == .int(record.isFault ? 1 : 0))
            #expect(document["ColdStart"] == .int(record.coldStart ? 1 : 0))
            #expect(LogStream.dimensionNames(document) == ["FunctionName", "Outcome"])
        }
        #expect(Self.record(outcome: "upstream_timeout", status: 502).isFault)
        #expect(Self.record(status: nil, result: .failed).isFault)
        #expect(!Self.record(outcome: "token_expired", status: 403).isFault)
    }

    /// The document's exact bytes (it is written from fragments joined once per process): with
    /// and without upstream calls, a fault, a cold start, and ids that need escaping.
    @Test func documentBytesAreExact() {
        let writer = EMFMetricsWriter(namespace: "N\"s")
        var record = Self.record(outcome: "upstream_timeout", status: 502)
        record.apiRequestId = "a\"1"
        record.upstreamCalls = [UpstreamCall(operation: "GetUser", outcome: "timeout", durationNanoseconds: 1_500_250_000)]
        #expect(
            String(decoding: writer.document(record), as: UTF8.self)
                == #"{"_aws":{"Timestamp":1767225600123,"CloudWatchMetrics":[{"Namespace":"N\"s","Dimensions":[["FunctionName"],["FunctionName","Outcome"]],"Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"},{"Name":"Faults","Unit":"Count"}]},{"Namespace":"N\"s","Dimensions":[["FunctionName"]],"Metrics":[{"Name":"ColdStart","Unit":"Count"}]},{"Namespace":"N\"s","Dimensions":[["FunctionName"]],"Metrics":[{"Name":"UpstreamCalls","Unit":"Count"},{"Name":"UpstreamLatency","Unit":"Milliseconds"},{"Name":"UpstreamErrors","Unit":"Count"},{"Name":"UpstreamTimeouts","Unit":"Count"},{"Name":"UpstreamThrottles","Unit":"Count"},{"Name":"JWKSFetches","Unit":"Count"}]}]},"FunctionName":"me","Outcome":"upstream_timeout","Requests":1,"Latency":12.345,"Faults":1,"ColdStart":1,"UpstreamCalls":1,"UpstreamLatency":[1500.250],"UpstreamErrors":1,"UpstreamTimeouts":1,"UpstreamThrottles":0,"JWKSFetches":0,"upstream":[{"operation":"GetUser","outcome":"timeout"}],"family":"httpV2","route":"GET /auth/me","status":502,"requestId":"r-1","apiRequestId":"a\"1","traceId":"Root=1-5759e988-bd862e3fe1be46a994272793"}"#
                + "\n")
        let event = InvocationRecord(
            functionName: "authorizer", family: "event", outcome: "allow", result: .answered, durationNanoseconds: 999,
            coldStart: false, requestId: "r-2", startEpochMs: 5)
        #expect(
            String(decoding: writer.document(event), as: UTF8.self)
                == #"{"_aws":{"Timestamp":5,"CloudWatchMetrics":[{"Namespace":"N\"s","Dimensions":[["FunctionName"],["FunctionName","Outcome"]],"Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"},{"Name":"Faults","Unit":"Count"}]},{"Namespace":"N\"s","Dimensions":[["FunctionName"]],"Metrics":[{"Name":"ColdStart","Unit":"Count"}]}]},"FunctionName":"authorizer","Outcome":"allow","Requests":1,"Latency":0.000,"Faults":0,"ColdStart":0,"family":"event","requestId":"r-2"}"#
                + "\n")
    }

    /// The function's name joined onto the directives at start writes the same bytes as writing it
    /// per document, and a record of another function still gets its own name.
    @Test func theProcessFunctionNameJoinedAtStartWritesTheSameBytes() {
        var withCalls = Self.record(outcome: "upstream_timeout", status: 502)
        withCalls.upstreamCalls = [UpstreamCall(operation: "JWKS", outcome: "ok", durationNanoseconds: 1_000)]
        var quoted = Self.record()
        quoted.functionName = "a\"b"
        for record in [Self.record(), withCalls, quoted] {
            let general = EMFMetricsWriter(namespace: "N").document(record)
            for name in ["me", "a\"b", "other"] {
                #expect(EMFMetricsWriter(namespace: "N", functionName: name).document(record) == general, "\(name) \(record.functionName)")
            }
        }
    }

    @Test func upstreamCallsAreMetrics() throws {
        var record = Self.record(outcome: "upstream_timeout", status: 502)
        record.upstreamCalls = [
            UpstreamCall(operation: "JWKS", outcome: "ok", durationNanoseconds: 2_000_000),
            UpstreamCall(operation: "GetUser", outcome: "timeout", durationNanoseconds: 1_500_250_000),
        ]
        let line = Array(EMFMetricsWriter(namespace: "N").document(record).dropLast())
        #expect(EMFValidator.problems(line) == [])
        let document = try #require(try JSONValue.parse(line).objectValue)
        #expect(document["UpstreamCalls"] == .int(2))
        #expect(document["UpstreamLatency"]?.arrayValue?.map(\.doubleValue) == [2.0, 1500.25])
        #expect(document["UpstreamErrors"] == .int(1))
        #expect(document["UpstreamTimeouts"] == .int(1))
        #expect(document["UpstreamThrottles"] == .int(0))
        #expect(document["JWKSFetches"] == .int(1))
        #expect(document["upstream"]?.arrayValue?.map { $0["operation"]?.stringValue } == ["JWKS", "GetUser"])
        #expect(LogStream.dimensionNames(document) == ["FunctionName", "Outcome"])
        // Without calls, no upstream directive and no upstream members.
        let plain = try #require(try JSONValue.parse(Array(EMFMetricsWriter(namespace: "N").document(Self.record()).dropLast())).objectValue)
        #expect(plain["UpstreamCalls"] == nil && plain["_aws"]?["CloudWatchMetrics"]?.arrayValue?.count == 2)
    }

    /// The validator is the test's oracle: each broken document must be refused.
    @Test func validatorRefusesBrokenDocuments() throws {
        let good = String(decoding: EMFMetricsWriter(namespace: "N").document(Self.record()).dropLast(), as: UTF8.self)
        #expect(EMFValidator.problems(Array(good.utf8)).isEmpty)
        let broken: [(String, String)] = [
            ("missing dimension member", good.replacingOccurrences(of: #","Outcome":"ok""#, with: "")),
            ("metric as a string", good.replacingOccurrences(of: #""Requests":1"#, with: #""Requests":"1""#)),
            ("missing metric member", good.replacingOccurrences(of: #","ColdStart":1"#, with: "")),
            ("bad unit", good.replacingOccurrences(of: #""Unit":"Milliseconds""#, with: #""Unit":"ms""#)),
            ("extra directive member", good.replacingOccurrences(of: #"{"Namespace":"N","#, with: #"{"Namespace":"N","Extra":1,"#)),
            ("no timestamp", good.replacingOccurrences(of: #""Timestamp":1767225600123,"#, with: "")),
            ("timestamp as a string", good.replacingOccurrences(of: #""Timestamp":1767225600123"#, with: #""Timestamp":"1767225600123""#)),
            ("extra _aws member", good.replacingOccurrences(of: #"{"_aws":{"#, with: #"{"_aws":{"LogGroup":"x","#)),
            ("text after the object", good + " trailing"),
            ("dimension value empty", good.replacingOccurrences(of: #""FunctionName":"me""#, with: #""FunctionName":"""#)),
            ("empty namespace", good.replacingOccurrences(of: #""Namespace":"N""#, with: #""Namespace":"""#)),
        ]
        for (name, text) in broken {
            #expect(text != good, "the mutation \(name) changed nothing")
            #expect(!EMFValidator.problems(Array(text.utf8)).isEmpty, "\(name) passed the validator")
        }
    }

    @Test func outcomeCodesAreBounded() {
        for code in ["ok", "token_expired", "allow", "http_404", String(repeating: "a", count: 64)] {
            #expect(InvocationOutcome.isBounded(code), "\(code)")
        }
        for code in ["", "Token_Expired", "a b", "user@example.com", "/auth/me", "eyJhbGciOi.x.y", String(repeating: "a", count: 65), "é"] {
            #expect(!InvocationOutcome.isBounded(code), "\(code)")
            #expect(InvocationOutcome.bounded(code) == "invalid_outcome")
        }
    }

    @Test func settings() throws {
        #expect(try MetricsSettings.fromEnvironment([:]).get() == MetricsSettings(enabled: true, namespace: "CognitoLambdaAuth"))
        #expect(try MetricsSettings.fromEnvironment(["METRICS": "off"]).get().enabled == false)
        #expect(try MetricsSettings.fromEnvironment(["METRICS": "on", "METRICS_NAMESPACE": "Team/Auth"]).get().namespace == "Team/Auth")
        for environment in [["METRICS": "false"], ["METRICS": "OFF"], ["METRICS_NAMESPACE": "AWS/Lambda"], ["METRICS_NAMESPACE": ":n"],
                            ["METRICS_NAMESPACE": "a\nb"], ["METRICS_NAMESPACE": String(repeating: "n", count: 256)]] {
            guard case .failure = MetricsSettings.fromEnvironment(environment) else {
                Issue.record("accepted \(environment)")
                continue
            }
        }
    }

    @Test func fixedPointNumbers() {
        for (value, digits, text) in [(12_345 as Int64, 3, "12.345"), (5, 3, "0.005"), (0, 3, "0.000"), (-1_500, 3, "-1.500"), (7, 0, "7")] {
            var writer = JSONWriter()
            writer.fixedPoint(value, fractionDigits: digits)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
        }
    }

    @Test func logLinesCarryTheInvocationIdsAtTheTopLevel() throws {
        final class Lines: Sendable {
            let storage = Mutex<[[UInt8]]>([])
        }
        let lines = Lines()
        var handler = JSONLogHandler(label: "t", logLevel: .info, sink: { line in lines.storage.withLock { $0.append(line) } })
        handler.metadataProvider = InvocationLogMetadata.provider
        let logger = Logger(label: "t", factory: { _ in handler })
        InvocationLogMetadata.$current.withValue(
            InvocationLogMetadata.make(requestId: "r-9", traceId: "Root=1-x", coldStart: false, apiRequestId: "a-9")
        ) {
            logger.info("inside", metadata: ["k": "v"])
        }
        logger.info("outside")
        let parsed = try lines.storage.withLock { $0 }.map { try #require(try JSONValue.parse($0).objectValue) }
        #expect(parsed.count == 2)
        #expect(parsed[0]["requestId"]?.stringValue == "r-9")
        #expect(parsed[0]["apiRequestId"]?.stringValue == "a-9")
        #expect(parsed[0]["traceId"]?.stringValue == "Root=1-x")
        #expect(parsed[0]["coldStart"] == .bool(false))
        #expect(parsed[0]["metadata"] == .object(["k": .string("v")]))
        #expect(parsed[1]["requestId"] == nil && parsed[1]["coldStart"] == nil)
    }
}
