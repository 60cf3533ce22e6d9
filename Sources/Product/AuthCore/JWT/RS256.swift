import Crypto
import _CryptoExtras

/// The one RSA PKCS#1 v1.5 / SHA-256 verification path: the verifier and the Wycheproof tests
/// both go through here.
enum RS256 {
    /// Whether `signature` is a valid RS256 signature of `message` under `key`.
    ///
    /// The signature must be exactly as long as the modulus (RFC 8017 §8.2.2 step 1); BoringSSL
    /// checks this too, the explicit check keeps the rule visible. PKCS#1 v1.5 is "insecure" only
    /// for encryption; for signatures it is what RS256 is.
    @inline(__always)
    static func isValidSignature(_ signature: [UInt8], message: UnsafeRawBufferPointer, key: RSAVerificationKey) -> Bool {
        guard signature.count == key.modulusByteCount else { return false }
        // Straight from the buffer: the `hash(data:)` DataProtocol path walks regions generically.
        var hasher = SHA256()
        hasher.update(bufferPointer: message)
        let digest = hasher.finalize()
        return key.publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: digest,
            padding: .insecurePKCS1v1_5
        )
    }
}
