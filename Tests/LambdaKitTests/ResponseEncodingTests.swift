import Foundation
import Logging
import NIOHTTP1
import Testing
@testable import LambdaKit

@Suite("Encoding responses per origin")
struct ResponseEncodingTests {
    static let cookieResponse: HTTPResponse = {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Set-Cookie", value: "a=1; Path=/; HttpOnly")
        headers.add(name: "X-Multi", value: "one")
        headers.add(name: "set-cookie", value: "b=2; Secure")
        headers.add(name: "x-multi", value: "two")
        headers.add(name: "Cache-Control", value: "no-store")
        return HTTPResponse(status: 201, headers: headers, body: #"{"ok":true,"text":"é\n\"q\""}"#)
    }()

    func encoded(_ response: HTTPResponse, _ origin: EventOrigin, multi: Bool = false) throws -> [String: Any] {
        try TestSupport.json(LambdaResponseEncoder.encode(response, origin: origin, albMultiValueHeaders: multi))
    }

    @Test func restV1SplitsHeadersSoNoneIsSentTwice() throws {
        let json = try encoded(Self.cookieResponse, .restV1)
        #expect(json["statusCode"] as? Int == 201)
        let headers = try #require(json["headers"] as? [String: String])
        let multi = try #require(json["multiValueHeaders"] as? [String: [String]])
        #expect(headers == ["Content-Type": "application/json", "Cache-Control": "no-store"])
        #expect(multi == ["Set-Cookie": ["a=1; Path=/; HttpOnly", "b=2; Secure"], "X-Multi": ["one", "two"]])
        #expect(Set(headers.keys.map { $0.lowercased() }).isDisjoint(with: multi.keys.map { $0.lowercased() }))
        #expect(json["body"] as? String == #"{"ok":true,"text":"é\n\"q\""}"#)
        #expect(json["isBase64Encoded"] as? Bool == false)
        #expect(json["cookies"] == nil)
        #expect(json["statusDescription"] == nil)
    }

    @Test(arguments: [EventOrigin.httpV2, .functionURL])
    func v2PutsSetCookieInCookies(origin: EventOrigin) throws {
        let json = try encoded(Self.cookieResponse, origin)
        #expect(json["statusCode"] as? Int == 201)
        #expect(json["cookies"] as? [String] == ["a=1; Path=/; HttpOnly", "b=2; Secure"])
        let headers = try #require(json["headers"] as? [String: String])
        #expect(headers == ["Content-Type": "application/json", "X-Multi": "one, two", "Cache-Control": "no-store"])
        #expect(json["multiValueHeaders"] == nil)
        #expect(json["isBase64Encoded"] as? Bool == false)
    }

    @Test func albWithAndWithoutMultiValueHeaders() throws {
        let multi = try encoded(Self.cookieResponse, .alb, multi: true)
        #expect(multi["statusDescription"] as? String == "201 Created")
        #expect(multi["headers"] == nil)
        let values = try #require(multi["multiValueHeaders"] as? [String: [String]])
        #expect(values["Set-Cookie"] == ["a=1; Path=/; HttpOnly", "b=2; Secure"])
        #expect(values["Content-Type"] == ["application/json"])

        let single = try encoded(HTTPResponse(status: 404, headers: ["Content-Type": "text/plain"], body: "nope"), .alb)
        #expect(single["statusDescription"] as? String == "404 Not Found")
        #expect(single["headers"] as? [String: String] == ["Content-Type": "text/plain"])
        #expect(single["body"] as? String == "nope")
        #expect(single["multiValueHeaders"] == nil)
    }

    @Test(arguments: EventOrigin.allCases)
    func binaryBodiesAreBase64(origin: EventOrigin) throws {
        let bytes = (0...255).map { UInt8($0) }
        let response = HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"], body: bytes)
        let json = try encoded(response, origin)
        #expect(json["isBase64Encoded"] as? Bool == true)
        let body = try #require(json["body"] as? String)
        #expect(Data(base64Encoded: body).map(Array.init) == bytes)
    }

    @Test func textTypesWithInvalidUTF8FallBackToBase64() throws {
        let response = HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: [0x66, 0xFF, 0xFE])
        let json = try encoded(response, .httpV2)
        #expect(json["isBase64Encoded"] as? Bool == true)
        #expect(json["body"] as? String == Data([0x66, 0xFF, 0xFE]).base64EncodedString())
    }

