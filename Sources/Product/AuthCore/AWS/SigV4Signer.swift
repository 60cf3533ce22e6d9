import Crypto

/// AWS Signature Version 4 (header form), the one home of it in the product:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
///
/// `sign` builds the canonical request (method, URI-encoded and optionally normalized path,
/// sorted encoded query, lower-cased sorted headers with trimmed values, signed header list,
/// hex SHA-256 of the body), the string to sign (`AWS4-HMAC-SHA256`, the time, the scope
/// `date/region/service/aws4_request`, the hex SHA-256 of the canonical request), derives the
/// signing key (HMAC-SHA256 chain from `AWS4` + secret) and returns the headers to add:
/// `X-Amz-Date`, `X-Amz-Security-Token` (signed, when the credentials have one),
/// `x-amz-content-sha256` (only when asked: S3 needs it, DynamoDB does not) and `Authorization`.
/// Tested against AWS's published suite (../shared/vectors/aws-sigv4) and botocore.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// What signing produced: the headers to send and, for tests and debugging, the intermediate
    /// texts (which hold no secret: the session token is a header value anyway).
    public struct Signed: Sendable {
        /// In this order: `X-Amz-Date`, `X-Amz-Security-Token`?, `x-amz-content-sha256`?, `Authorization`.
        public var headers: [(name: String, value: String)]
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var authorization: String
    }

    /// Signs one request.
    /// - Parameters:
    ///   - path: the path as it goes on the wire (encoded again here, as SigV4 asks for every
    ///     service but S3); `normalizePath` removes `.`/`..` segments and empty segments first.
    ///   - query: decoded names and values (encoded and sorted here).
    ///   - headers: every header to sign, `Host` included; a name given more than once is one
    ///     canonical header whose values are joined with commas in the given order.
    public func sign(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], body: [UInt8], timestamp: SigV4Timestamp,
        normalizePath: Bool = true, addContentSHA256Header: Bool = false
    ) -> Signed {
        let payloadHash = Self.hex(SHA256.hash(data: body))
        var added: [(name: String, value: String)] = [("X-Amz-Date", timestamp.amzDate)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        if addContentSHA256Header { added.append(("x-amz-content-sha256", payloadHash)) }

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers + added)
        let canonicalRequest = [
            method,
            Self.canonicalURI(path, normalize: normalizePath),
            Self.canonicalQuery(query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let scope = "\(timestamp.dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp.amzDate, scope,
            Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")

        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(timestamp)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        added.append(("Authorization", authorization))
        return Signed(
            headers: added, canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization)
    }

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
    func signingKey(_ timestamp: SigV4Timestamp) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [String(timestamp.dateStamp), region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    // MARK: Canonical forms

    /// Lower-cased names sorted by byte, values trimmed with inner runs of spaces collapsed to one
    /// (the spec's Trimall), repeated names joined with commas; and the `;`-joined name list.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = String(decoding: header.name.utf8.map(asciiLowercased), as: UTF8.self)
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(trimAll(header.value))
        }
        let names = order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let lines = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    static func trimAll(_ value: String) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func canonicalURI(_ path: String, normalize: Bool) -> String {
        var path = path.isEmpty ? "/" : path
        if normalize { path = normalizedPath(path) }
        return uriEncode(path, keepSlash: true)
    }

    /// RFC 3986 dot-segment removal plus empty-segment removal; a trailing slash is kept.
    static func normalizedPath(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let joined = "/" + segments.joined(separator: "/")
        return path.hasSuffix("/") && joined != "/" ? joined + "/" : joined
    }

    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value, keepSlash: false)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Every byte but the unreserved ones (A-Z a-z 0-9 - . _ ~), and `/` when `keepSlash`, as
    /// %XX with upper-case hex.
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: "/") where keepSlash:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(upperHex[Int(byte >> 4)])
                out.append(upperHex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)
    private static let lowerHex = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        for byte in digest {
            out.append(lowerHex[Int(byte >> 4)])
            out.append(lowerHex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
