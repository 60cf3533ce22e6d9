import AuthCore
import LambdaKit
import NIOCore

/// Extracts the bearer token of a request and verifies it locally, before any network call.
///
/// Semantics of the original service's `JWTBearer`: the scheme is case-insensitive, there is
/// exactly one Authorization header carrying exactly one token, and every refusal is a 403.
public struct BearerGuard: Sendable {
    let verifier: AccessTokenVerifier

    public init(verifier: AccessTokenVerifier) {
        self.verifier = verifier
    }

    /// The verified token and its compact form (needed for the Cognito call that follows).
    public struct Credentials: Sendable {
        public var token: String
        public var claims: VerifiedAccessToken
    }

    public func authenticate(_ request: HTTPRequest, deadline: NIODeadline) async throws(Problem) -> Credentials {
        let token = try Self.bearerToken(in: request)
        do {
            let claims = try await verifier.verify(token, deadline: deadline)
            return Credentials(token: token, claims: claims)
        } catch {
            throw ErrorTable.verification(error)
        }
    }

    /// The token of `Authorization: Bearer <token>`, or the problem the request has.
    static func bearerToken(in request: HTTPRequest) throws(Problem) -> String {
        try bearerToken(headerValues: request.headers["Authorization"])
    }

    /// The same rules over the values of every Authorization header of a request (any spelling
    /// of the name), for callers that read headers from something other than an `HTTPRequest`.
    static func bearerToken(headerValues values: [String]) throws(Problem) -> String {
        guard let value = values.first else { throw ErrorTable.missingCredentials }
        // Two Authorization headers are ambiguous: refuse rather than pick one.
        guard values.count == 1 else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        if let token = try asciiBearerToken(value) { return token }
        let parts = spaceSeparatedParts(value)
        guard let scheme = parts.first else { throw ErrorTable.missingCredentials }
        // A different scheme (Basic, Digest…) is a request without bearer credentials.
        // ASCII case-insensitive, as RFC 9110 §11.1 says; `lowercased()` would also fold
        // non-ASCII look-alikes.
        guard ExactText.equalIgnoringASCIICase(scheme, "bearer") else {
            throw Problem(
                status: 403, code: "invalid_authentication_scheme",
                detail: "Invalid authentication scheme", headers: [ErrorTable.bearerChallenge])
        }
        guard parts.count == 2 else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        let token = parts[1]
        guard token.utf8.count <= TokenLimits.maximumLength else { throw ErrorTable.invalidToken("Malformed token") }
        return String(token)
    }

    /// The same rules as `bearerToken(headerValues:)` for one ASCII value (every real
    /// Authorization header), in one pass over its bytes without splitting it into parts; nil
    /// when the value is not ASCII (the caller takes the Character-based path).
    private static func asciiBearerToken(_ value: String) throws(Problem) -> String? {
        var value = value
        // The first two space-separated parts, and whether there is a third. Performance: the
        // token (a kilobyte) is crossed a word at a time, twice: once for ASCII, once for a space.
        let found: (scheme: Range<Int>?, token: Range<Int>?, more: Bool)? = value.withUTF8 { bytes in
            guard ASCIIScan.isASCII(bytes) else { return nil }
            let space = UInt8(ascii: " ")
            var index = 0
            func skipSpaces() { while index < bytes.count, bytes[index] == space { index += 1 } }
            skipSpaces()
            guard index < bytes.count else { return (nil, nil, false) }
            let schemeStart = index
            index = ASCIIScan.firstSpace(bytes, from: index)
            let scheme = schemeStart..<index
            skipSpaces()
            guard index < bytes.count else { return (scheme, nil, false) }
            let tokenStart = index
            index = ASCIIScan.firstSpace(bytes, from: index)
            let token = tokenStart..<index
            skipSpaces()
            return (scheme, token, index < bytes.count)
        }
        guard let found else { return nil }
        guard let scheme = found.scheme else { throw ErrorTable.missingCredentials }
        let isBearer = value.withUTF8 { bytes in
            ExactText.equalIgnoringASCIICase(String(decoding: UnsafeBufferPointer(rebasing: bytes[scheme]), as: UTF8.self), "bearer")
        }
        guard isBearer else {
            throw Problem(
                status: 403, code: "invalid_authentication_scheme",
                detail: "Invalid authentication scheme", headers: [ErrorTable.bearerChallenge])
        }
        guard let token = found.token, !found.more else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        guard token.count <= TokenLimits.maximumLength else { throw ErrorTable.invalidToken("Malformed token") }
        return value.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[token]), as: UTF8.self) }
    }

    /// The value split on spaces, empty parts dropped. Performance: an ASCII value (every real
    /// Authorization header) is split on its bytes, which for ASCII is the same as the Character
    /// split it replaces; anything else keeps the Character split.
    static func spaceSeparatedParts(_ value: String) -> [Substring] {
        var copy = value
        // Byte offsets of the parts, found on the contiguous UTF-8 (nil: not ASCII).
        let ranges: [Range<Int>]? = copy.withUTF8 { bytes in
            var ranges: [Range<Int>] = []
            var start = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: " ") {
                    if index > start { ranges.append(start..<index) }
                    start = index + 1
                }
            }
            if bytes.count > start { ranges.append(start..<bytes.count) }
            return ranges
        }
        guard let ranges else { return value.split(separator: " ", omittingEmptySubsequences: true) }
        let utf8 = value.utf8
        return ranges.map { range in
            value[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
        }
    }
}
