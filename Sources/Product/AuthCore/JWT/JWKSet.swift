import JSONValue
import WireCoding

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

    /// The keys in document order, each with its kid's UTF-8 bytes and their fingerprint. A kid is
    /// found by its exact bytes only (RFC 7515 §4.1.4; see `ExactText`): a `[String: Entry]`
    /// would match a token's kid to a canonically equivalent spelling of another key's kid. A
    /// JWKS holds a handful of keys, so a fingerprint scan is also cheaper than hashing.
    private let kids: [[UInt8]]
    private let kidFingerprints: [UInt64]
    private let values: [Entry]

    /// `entries` must have no two equal kids (`parse` resolves duplicates first).
    init(entries: [(kid: [UInt8], entry: Entry)]) {
        self.kids = entries.map(\.kid)
        self.kidFingerprints = entries.map { item in item.kid.withUnsafeBufferPointer { ExactBytes.fingerprint($0) } }
        self.values = entries.map(\.entry)
    }

    /// The entry whose kid has exactly the bytes of `kid`, if any.
    func entry(kid: UnsafeBufferPointer<UInt8>) -> Entry? {
        let fingerprint = ExactBytes.fingerprint(kid)
        for index in kidFingerprints.indices where kidFingerprints[index] == fingerprint {
            // In place: `kids[index]` would copy the inner array (a retain and a release per lookup).
            if kids.withUnsafeBufferPointer({ $0[index].withUnsafeBufferPointer { ExactBytes.equal($0, kid) } }) { return values[index] }
        }
        return nil
    }

    func entry(kid: String) -> Entry? {
        var kid = kid
        return kid.withUTF8 { entry(kid: $0) }
    }

    func entry(_ kid: JOSEHeader.KeyID) -> Entry? {
        switch kid {
        case .plain(let bytes): return entry(kid: bytes)
        case .decoded(let string): return entry(kid: string)
        }
    }

    var count: Int { values.count }

    var usableKeyCount: Int {
        values.reduce(0) { count, entry in
            if case .usable = entry { return count + 1 }
            return count
        }
    }

    static let empty = JWKSet(entries: [])

    static func parse(_ bytes: [UInt8]) -> Result<JWKSet, Failure> {
        let document: [String: JSONValue]
        do {
            guard case .object(let members) = try JSONValue.parse(bytes, policy: .jose) else {
                return .failure(Failure(reason: "not a JSON object (not a JSON object)"))
            }
            document = members
        } catch {
            return .failure(Failure(reason: "not a JSON object (\(error.reason))"))
        }
        guard let keys = document["keys"]?.arrayValue else {
            return .failure(Failure(reason: "no \"keys\" array"))
        }
        var entries: [(kid: [UInt8], entry: Entry)] = []
        var duplicates: Set<[UInt8]> = []
        for key in keys {
            // A key without a kid can never be selected: the verifier uses no default key.
            guard let members = key.objectValue, let kid = members["kid"]?.stringValue else { continue }
            let kidBytes = Array(kid.utf8)
            if entries.contains(where: { $0.kid == kidBytes }) {
                duplicates.insert(kidBytes)
            } else {
                entries.append((kidBytes, entry(members, kid: kid)))
            }
        }
        // Two keys under one kid are ambiguous: which one a token means is not defined, so neither
        // is used (Wycheproof "DuplicateKid"). Kids are the same only when their bytes are.
        for index in entries.indices where duplicates.contains(entries[index].kid) {
            entries[index].entry = .unusable("kid appears more than once in the JWKS")
        }
        return .success(JWKSet(entries: entries))
    }

    /// Private-key members of RSA, EC/OKP and symmetric JWKs (RFC 7518 §6).
    private static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// The checks of pipeline step 5 that depend on the key alone; the header-dependent one
    /// (`alg` equal to the header's) happens at lookup.
    static func entry(_ members: [String: JSONValue], kid: String) -> Entry {
        guard let kty = members["kty"]?.stringValue else { return .unusable("kty missing") }
        // Exact bytes for every member value that decides usability (see `ExactText`).
        guard ExactText.equal(kty, "RSA") else { return .unusable("kty is \(Excerpt.safe(kty)), not RSA") }
        if let use = members["use"] {
            guard let value = use.stringValue, ExactText.equal(value, "sig") else { return .unusable("use is not sig") }
        }
        if let operations = members["key_ops"] {
            guard let list = operations.arrayValue,
                list.contains(where: { $0.stringValue.map { ExactText.equal($0, "verify") } ?? false })
            else {
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
