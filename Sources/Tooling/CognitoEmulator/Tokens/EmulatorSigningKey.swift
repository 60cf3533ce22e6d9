import Crypto
import FoundationEssentials
import _CryptoExtras
import WireCoding

/// One RSA-2048 signing key with its JWKS entry. The `kid` is derived from the public key,
/// so a fixed key file gives the same `kid` on every run.
struct EmulatorSigningKey: Sendable {
    let privateKey: _RSA.Signing.PrivateKey
    let kid: String
    let modulus: [UInt8]
    let exponent: [UInt8]

    init(privateKey: _RSA.Signing.PrivateKey) throws {
        guard privateKey.keySizeInBits >= 2048 else {
            throw EmulatorConfigurationError("signing keys must be RSA with at least 2048 bits")
        }
        self.privateKey = privateKey
        let primitives = try privateKey.publicKey.getKeyPrimitives()
        self.modulus = Array(primitives.modulus)
        self.exponent = Array(primitives.publicExponent)
        // Cognito's kids look like standard base64 of a hash; this one is SHA-256 of the public key DER.
        self.kid = Base64.encode(ByteArray.of(SHA256.hash(data: privateKey.publicKey.derRepresentation)))
    }

    static func generate() throws -> EmulatorSigningKey {
        try EmulatorSigningKey(privateKey: _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    var jwk: OrderedJSON {
        .object([
            ("alg", .string("RS256")),
            ("e", .string(Base64URL.encode(exponent))),
            ("kid", .string(kid)),
            ("kty", .string("RSA")),
            ("n", .string(Base64URL.encode(modulus))),
            ("use", .string("sig")),
        ])
    }

    /// Compact JWS, RS256 (RSASSA-PKCS1-v1_5 with SHA-256).
    func sign(payload: OrderedJSON) throws -> String {
        let header = OrderedJSON.object([("kid", .string(kid)), ("alg", .string("RS256"))])
        let signingInput = Base64URL.encode(header.bytes) + "." + Base64URL.encode(payload.bytes)
        let signature = try privateKey.signature(for: Array(signingInput.utf8), padding: .insecurePKCS1v1_5)
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }

    func isValidSignature(signingInput: Substring, signature: [UInt8]) -> Bool {
        privateKey.publicKey.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: Array(signingInput.utf8),
            padding: .insecurePKCS1v1_5
        )
    }
}

/// The pool's two keys: one signs access tokens, the other ID tokens (as in Cognito's JWKS).
public struct EmulatorSigningKeys: Sendable {
    let access: EmulatorSigningKey
    let id: EmulatorSigningKey

    init(access: EmulatorSigningKey, id: EmulatorSigningKey) {
        self.access = access
        self.id = id
    }

    static func generate() throws -> EmulatorSigningKeys {
        try EmulatorSigningKeys(access: .generate(), id: .generate())
    }

    /// One or two PEM private keys (PKCS#1 or PKCS#8). With one, both token kinds use it.
    static func parse(pem: String) throws -> EmulatorSigningKeys {
        let blocks = splitPEM(pem)
        guard !blocks.isEmpty, blocks.count <= 2 else {
            throw EmulatorConfigurationError("key file must hold one or two PEM RSA private keys, found \(blocks.count)")
        }
        let keys: [EmulatorSigningKey]
        do {
            keys = try blocks.map { try EmulatorSigningKey(privateKey: _RSA.Signing.PrivateKey(pemRepresentation: $0)) }
        } catch let error as EmulatorConfigurationError {
            throw error
        } catch {
            throw EmulatorConfigurationError("key file holds a PEM block that is not an RSA private key")
        }
        return EmulatorSigningKeys(access: keys[0], id: keys.count > 1 ? keys[1] : keys[0])
    }

    /// Two freshly generated keys as PEM, for a key file.
    public static func generatePEM() throws -> String {
        let keys = try generate()
        return keys.access.privateKey.pemRepresentation + "\n" + keys.id.privateKey.pemRepresentation + "\n"
    }

    /// Loads the key file, or creates it (mode 0600) with two new keys when it does not exist,
    /// so the next run signs with the same keys and `kid`s.
    public static func loadOrCreatePEM(path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path) {
            let data = try Data(contentsOf: url)
            return String(decoding: data, as: UTF8.self)
        }
        let pem = try generatePEM()
        // Private key material: owner-only permissions.
        guard FileManager.default.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw EmulatorConfigurationError("cannot create key file at \(path)")
        }
        return pem
    }

    var jwks: OrderedJSON {
        .object([("keys", .array(access.kid == id.kid ? [access.jwk] : [access.jwk, id.jwk]))])
    }

    private static func splitPEM(_ pem: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring] = []
        var inside = false
        for line in pem.split(whereSeparator: \.isNewline) {
            let trimmed = trim(line)
            if trimmed.hasPrefix("-----BEGIN ") {
                inside = true
                current = [Substring(trimmed)]
            } else if trimmed.hasPrefix("-----END "), inside {
                current.append(Substring(trimmed))
                blocks.append(current.joined(separator: "\n"))
                inside = false
            } else if inside {
                current.append(Substring(trimmed))
            }
        }
        return blocks
    }

    private static func trim(_ line: Substring) -> String {
        var line = line
        while let first = line.first, first.isWhitespace { line.removeFirst() }
        while let last = line.last, last.isWhitespace { line.removeLast() }
        return String(line)
    }
}
