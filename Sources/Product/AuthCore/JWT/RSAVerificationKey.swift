import _CryptoExtras

/// A public RSA key from a JWK that passed every check of `RSAVerificationKey.make`, parsed once
/// and reused for every verification that names its `kid`. A class: every verification takes it out
/// of the key cache, and one reference is counted once (a struct's kid, alg and key, three times).
final class RSAVerificationKey: Sendable {
    let kid: String
    /// The JWK's `alg`, when it names one; the token header's `alg` must then be equal.
    let algorithm: String?
    let publicKey: _RSA.Signing.PublicKey
    let modulusBits: Int
    let modulusByteCount: Int

    /// Smallest accepted modulus: NIST SP 800-57 and RFC 7518 §3.3 require 2048 bits.
    static let minimumModulusBits = 2048
    /// Largest accepted modulus: bounds the CPU an attacker-chosen JWKS can make one verify cost.
    static let maximumModulusBits = 8192
    /// The only accepted public exponent, 65537, big-endian without leading zeros ("AQAB").
    static let requiredExponent: [UInt8] = [0x01, 0x00, 0x01]

    /// The key from the big-endian modulus and exponent, or why it cannot be used.
    static func make(kid: String, modulus: [UInt8], exponent: [UInt8], algorithm: String? = nil) -> Result<RSAVerificationKey, KeyProblem> {
        let n = modulus.drop(while: { $0 == 0 })
        let e = exponent.drop(while: { $0 == 0 })
        guard let top = n.first else { return .failure(KeyProblem("modulus is zero")) }
        let bits = n.count * 8 - top.leadingZeroBitCount
        guard bits >= minimumModulusBits else {
            return .failure(KeyProblem("modulus is \(bits) bits, fewer than \(minimumModulusBits)"))
        }
        guard bits <= maximumModulusBits else {
            return .failure(KeyProblem("modulus is \(bits) bits, more than \(maximumModulusBits)"))
        }
        guard n.last! & 1 == 1 else { return .failure(KeyProblem("modulus is even")) }
        // Cognito (like every mainstream RSA key generator) uses e = 65537 and nothing else. Any
        // other exponent is refused like a short modulus: e = 1 makes every "signature" its own
        // message, small exponents such as 3 enable Bleichenbacher-style forgeries against lax
        // PKCS#1 v1.5 checks, and a key nobody publishes cannot be a Cognito key.
        guard e.elementsEqual(requiredExponent) else {
            return .failure(KeyProblem("public exponent is not 65537"))
        }
        do {
            let key = try _RSA.Signing.PublicKey(n: Array(n), e: Array(e))
            return .success(RSAVerificationKey(kid: kid, algorithm: algorithm, publicKey: key, modulusBits: bits, modulusByteCount: (bits + 7) / 8))
        } catch {
            return .failure(KeyProblem("the RSA library refused the key"))
        }
    }

    init(kid: String, algorithm: String?, publicKey: _RSA.Signing.PublicKey, modulusBits: Int, modulusByteCount: Int) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicKey = publicKey
        self.modulusBits = modulusBits
        self.modulusByteCount = modulusByteCount
    }

    struct KeyProblem: Error, Equatable {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
