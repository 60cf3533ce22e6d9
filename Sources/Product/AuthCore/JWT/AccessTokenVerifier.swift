import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Verifies Cognito access tokens locally: the nine-step pipeline of DESIGN.md.
///
/// Order: (1) compact form; (2) header JSON; (3) `alg` RS256, no `jku`/`jwk`/`x5u`/`x5c`/`crit`;
/// (4) `kid`; (5) the key; (6) the signature; then the payload is decoded and type-checked (2),
/// and (7) `exp`/`nbf`/`iat`, (8) `iss`, `token_use`, `client_id`. The payload is parsed only once
/// the signature has verified, so the JSON parser never sees forged claims.
public struct AccessTokenVerifier: Sendable {
    let jws: JWSVerifier
    let leewaySeconds: Double
    let expected: AccessTokenClaims.Expected
    let now: @Sendable () -> Double

    public var keys: JWKSCache { jws.keys }

    /// - Parameters:
    ///   - config: the expected issuer, client id and leeway.
    ///   - keys: the process-wide key cache.
    ///   - now: wall-clock seconds since 1970 (injectable for tests).
    public init(
        config: CognitoConfig,
        keys: JWKSCache,
        now: @escaping @Sendable () -> Double = AccessTokenVerifier.wallClockSeconds
    ) {
        self.jws = JWSVerifier(keys: keys)
        self.expected = AccessTokenClaims.Expected(issuer: config.issuer, clientId: config.clientId)
        let (seconds, attoseconds) = config.leeway.components
        self.leewaySeconds = max(0, Double(seconds) + Double(attoseconds) / 1e18)
        self.now = now
    }

    @Sendable
    public static func wallClockSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The verified token, or the first pipeline step it fails.
    ///
    /// Suspends only when the key set must be fetched (first use without a preloaded JWKS, or an
    /// unknown `kid` outside the penalty box); that fetch is bounded by `deadline`.
    public func verify(_ token: String, deadline: NIODeadline) async throws(TokenVerificationError) -> VerifiedAccessToken {
        try await verify(ArraySlice(token.utf8), deadline: deadline)
    }

    /// The same for the token's bytes (the authorizer reads them from its event without building
    /// a `String`).
    public func verify(_ token: ArraySlice<UInt8>, deadline: NIODeadline) async throws(TokenVerificationError) -> VerifiedAccessToken {
        let verified = try await jws.verify(token, deadline: deadline)
        let claims = try AccessTokenClaims.parse(verified.payload, expecting: expected)
        return try check(claims)
    }

    /// `scope` split on spaces, empty parts dropped: the same result as `split(separator: " ")`.
    /// ASCII (every Cognito scope) is split on bytes, which is the same thing there; anything
    /// else keeps the Character-based split (a space followed by a combining mark is one
    /// Character, not a separator).
    static func splitScopes(_ scope: String) -> [String] {
        var scope = scope
        return scope.withUTF8(splitASCIIScopes) ?? scope.split(separator: " ").map(String.init)
    }

    /// The byte split of `splitScopes` for UTF-8 that is all ASCII; nil for anything else.
    static func splitASCIIScopes(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        var parts: [String] = []
        parts.reserveCapacity(8)
        var start = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 { return nil }
            if byte == UInt8(ascii: " ") {
                if index > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                start = index + 1
            }
        }
        if bytes.count > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
        return parts
    }

    /// Steps 7 and 8 on signature-verified claims.
    func check(_ claims: AccessTokenClaims) throws(TokenVerificationError) -> VerifiedAccessToken {
        let now = self.now()
        // Step 7. RFC 7519 §4.1.4: the token is valid only before exp.
        guard now < claims.exp + leewaySeconds else { throw .expired }
        if let nbf = claims.nbf, now + leewaySeconds < nbf { throw .notYetValid }
        if let iat = claims.iat, iat > now + leewaySeconds { throw .issuedInFuture }
        // Step 8. Missing claims fail the same way as wrong ones.
        guard claims.iss.isEqual else { throw .wrongIssuer }
        // Cognito ID tokens carry token_use "id" and aud instead of client_id: never accepted here.
        // (`expected.tokenUse` is "access".)
        guard claims.tokenUse.isEqual else { throw .wrongTokenUse }
        guard claims.clientId.isEqual else { throw .wrongClient }
        guard claims.payload.hasNonEmptyString(claims.payload.sub) else { throw .malformed("sub claim missing") }
        guard claims.payload.hasNonEmptyString(claims.payload.username) else { throw .malformed("username claim missing") }
        return VerifiedAccessToken(
            clientId: expected.clientId,
            exp: Int64(claims.exp.rounded(.down)),
            iat: claims.iat.map { Int64($0.rounded(.down)) },
            authTime: claims.authTime.map { Int64($0.rounded(.down)) },
            payload: claims.payload
        )
    }
}
