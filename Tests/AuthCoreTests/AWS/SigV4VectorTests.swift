import AuthCore
import FoundationEssentials
import Foundation
import Testing

/// AWS's published Signature Version 4 test suite (aws-c-auth's `v4` cases), read in place from
/// ../shared/vectors/aws-sigv4: every case's header-signing canonical request, string to sign,
/// signature and Authorization header. (The `query-*` files are presigned URLs, which the product
/// never makes.)
@Suite("SigV4 signer: AWS's test suite (../shared/vectors/aws-sigv4)")
struct SigV4VectorTests {
    static let suite = "vectors/aws-sigv4"

    static var cases: [String] {
        let directory = SharedVectors.path(suite)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(directory)/\($0)/header-signature.txt") }.sorted()
    }

    @Test("the suite is there and has its 38 cases", .enabled(if: SharedVectors.exists(suite), "../shared/vectors/aws-sigv4 is absent: skipped"))
    func suiteIsComplete() {
        #expect(Self.cases.count == 38)
    }

    @Test(
        "canonical request, string to sign, signature and Authorization match", .enabled(if: SharedVectors.exists(suite), "../shared/vectors/aws-sigv4 is absent: skipped"),
        arguments: cases)
    func vector(_ name: String) throws {
        let vector = try SigV4Vector(directory: SharedVectors.path("\(Self.suite)/\(name)"))
        let signed = vector.sign()
        #expect(signed.canonicalRequest == vector.expected("header-canonical-request.txt"))
        #expect(signed.stringToSign == vector.expected("header-string-to-sign.txt"))
        #expect(signed.signature == vector.expected("header-signature.txt"))
        let authorization = vector.expected("header-signed-request.txt").split(separator: "\n").first { $0.hasPrefix("Authorization:") }
        #expect(authorization.map { String($0.dropFirst("Authorization:".count)) } == signed.authorization)
    }

    @Test("a changed byte anywhere changes the signature (the checks above can fail)")
    func tamperedInputsFail() throws {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")
        let time = SigV4Timestamp(epochSeconds: 1_440_938_160)
        let base = signer.sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], timestamp: time)
        // get-vanilla's published signature.
        #expect(base.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        let variants = [
            signer.sign(method: "POST", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], timestamp: time),
            signer.sign(method: "GET", path: "/a", headers: [("Host", "example.amazonaws.com")], body: [], timestamp: time),
            signer.sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.con")], body: [], timestamp: time),
            signer.sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [0x20], timestamp: time),
            signer.sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], timestamp: SigV4Timestamp(epochSeconds: 1_440_938_161)),
            SigV4Signer(credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz"), region: "us-east-1", service: "service")
                .sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], timestamp: time),
            SigV4Signer(credentials: credentials, region: "us-east-2", service: "service")
                .sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [], timestamp: time),
        ]
        for variant in variants { #expect(variant.signature != base.signature) }
    }

    @Test("X-Amz-Date from epoch seconds across leap years, centuries and the far future")
    func timestamps() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
        formatter.timeZone = TimeZone(identifier: "UTC")
        for seconds: Int64 in [0, 1, 951_782_399, 951_782_400, 951_868_799, 1_440_938_160, 1_709_164_800, 4_102_444_799, 4_102_444_800, 253_402_300_799] {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
                .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            #expect(SigV4Timestamp(epochSeconds: seconds).amzDate == expected, "\(seconds)")
        }
    }
}

/// One case of the suite: `request.txt` parsed as an HTTP/1.1 request, `context.json`'s settings.
struct SigV4Vector {
    let directory: String
    let method: String
    let path: String
    let query: [(name: String, value: String)]
    let headers: [(name: String, value: String)]
    let body: [UInt8]
    let credentials: AWSCredentials
    let region: String
    let service: String
    let epochSeconds: Int64
    let normalize: Bool
    let signBody: Bool

    init(directory: String) throws {
        self.directory = directory
        let context = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(filePath: "\(directory)/context.json"))) as! [String: Any]
        let credentialsObject = context["credentials"] as! [String: Any]
        // omit_session_token: the token is added after signing, i.e. the signature is made without it.
        let omitToken = context["omit_session_token"] as? Bool ?? false
        credentials = AWSCredentials(
            accessKeyId: credentialsObject["access_key_id"] as! String,
            secretAccessKey: credentialsObject["secret_access_key"] as! String,
            sessionToken: omitToken ? nil : credentialsObject["token"] as? String)
        region = context["region"] as! String
        service = context["service"] as! String
        normalize = context["normalize"] as? Bool ?? true
        signBody = context["sign_body"] as? Bool ?? false
        let formatter = ISO8601DateFormatter()
        epochSeconds = Int64(formatter.date(from: context["timestamp"] as! String)!.timeIntervalSince1970)

        let raw = Array(try Data(contentsOf: URL(filePath: "\(directory)/request.txt")))
        // Head and body split at the first empty line.
        var headEnd = raw.count
        var bodyStart = raw.count
        for index in raw.indices where raw[index] == 0x0A && index + 1 < raw.count && raw[index + 1] == 0x0A {
            headEnd = index
            bodyStart = index + 2
            break
        }
        body = Array(raw[min(bodyStart, raw.count)...])
        let lines = String(decoding: raw[..<headEnd], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Request line: METHOD SP target SP HTTP/1.1, where the target may itself contain spaces.
        let requestLine = lines[0]
        let firstSpace = requestLine.firstIndex(of: " ")!
        let lastSpace = requestLine.lastIndex(of: " ")!
        method = String(requestLine[..<firstSpace])
        let target = String(requestLine[requestLine.index(after: firstSpace)..<lastSpace])
        let targetParts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(targetParts[0])
        var query: [(name: String, value: String)] = []
        if targetParts.count == 2, !targetParts[1].isEmpty {
            for pair in targetParts[1].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query.append((Self.percentDecoded(parts[0]), parts.count == 2 ? Self.percentDecoded(parts[1]) : ""))
            }
        }
        self.query = query
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            if line.first == " " || line.first == "\t" {
                // obs-fold: a continuation of the previous header's value.
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        self.headers = headers
    }

    func sign() -> SigV4Signer.Signed {
        SigV4Signer(credentials: credentials, region: region, service: service).sign(
            method: method, path: path, query: query, headers: headers, body: body,
            timestamp: SigV4Timestamp(epochSeconds: epochSeconds), normalizePath: normalize, addContentSHA256Header: signBody)
    }

    func expected(_ file: String) -> String {
        (try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? "<missing \(file)>"
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
