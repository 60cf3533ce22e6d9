import JSONValue

/// A parsed JSON Web Key Set: every key by `kid`, either usable for RS256 or with the reason it
/// is not. One bad key never makes the set unusable (the others still verify); the whole set is
/// refused only when the document itself is not a JWKS.
struct JWKSet: Sendable {
    enum Entry: Sendable {
        case usable(RSAVerificationKey)
        case unusable(String)
    }

    struct Failure: Error, Equatable {
        var reason: String
    }

    let entries: [String: Entry]
    /// The same entries with their kid's bytes and fingerprint, for lookups by a token's kid
    /// bytes without building a `String` (a JWKS holds a handful of keys: a scan is cheaper than
    /// hashing a `String`).
    private let kidFingerprints: [UInt64]
    private let kidBytes: [[UInt8]]
    private let kidEntries: [Entry]
    /// Whether every kid of the set is ASCII (Cognito's are base64).
    private let allKidsASCII: Bool

    init(entries: [String: Entry]) {
        self.entries = entries
        let kids = entries.keys.map { Array($0.utf8) }
        self.kidBytes = kids
        self.kidFingerprints = kids.map { kid in kid.withUnsafeBufferPointer { StrictJSONParser.fingerprint($0) } }
        self.kidEntries = entries.values.map { $0 }
        self.allKidsASCII = kids.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
    }

    /// The entry whose kid equals `kid` as a `String`, if any.
    func entry(_ kid: JOSEHeader.KeyID) -> Entry? {
        switch kid {
        case .string(let string):
            return entries[string]
        case .ascii(let bytes):
            // Two ASCII strings are equal Strings exactly when their bytes are equal (ASCII has no
            // combining marks and is its own normal form). Only a non-ASCII kid in the set could
            // equal an ASCII one otherwise (U+212A KELVIN SIGN equals "K"): then use the String.
            guard allKidsASCII else { return entries[kid.string] }
            let fingerprint = StrictJSONParser.fingerprint(bytes)
            for index in kidFingerprints.indices where kidFingerprints[index] == fingerprint {
                if kidBytes[index].withUnsafeBufferPointer({ StrictJSONParser.equal($0, bytes) }) { return kidEntries[index] }
            }
            return nil
        }
    }

    var usableKeyCount: Int {
        entries.values.reduce(0) { count, entry in
            if case .usable = entry { return count + 1 }
            return count
        }
    }

    static let empty = JWKSet(entries: [:])

    static func parse(_ bytes: [UInt8]) -> Result<JWKSet, Failure> {
        let document: [String: JSONValue]
        do {
            document = try StrictJSONParser.parseObject(bytes)
        } catch {
            return .failure(Failure(reason: "not a JSON object (\(error.reason))"))
        }
        guard let keys = document["keys"]?.arrayValue else {
            return .failure(Failure(reason: "no \"keys\" array"))
        }
        var entries: [String: Entry] = [:]
        var duplicates: Set<String> = []
        for key in keys {
            // A key without a kid can never be selected: the verifier uses no default key.
            guard let members = key.objectValue, let kid = members["kid"]?.stringValue else { continue }
            if entries[kid] != nil { duplicates.insert(kid) }
            entries[kid] = entry(members, kid: kid)
        }
        // Two keys under one kid are ambiguous: which one a token means is not defined, so neither
        // is used (Wycheproof "DuplicateKid").
        for kid in duplicates {
            entries[kid] = .unusable("kid appears more than once in the JWKS")
        }
        return .success(JWKSet(entries: entries))
    }

    /// Private-key members of RSA, EC/OKP and symmetric JWKs (RFC 7518 §6).
    private static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// The checks of pipeline step 5 that depend on the key alone; the header-dependent one
    /// (`alg` equal to the header's) happens at lookup.
    static func entry(_ members: [String: JSONValue], kid: String) -> Entry {
        guard let kty = members["kty"]?.stringValue else { return .unusable("kty missing") }
        guard kty == "RSA" else { return .unusable("kty is \(Excerpt.safe(kty)), not RSA") }
        if let use = members["use"] {
            guard use.stringValue == "sig" else { return .unusable("use is not sig") }
        }
        if let operations = members["key_ops"] {
            guard let list = operations.arrayValue, list.contains(.string("verify")) else {
                return .unusable("key_ops does not allow verify")
            }
        }
        var algorithm: String? = nil
        if let alg = members["alg"] {
            guard let name = alg.stringValue else { return .unusable("alg is not a string") }
            algorithm = name
        }
        // A published private key is a compromised key: anyone could sign with it.
        if privateMembers.contains(where: { members[$0] != nil }) {
            return .unusable("JWK contains private key material")
        }
        guard let n = members["n"]?.stringValue, let modulus = Base64URL.decode(n) else {
            return .unusable("n is missing or not base64url")
        }
        guard let e = members["e"]?.stringValue, let exponent = Base64URL.decode(e) else {
            return .unusable("e is missing or not base64url")
        }
        switch RSAVerificationKey.make(kid: kid, modulus: modulus, exponent: exponent, algorithm: algorithm) {
        case .success(let key): return .usable(key)
        case .failure(let problem): return .unusable(problem.reason)
        }
    }
}