    @Test func textDetection() {
        for type in ["text/html; charset=utf-8", "application/json", "application/problem+json", "Application/JSON",
                     "image/svg+xml", "application/x-www-form-urlencoded"] {
            #expect(LambdaResponseEncoder.isTextual(type), "\(type)")
        }
        for type in ["application/octet-stream", "image/png", "application/pdf", ""] {
            #expect(!LambdaResponseEncoder.isTextual(type), "\(type)")
        }
        // No content type: only an empty body is text.
        let untyped = LambdaResponseEncoder.encode(HTTPResponse(status: 200, body: "x"), origin: .httpV2)
        #expect(String(decoding: untyped, as: UTF8.self).contains(#""isBase64Encoded":true"#))
    }

    @Test func emptyBodyAndControlCharacters() throws {
        let empty = try encoded(HTTPResponse(status: 204), .httpV2)
        #expect(empty["body"] as? String == "")
        #expect(empty["isBase64Encoded"] as? Bool == false)
        let control = String(decoding: [0x01, 0x1F, 0x09, 0x5C, 0x22, 0x2F], as: UTF8.self)
        let json = try encoded(HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: control), .restV1)
        #expect(json["body"] as? String == control)
    }

    @Test func encodingIsDeterministic() {
        let first = LambdaResponseEncoder.encode(Self.cookieResponse, origin: .restV1)
        for _ in 0..<5 {
            #expect(LambdaResponseEncoder.encode(Self.cookieResponse, origin: .restV1) == first)
        }
        #expect(String(decoding: first, as: UTF8.self).hasPrefix(#"{"statusCode":201,"headers":{"Content-Type":"application/json","#))
    }

    /// Request in (base64 body), response out, for the origin the request came from.
    @Test func roundTripKeepsTheOriginAndBinaryBodies() throws {
        let events: [(String, EventOrigin)] = [
            (#"{"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"POST"}},"body":"3q2+7w==","isBase64Encoded":true}"#, .httpV2),
            (#"{"version":"2.0","rawPath":"/","requestContext":{"domainName":"x.lambda-url.us-east-1.on.aws","http":{"method":"POST"}},"body":"3q2+7w==","isBase64Encoded":true}"#, .functionURL),
            (#"{"httpMethod":"POST","resource":"/","path":"/","body":"3q2+7w==","isBase64Encoded":true}"#, .restV1),
            (#"{"httpMethod":"POST","path":"/","requestContext":{"elb":{}},"multiValueHeaders":{},"body":"3q2+7w==","isBase64Encoded":true}"#, .alb),
        ]
        for (event, origin) in events {
            let request = try LambdaEventDecoder.decode(Array(event.utf8))
            #expect(request.origin == origin)
            #expect(request.body == [0xDE, 0xAD, 0xBE, 0xEF])
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/octet-stream")
            headers.add(name: "Set-Cookie", value: "s=1")
            headers.add(name: "Set-Cookie", value: "t=2")
            let json = try TestSupport.json(
                LambdaResponseEncoder.encode(HTTPResponse(status: 200, headers: headers, body: request.body), for: request)
            )
            #expect(json["body"] as? String == "3q2+7w==")
            #expect(json["isBase64Encoded"] as? Bool == true)
            switch origin {
            case .httpV2, .functionURL: #expect(json["cookies"] as? [String] == ["s=1", "t=2"])
            case .restV1: #expect((json["multiValueHeaders"] as? [String: [String]])?["Set-Cookie"] == ["s=1", "t=2"])
            case .alb:
                #expect((json["multiValueHeaders"] as? [String: [String]])?["Set-Cookie"] == ["s=1", "t=2"])
                #expect(json["statusDescription"] as? String == "200 OK")
            }
        }
    }
}

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [[UInt8]] = []
        func append(_ line: [UInt8]) { lock.withLock { storage.append(line) } }
        var all: [[UInt8]] { lock.withLock { storage } }
    }

    @Test func linesCarryTimeLevelMessageRequestIdAndMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "t") { label in
            JSONLogHandler(label: label, logLevel: .info, sink: { lines.append($0) })
        }
        logger[metadataKey: "requestId"] = "req-1"
        logger.debug("hidden")
        logger.info("hello \"world\"", metadata: ["k": "v", "n": .array(["1", "2"])])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
        let json = try TestSupport.json(Array(line.dropLast()))
        #expect(json["level"] as? String == "INFO")
        #expect(json["message"] as? String == "hello \"world\"")
        #expect(json["requestId"] as? String == "req-1")
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["k"] as? String == "v")
        #expect(metadata["n"] as? [String] == ["1", "2"])
        let time = try #require(json["time"] as? String)
        #expect(time.count == 24 && time.hasSuffix("Z") && time.contains("T"))
    }

    /// Lambda's JSON log format filters on `level` and reads an unknown name as INFO: every
    /// swift-log level must come out as one of Lambda's six names, and round-trip through the
    /// parser that reads AWS_LAMBDA_LOG_LEVEL to a level no more verbose than itself.
    @Test func levelFieldCarriesLambdaLevelNames() throws {
        let expected: [(Logger.Level, String)] = [
            (.trace, "TRACE"), (.debug, "DEBUG"), (.info, "INFO"), (.notice, "INFO"), (.warning, "WARN"),
            (.error, "ERROR"), (.critical, "FATAL"),
        ]
        for (level, name) in expected {
            let lines = Lines()
            let logger = Logger(label: "t") { label in
                JSONLogHandler(label: label, logLevel: .trace, sink: { lines.append($0) })
            }
            logger.log(level: level, "m")
            let line = try #require(lines.all.first)
            let json = try TestSupport.json(Array(line.dropLast()))
            #expect(json["level"] as? String == name, "\(level)")
            let parsed = try #require(LogLevelSetting.parse(name))
            #expect(parsed <= level, "\(name) read back as \(parsed)")
        }
        // A filter at WARN (AWS_LAMBDA_LOG_LEVEL, set by Lambda from ApplicationLogLevel) keeps
        // warnings and above and drops notices, as Lambda's own filter does with their INFO name.
        let lines = Lines()
        let level = LogLevelSetting.fromEnvironment(["AWS_LAMBDA_LOG_LEVEL": "WARN", "LOG_LEVEL": "trace"])
        let logger = Logger(label: "t") { label in JSONLogHandler(label: label, logLevel: level, sink: { lines.append($0) }) }
        logger.notice("dropped")
        logger.warning("kept")
        logger.critical("kept")
        let names = try lines.all.map { try TestSupport.json(Array($0.dropLast()))["level"] as? String }
        #expect(names == ["WARN", "FATAL"])
    }

    /// The line is written from three metadata sources in place: for each key, the event's value
    /// wins over the metadata provider's, which wins over the handler's, for the lifted ids and
    /// for the rest (sorted by key under `metadata`), and no key appears twice.
    @Test func eventMetadataWinsOverProviderOverHandler() throws {
        let lines = Lines()
        let provider = Logger.MetadataProvider {
            ["traceId": "trace-provider", "apiRequestId": "api-provider", "shared": "provider", "fromProvider": "p"]
        }
        var logger = Logger(label: "t") { label in
            var handler = JSONLogHandler(label: label, logLevel: .info, sink: { lines.append($0) })
            handler.metadataProvider = provider
            return handler
        }
        logger[metadataKey: "requestId"] = "req-handler"
        logger[metadataKey: "traceId"] = "trace-handler"
        logger[metadataKey: "coldStart"] = .stringConvertible(true)
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "zeta"] = "z"
        logger.info("m", metadata: ["apiRequestId": "api-event", "shared": "event", "alpha": .dictionary(["b": "2", "a": "1"])])
        let line = try #require(lines.all.first)
        let text = String(decoding: line, as: UTF8.self)
        let afterTime = try #require(text.range(of: #"","level""#))
        #expect(
            text[afterTime.lowerBound...]
                == #"","level":"INFO","message":"m","requestId":"req-handler","apiRequestId":"api-event","traceId":"trace-provider","coldStart":true,"metadata":{"alpha":{"a":"1","b":"2"},"fromProvider":"p","shared":"event","zeta":"z"}}"#
                + "\n")
    }

    /// `time` is RFC 3339 UTC with milliseconds, written digit by digit: it reads back as now.
    @Test func timeIsRFC3339UTCWithMillisecondsOfNow() throws {
        let lines = Lines()
        let logger = Logger(label: "t") { label in JSONLogHandler(label: label, logLevel: .info, sink: { lines.append($0) }) }
        let before = Date()
        logger.info("m")
        let json = try TestSupport.json(Array(try #require(lines.all.first).dropLast()))
        let time = try #require(json["time"] as? String)
        #expect(time.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(time)")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: time))
        #expect(abs(parsed.timeIntervalSince(before)) < 60, "\(time)")
    }

    @Test func levelsFromTheEnvironment() {
        #expect(LogLevelSetting.fromEnvironment([:]) == .info)
        #expect(LogLevelSetting.fromEnvironment(["LOG_LEVEL": "debug"]) == .debug)
        #expect(LogLevelSetting.fromEnvironment(["LOG_LEVEL": "debug", "AWS_LAMBDA_LOG_LEVEL": "WARN"]) == .warning)
        #expect(LogLevelSetting.fromEnvironment(["AWS_LAMBDA_LOG_LEVEL": "FATAL"]) == .critical)
        #expect(LogLevelSetting.fromEnvironment(["LOG_LEVEL": "nonsense"]) == .info)
        #expect(LogLevelSetting.parse("TRACE") == .trace)
    }
}
