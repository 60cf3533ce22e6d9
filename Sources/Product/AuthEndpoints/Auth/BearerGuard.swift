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
        var value = try onlyValue(values)
        let ascii: Result<String?, Problem> = value.withUTF8 { bytes in
            do throws(Problem) {
                return .success(try asciiBearerToken(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) })
            } catch {
                return .failure(error)
            }
        }
        if let token = try ascii.get() { return token }
        return try bearerToken(characters: value)
    }

    /// The same rules over header values as their UTF-8 bytes (the authorizer's event fields); the
    /// token is a slice of the value, so it is not copied.
    static func bearerToken(headerValues values: some Collection<ArraySlice<UInt8>>) throws(Problem) -> ArraySlice<UInt8> {
        let value = try onlyValue(values)
        if let token = try value.withUnsafeBufferPointer({ (bytes) throws(Problem) in try asciiBearerToken(bytes) }) {
            return value[(value.startIndex + token.lowerBound)..<(value.startIndex + token.upperBound)]
        }
        return ArraySlice(try bearerToken(characters: String(decoding: value, as: UTF8.self)).utf8)
    }

    private static func onlyValue<Values: Collection>(_ values: Values) throws(Problem) -> Values.Element {
        guard let value = values.first else { throw ErrorTable.missingCredentials }
        // Two Authorization headers are ambiguous: refuse rather than pick one.
        guard values.count == 1 else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        return value
    }

    /// The rules for a value that is not all ASCII, on Characters.
    private static func bearerToken(characters value: String) throws(Problem) -> String {
        let parts = spaceSeparatedParts(value)
        guard let scheme = parts.first else { throw ErrorTable.missingCredentials }
        // A different scheme (Basic, Digest…) is a request without bearer credentials.
        // ASCII case-insensitive, as RFC 9110 §11.1 says; `lowercased()` would also fold
        // non-ASCII look-alikes.
        guard ExactText.equalIgnoringASCIICase(scheme, "bearer") else { throw invalidScheme }
        guard parts.count == 2 else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        let token = parts[1]
        guard token.utf8.count <= TokenLimits.maximumLength else { throw ErrorTable.invalidToken("Malformed token") }
        return String(token)
    }

    private static var invalidScheme: Problem {
        Problem(
            status: 403, code: "invalid_authentication_scheme",
            detail: "Invalid authentication scheme", headers: [ErrorTable.bearerChallenge])
    }

    /// The same rules for one ASCII value (every real Authorization header), in one pass over its
    /// bytes without splitting it into parts: where the token is in it, or nil when the value is
    /// not ASCII (the caller takes the Character-based path).
    private static func asciiBearerToken(_ bytes: UnsafeBufferPointer<UInt8>) throws(Problem) -> Range<Int>? {
        // Performance: the token (a kilobyte) is crossed sixteen bytes at a time, twice: once for
        // ASCII, once for a space (`ASCIIScan`).
        guard ASCIIScan.isASCII(bytes) else { return nil }
        let space = UInt8(ascii: " ")
        var index = 0
        func skipSpaces() { while index < bytes.count, bytes[index] == space { index += 1 } }
        skipSpaces()
        guard index < bytes.count else { throw ErrorTable.missingCredentials }
        let schemeStart = index
        index = ASCIIScan.firstSpace(bytes, from: index)
        guard ByteText.equalIgnoringASCIICase(UnsafeBufferPointer(rebasing: bytes[schemeStart..<index]), "bearer") else {
            throw invalidScheme
        }
        skipSpaces()
        guard index < bytes.count else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        let token = index..<ASCIIScan.firstSpace(bytes, from: index)
        index = token.upperBound
        skipSpaces()
        guard index == bytes.count else { throw ErrorTable.invalidToken("Malformed Authorization header") }
        guard token.count <= TokenLimits.maximumLength else { throw ErrorTable.invalidToken("Malformed token") }
        return token
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
