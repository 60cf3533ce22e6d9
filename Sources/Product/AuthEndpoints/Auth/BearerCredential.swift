import AuthCore
import JSONValue

/// The one bearer-credential parser of the product, for `BearerGuard` (me, logout) and the
/// authorizer alike: header values in, the token or a `CredentialFailure` out, no HTTP type.
///
/// Semantics of the original service's `JWTBearer`: the scheme is case-insensitive, there is
/// exactly one Authorization header carrying exactly one token, and the token is size-capped.
enum BearerCredential {
    /// The token of the values of every Authorization header of a request (any spelling of the name).
    static func token(headerValues values: [String]) throws(CredentialFailure) -> String {
        var value = try onlyValue(values)
        let ascii: Result<String?, CredentialFailure> = value.withUTF8 { bytes in
            do throws(CredentialFailure) {
                return .success(try asciiToken(bytes).map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) })
            } catch {
                return .failure(error)
            }
        }
        if let token = try ascii.get() { return token }
        return try token(characters: value)
    }

    /// The same rules over header values as their UTF-8 bytes (the authorizer's event fields); the
    /// token is a slice of the value, so it is not copied.
    static func token(headerValues values: some Collection<ArraySlice<UInt8>>) throws(CredentialFailure) -> ArraySlice<UInt8> {
        let value = try onlyValue(values)
        if let token = try value.withUnsafeBufferPointer({ (bytes) throws(CredentialFailure) in try asciiToken(bytes) }) {
            return value[(value.startIndex + token.lowerBound)..<(value.startIndex + token.upperBound)]
        }
        return ArraySlice(try token(characters: String(decoding: value, as: UTF8.self)).utf8)
    }

    private static func onlyValue<Values: Collection>(_ values: Values) throws(CredentialFailure) -> Values.Element {
        guard let value = values.first else { throw .missing }
        // Security: two Authorization headers are ambiguous: refuse rather than pick one.
        guard values.count == 1 else { throw .malformedHeader }
        return value
    }

    /// The rules for a value that is not all ASCII, on Characters.
    private static func token(characters value: String) throws(CredentialFailure) -> String {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard let scheme = parts.first else { throw .missing }
        // A different scheme (Basic, Digest…) is a request without bearer credentials.
        // ASCII case-insensitive, as RFC 9110 §11.1 says; `lowercased()` would also fold
        // non-ASCII look-alikes.
        guard ExactText.equalIgnoringASCIICase(scheme, "bearer") else { throw .notBearerScheme }
        guard parts.count == 2 else { throw .malformedHeader }
        let token = parts[1]
        guard token.utf8.count <= TokenLimits.maximumLength else { throw .oversizedToken }
        return String(token)
    }

    /// The same rules for one ASCII value (every real Authorization header), in one pass over its
    /// bytes without splitting it into parts: where the token is in it, or nil when the value is
    /// not ASCII (the caller takes the Character-based path).
    private static func asciiToken(_ bytes: UnsafeBufferPointer<UInt8>) throws(CredentialFailure) -> Range<Int>? {
        // Performance: the token (a kilobyte) is crossed sixteen bytes at a time, twice: once for
        // ASCII, once for a space (`ASCIIScan`).
        guard ASCIIScan.isASCII(bytes) else { return nil }
        let space = UInt8(ascii: " ")
        var index = 0
        func skipSpaces() { while index < bytes.count, bytes[index] == space { index += 1 } }
        skipSpaces()
        guard index < bytes.count else { throw .missing }
        let schemeStart = index
        index = ASCIIScan.firstSpace(bytes, from: index)
        guard ExactBytes.equalIgnoringASCIICase(UnsafeBufferPointer(rebasing: bytes[schemeStart..<index]), lowercase: "bearer") else {
            throw .notBearerScheme
        }
        skipSpaces()
        guard index < bytes.count else { throw .malformedHeader }
        let token = index..<ASCIIScan.firstSpace(bytes, from: index)
        index = token.upperBound
        skipSpaces()
        guard index == bytes.count else { throw .malformedHeader }
        guard token.count <= TokenLimits.maximumLength else { throw .oversizedToken }
        return token
    }
}
