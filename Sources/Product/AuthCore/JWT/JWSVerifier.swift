import NIOCore

/// Pipeline steps 1 and 3–6 for any compact JWS: parse, `alg` allow-list, header members, `kid`,
/// key checks, RS256 signature over the exact `header.payload` bytes. The access-token verifier
/// builds on it; the Wycheproof JWS tests run it directly, so both exercise the same code.
struct JWSVerifier: Sendable {
    let keys: JWKSCache

    /// The only accepted algorithm. `none`, `HS*` (which would use the public key as an HMAC
    /// secret), `PS*`, `ES*` and other RSA hashes are all refused by this allow-list.
    static let algorithm: StaticString = "RS256"
    static let algorithmName = "\(algorithm)"

    /// The parsed JWS, once its signature has verified with the key its `kid` names. `token` is
    /// the compact serialization's bytes (ASCII when well-formed).
    func verify(_ token: ArraySlice<UInt8>, deadline: NIODeadline) async throws(TokenVerificationError) -> CompactJWS {
        let jws = try CompactJWS.parse(token)
        enum Selection {
            case cached(JWKSet.Entry)
            case fetch(kid: String)
        }
        // Steps 2–4 on the header, and the key lookup while its decoded kid is at hand.
        let selection: Result<Selection, TokenVerificationError> = token.withUnsafeBufferPointer { bytes in
            do throws(TokenVerificationError) {
                return .success(try JOSEHeader.withKeyID(token: bytes, length: jws.headerLength, algorithm: Self.algorithm) { kid in
                    if let entry = keys.cachedEntry(kid) { return .cached(entry) }
                    return .fetch(kid: kid.string)
                })
            } catch {
                return .failure(error)
            }
        }
        let entry: JWKSet.Entry
        switch try selection.get() {
        case .cached(let cached): entry = cached
        case .fetch(let kid): entry = try await keys.entry(kid: kid, deadline: deadline)
        }
        // Step 5: kty/use/key_ops/size were checked when the set was parsed; alg needs the header.
        let key: RSAVerificationKey
        switch entry {
        case .unusable(let reason): throw .unusableKey(reason)
        case .usable(let usable): key = usable
        }
        // Exact bytes: a JWK `alg` that only canonically equals "RS256" is another algorithm name.
        if let keyAlgorithm = key.algorithm, !ExactText.equal(keyAlgorithm, Self.algorithmName) {
            throw .unusableKey("key alg \(Excerpt.safe(keyAlgorithm)) differs from the token alg")
        }
        // Step 6: over the exact bytes received, not a re-encoding.
        let length = jws.signingInputLength
        let valid = token.withUnsafeBufferPointer { bytes in
            RS256.isValidSignature(jws.signature, message: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<length])), key: key)
        }
        guard valid else { throw .badSignature }
        return jws
    }
}
