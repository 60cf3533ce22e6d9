import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Verifies Cognito access tokens locally: the pipeline README "Architecture" lists, in its order.
///
/// Order: (1) compact form; (2) header JSON; (3) `alg` RS256, no `jku`/`jwk`/`x5u`/`x5c`/`crit`;
/// (4) `kid`; (5) the key; (6) the signature; then the payload is decoded and type-checked (2),
/// and (7) `exp`/`nbf`/`iat`, (8) `iss` (one of the allowed issuers), `token_use`, the client
/// (a user token's among the accepted clients, a machine token's among the machine clients) and,
/// when required, `aud`. The payload is parsed only once the signature has verified, so the JSON
/// parser never sees forged claims.
///
/// Every allowed issuer is an issuer of the one configured pool, so the one key set
/// (`JWKSCache`, fetched only from the configured JWKS URL) verifies them all; nothing in a token
/// (`iss`, `jku`) ever names where keys come from.
public struct AccessTokenVerifier: Sendable {
    let jws: JWSVerifier
    let leewaySeconds: Double
    let expected: AccessTokenClaims.Expected
    let acceptsMachineTokens: Bool
    let now: @Sendable () -> Double

    public var keys: JWKSCache { jws.keys }

    /// - Parameters:
    ///   - config: the allowed issuers, clients, audience and the leeway.
    ///   - keys: the process-wide key cache.
    ///   - acceptingMachineTokens: false refuses every machine token (`machineTokenNotAccepted`),
    ///     whatever `config.machineClientIds` says: for a caller that cannot tell them apart yet.
    ///   - namedClaims: string claims the caller reads from every verified token
    ///     (`VerifiedAccessToken.stringClaims`): located in the verification's one pass over the payload.
    ///   - now: wall-clock seconds since 1970 (injectable for tests).
    public init(
        config: CognitoConfig,
        keys: JWKSCache,
        acceptingMachineTokens: Bool = true,
        namedClaims: StringClaimNames = StringClaimNames([]),
        now: @escaping @Sendable () -> Double = AccessTokenVerifier.wallClockSeconds
    ) {
        self.jws = JWSVerifier(keys: keys)
        self.expected = AccessTokenClaims.Expected(
            issuers: config.issuers, userClientIds: config.acceptedClientIds, machineClientIds: config.machineClientIds,
            audience: config.requiredAudience, namedClaims: namedClaims)
        self.acceptsMachineTokens = acceptingMachineTokens
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
        // (`expected.tokenUseBytes` is "access".)
        guard claims.tokenUse.isEqual else { throw .wrongTokenUse }
        guard claims.payload.hasNonEmptyString(claims.payload.sub) else { throw .malformed("sub claim missing") }
        // The client: the configured entry the token's `client_id` equals byte for byte, so the
        // verified token reports its own client, not the one this function signs in with.
        let clientId: String
        if claims.isMachine {
            // A client-credentials token acts for no user: accepted only from a client listed for
            // it, never because the client is accepted for its users' tokens.
            guard acceptsMachineTokens, let index = claims.machineClient else {
                throw claims.userClient != nil || claims.machineClient != nil
                    ? TokenVerificationError.machineTokenNotAccepted : TokenVerificationError.wrongClient
            }
            // Cognito's shape: `sub` is the client id and there are no groups. Anything else
            // without a `username` is not a token this pool issues.
            guard claims.subIsClientId else { throw .malformed("machine token's sub is not its client_id") }
            guard !claims.payload.groups.isPresent else { throw .malformed("machine token has cognito:groups") }
            clientId = expected.machineClientIds[index]
        } else {
            guard let index = claims.userClient else { throw .wrongClient }
            guard claims.payload.hasNonEmptyString(claims.payload.username) else { throw .malformed("username claim missing") }
            clientId = expected.userClientIds[index]
        }
        // RFC 8707 resource binding: a token requested for another API is not for this one.
        guard claims.audience.isEqual else { throw .wrongAudience }
        return VerifiedAccessToken(
            clientId: clientId,
            principal: claims.isMachine ? .machine : .user,
            exp: Int64(claims.exp.rounded(.down)),
            iat: claims.iat.map { Int64($0.rounded(.down)) },
            authTime: claims.authTime.map { Int64($0.rounded(.down)) },
            payload: claims.payload
        )
    }
}
