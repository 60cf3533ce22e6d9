#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The Cognito settings of the process, read and validated once at start.
///
/// `description`, `debugDescription` and the reflection mirror redact `clientSecret`, so the
/// value can be logged or dumped safely.
public struct CognitoConfig: Sendable {
    public var region: String
    public var userPoolId: String
    /// The app client sign-in, refresh and logout act as; its user access tokens are accepted.
    public var clientId: String
    /// Every app client whose user access tokens are accepted: `clientId` first, then
    /// `COGNITO_ACCEPTED_CLIENT_IDS` (a web and a mobile client of one pool).
    public var acceptedClientIds: [String]
    /// App clients whose machine (client-credentials) access tokens are accepted
    /// (`COGNITO_MACHINE_CLIENT_IDS`); empty: none are.
    public var machineClientIds: [String]
    /// Never printed: `description` redacts it.
    public var clientSecret: String?
    /// The secret being rotated out (`COGNITO_CLIENT_SECRET_PREVIOUS`): tried once after Cognito
    /// answers `invalid_client` to `clientSecret`. Never printed.
    public var previousClientSecret: String?
    /// Hosted UI / managed login base URL, no trailing slash. Required by sign-in only.
    public var domain: String?
    /// Allow-list of redirect URIs; the first is the default.
    public var redirectURIs: [String]
    /// Base URL of the JSON API, no trailing slash.
    public var idpEndpoint: String
    /// The allow-list of `iss` values (exact bytes): `COGNITO_ISSUER`, or the pool's original and
    /// UPDATED forms for the region, plus both forms for each replica Region.
    public var issuers: [String]
    /// `COGNITO_REPLICA_REGIONS`: Regions the pool is replicated to (multi-Region replication).
    public var replicaRegions: [String]
    /// `COGNITO_REQUIRED_AUDIENCE`: when set, an access token's `aud` must be (or contain) it.
    public var requiredAudience: String?
    public var jwksURL: String
    /// A JWKS to preload (`COGNITO_JWKS` or the contents of `COGNITO_JWKS_FILE`). Setting it parses
    /// it once into `preloadedKeys`, which every `JWKSCache(config:)` starts from: the RSA keys are
    /// built once per process, not once for the start-up check and again per cache.
    public var preloadedJWKS: [UInt8]? {
        didSet { preloadedKeys = preloadedJWKS.map(JWKSet.parse) }
    }
    /// `preloadedJWKS` parsed (nil: none given).
    private(set) var preloadedKeys: Result<JWKSet, JWKSet.Failure>?
    /// Clock-skew leeway for `exp`, `nbf` and `iat`.
    public var leeway: Duration

    /// Largest accepted preloaded JWKS, the same cap as a fetched one.
    public static let maximumJWKSBytes = 64 * 1024
    public static let defaultLeeway: Duration = .seconds(30)
    public static let maximumLeewaySeconds = 60

    /// Builds a configuration, deriving what is not given the way `fromEnvironment` does:
    /// `idpEndpoint` from the region, `issuers` and `jwksURL` from the region and pool.
    ///
    /// - Parameters:
    ///   - acceptedClientIds: user-token clients besides `clientId`.
    ///   - issuers: replaces the primary Region's two default issuers; `replicaRegions` add theirs.
    public init(
        region: String,
        userPoolId: String,
        clientId: String,
        acceptedClientIds: [String] = [],
        machineClientIds: [String] = [],
        clientSecret: String? = nil,
        previousClientSecret: String? = nil,
        domain: String? = nil,
        redirectURIs: [String] = [],
        idpEndpoint: String? = nil,
        issuers: [String]? = nil,
        replicaRegions: [String] = [],
        requiredAudience: String? = nil,
        jwksURL: String? = nil,
        preloadedJWKS: [UInt8]? = nil,
        leeway: Duration = CognitoConfig.defaultLeeway
    ) {
        self.region = region
        self.userPoolId = userPoolId
        self.clientId = clientId
        self.acceptedClientIds = Self.exactUnion([clientId], acceptedClientIds)
        self.machineClientIds = Self.exactUnion([], machineClientIds)
        self.clientSecret = clientSecret
        self.previousClientSecret = previousClientSecret
        self.domain = domain.map(Self.trimmingTrailingSlashes)
        self.redirectURIs = redirectURIs
        let endpoint = Self.trimmingTrailingSlashes(idpEndpoint ?? Self.defaultIdpEndpoint(region: region))
        self.idpEndpoint = endpoint
        self.issuers = Self.exactUnion(
            issuers ?? Self.defaultIssuers(region: region, userPoolId: userPoolId),
            replicaRegions.flatMap { Self.defaultIssuers(region: $0, userPoolId: userPoolId) })
        self.replicaRegions = replicaRegions
        self.requiredAudience = requiredAudience
        self.jwksURL = jwksURL ?? "\(endpoint)/\(userPoolId)/.well-known/jwks.json"
        self.preloadedJWKS = preloadedJWKS
        self.preloadedKeys = preloadedJWKS.map(JWKSet.parse)
        self.leeway = leeway
    }

    public static func defaultIdpEndpoint(region: String) -> String {
        "https://cognito-idp.\(region).amazonaws.com"
    }

    /// The pool's two issuer forms for a Region, as
    /// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_IssuerConfigurationType.html
    /// writes them: ORIGINAL `https://cognito-idp.{region}.amazonaws.com/{poolId}` and UPDATED
    /// `https://issuer-cognito-idp.{region}.amazonaws.com/{poolId}` (recommended, and required for
    /// multi-Region replication). A pool issues one form at a time, but switching it is an
    /// UpdateUserPool away: tokens of both forms are live during the change, so both are accepted.
    /// Local emulators (and moto) mint tokens with the same issuers: only the endpoints change.
    public static func defaultIssuers(region: String, userPoolId: String) -> [String] {
        ["https://cognito-idp.\(region).amazonaws.com/\(userPoolId)", "https://issuer-cognito-idp.\(region).amazonaws.com/\(userPoolId)"]
    }

    /// `first` followed by the elements of `rest` it lacks, compared as exact bytes.
    static func exactUnion(_ first: [String], _ rest: [String]) -> [String] {
        var union = first
        for item in rest where !ExactText.contains(union, item) { union.append(item) }
        return union
    }

    /// Reads the `COGNITO_*` variables (README "Configuration") and reports every problem at once.
    ///
    /// Values are trimmed of surrounding whitespace; an optional variable set to the empty string
    /// counts as unset.
    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> CognitoConfig {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let raw = env[name] else { return nil }
            let trimmed = trimmingWhitespace(raw)
            return trimmed.isEmpty ? nil : trimmed
        }

        // Region: COGNITO_REGION, else AWS_REGION (which Lambda always sets).
        let regionSource = value("COGNITO_REGION") != nil ? "COGNITO_REGION" : "AWS_REGION"
        let region = value("COGNITO_REGION") ?? value("AWS_REGION")
        if let region {
            if !isRegion(region) {
                problems.append("\(regionSource) \(quoted(region)) is not an AWS region name (like us-east-1)")
            }
        } else {
            problems.append("COGNITO_REGION is not set (and neither is AWS_REGION)")
        }

        let userPoolId = value("COGNITO_USER_POOL_ID")
        if let userPoolId {
            if let separator = userPoolId.firstIndex(of: "_"),
                isPoolIdShape(userPoolId)
            {
                // A pool id starts with its region. A Lambda in another region than the pool gets
                // AWS_REGION of the Lambda: the issuer would then never match, so say it now.
                let poolRegion = String(userPoolId[..<separator])
                if let region, isRegion(region), isRegion(poolRegion), poolRegion != region {
                    problems.append(
                        "COGNITO_USER_POOL_ID \(quoted(userPoolId)) belongs to region \(poolRegion) but the region is \(region) (from \(regionSource)); set COGNITO_REGION=\(poolRegion)"
                    )
                }
            } else {
                problems.append("COGNITO_USER_POOL_ID \(quoted(userPoolId)) is not a user pool id (like us-east-1_AbC123)")
            }
        } else {
            problems.append("COGNITO_USER_POOL_ID is not set")
        }

        let clientId = value("COGNITO_CLIENT_ID")
        if let clientId {
            if !isClientId(clientId) {
                problems.append("COGNITO_CLIENT_ID \(quoted(clientId)) is not an app client id (letters and digits, at most 128)")
            }
        } else {
            problems.append("COGNITO_CLIENT_ID is not set")
        }

        // Further app clients whose user tokens are accepted. A repeat (or COGNITO_CLIENT_ID
        // itself) is a problem, not silently merged: the list is a security decision, and a
        // repeat usually means a different id was meant.
        let acceptedClientIds = list(value("COGNITO_ACCEPTED_CLIENT_IDS"), "COGNITO_ACCEPTED_CLIENT_IDS", &problems) {
            isClientId($0) ? nil : "is not an app client id (letters and digits, at most 128)"
        }
        if let clientId, ExactText.contains(acceptedClientIds, clientId) {
            problems.append("COGNITO_ACCEPTED_CLIENT_IDS repeats COGNITO_CLIENT_ID \(quoted(clientId)), which is always accepted")
        }
        let machineClientIds = list(value("COGNITO_MACHINE_CLIENT_IDS"), "COGNITO_MACHINE_CLIENT_IDS", &problems) {
            isClientId($0) ? nil : "is not an app client id (letters and digits, at most 128)"
        }

        // Never echo the secret, not even in part.
        let clientSecret = value("COGNITO_CLIENT_SECRET")
        if let clientSecret, clientSecret.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E }) {
            problems.append("COGNITO_CLIENT_SECRET contains characters that are not printable ASCII (value not shown)")
        }
        let previousClientSecret = value("COGNITO_CLIENT_SECRET_PREVIOUS")
        if let previousClientSecret {
            if previousClientSecret.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E }) {
                problems.append("COGNITO_CLIENT_SECRET_PREVIOUS contains characters that are not printable ASCII (value not shown)")
            } else if clientSecret == nil {
                problems.append("COGNITO_CLIENT_SECRET_PREVIOUS is set but COGNITO_CLIENT_SECRET is not (the previous secret is only a fallback for the current one)")
            } else if let clientSecret, ExactText.equal(clientSecret, previousClientSecret) {
                problems.append("COGNITO_CLIENT_SECRET_PREVIOUS is the same as COGNITO_CLIENT_SECRET (value not shown)")
            }
        }

        var domain = value("COGNITO_DOMAIN")
        if let given = domain {
            if let problem = ConfiguredURL.problem(given, kind: .endpoint) {
                problems.append("COGNITO_DOMAIN \(quoted(given)) \(problem)")
            }
            domain = trimmingTrailingSlashes(given)
        }

        var redirectURIs: [String] = []
        if let list = value("COGNITO_REDIRECT_URI") {
            for item in list.split(separator: ",", omittingEmptySubsequences: false) {
                let uri = trimmingWhitespace(String(item))
                if uri.isEmpty {
                    problems.append("COGNITO_REDIRECT_URI has an empty entry in its comma-separated list")
                } else if let problem = ConfiguredURL.problem(uri, kind: .redirect) {
                    problems.append("COGNITO_REDIRECT_URI entry \(quoted(uri)) \(problem)")
                } else if !ExactText.contains(redirectURIs, uri) {
                    redirectURIs.append(uri)
                }
            }
        }

        var idpEndpoint: String? = nil
        if let given = value("COGNITO_IDP_ENDPOINT") {
            if let problem = ConfiguredURL.problem(given, kind: .endpoint) {
                problems.append("COGNITO_IDP_ENDPOINT \(quoted(given)) \(problem)")
            }
            idpEndpoint = trimmingTrailingSlashes(given)
        }

        // An explicit allow-list replaces the two default forms; nothing is derived from a token.
        let issuerList = list(value("COGNITO_ISSUER"), "COGNITO_ISSUER", &problems) { ConfiguredURL.problem($0, kind: .issuer) }
        let issuers = issuerList.isEmpty ? nil : issuerList

        let replicaRegions = list(value("COGNITO_REPLICA_REGIONS"), "COGNITO_REPLICA_REGIONS", &problems) {
            isRegion($0) ? nil : "is not an AWS region name (like eu-west-1)"
        }
        if let region, ExactText.contains(replicaRegions, region) {
            problems.append("COGNITO_REPLICA_REGIONS names the pool's own region \(quoted(region)); list only the replica Regions")
        }

        let requiredAudience = value("COGNITO_REQUIRED_AUDIENCE")
        if let requiredAudience, !isAudience(requiredAudience) {
            problems.append(
                "COGNITO_REQUIRED_AUDIENCE \(quoted(requiredAudience)) is not a resource server identifier (1-256 printable ASCII characters, no space, quote or backslash)")
        }

        // Read here; parsed once by the initialiser below and checked after it (`jwksProblem`).
        var preloadedJWKS: [UInt8]? = nil
        var preloadedJWKSSource = ""
        let inlineJWKS = value("COGNITO_JWKS")
        let jwksFile = value("COGNITO_JWKS_FILE")
        if inlineJWKS != nil, jwksFile != nil {
            problems.append("COGNITO_JWKS and COGNITO_JWKS_FILE are both set; set only one")
        } else if let inlineJWKS {
            if inlineJWKS.utf8.count > maximumJWKSBytes {
                problems.append("COGNITO_JWKS is larger than \(maximumJWKSBytes) bytes")
            } else {
                preloadedJWKS = Array(inlineJWKS.utf8)
                preloadedJWKSSource = "COGNITO_JWKS"
            }
        } else if let jwksFile {
            switch readFile(jwksFile, limit: maximumJWKSBytes) {
            case .success(let bytes):
                preloadedJWKS = bytes
                preloadedJWKSSource = "COGNITO_JWKS_FILE \(quoted(jwksFile))"
            case .failure(let problem):
                problems.append("COGNITO_JWKS_FILE \(quoted(jwksFile)) \(problem.message)")
            }
        }

        var leeway = defaultLeeway
        if let given = value("COGNITO_TOKEN_LEEWAY_SECONDS") {
            if let seconds = Int(given), (0...maximumLeewaySeconds).contains(seconds) {
                leeway = .seconds(seconds)
            } else {
                problems.append("COGNITO_TOKEN_LEEWAY_SECONDS \(quoted(given)) is not a whole number of seconds from 0 to \(maximumLeewaySeconds)")
            }
        }

        guard let region, let userPoolId, let clientId else {
            // Every problem at once: the JWKS is checked even when no configuration can be built.
            if let preloadedJWKS, let problem = jwksProblem(JWKSet.parse(preloadedJWKS)) {
                problems.append("\(preloadedJWKSSource) \(problem)")
            }
            throw ConfigurationError(problems: problems)
        }
        let config = CognitoConfig(
            region: region,
            userPoolId: userPoolId,
            clientId: clientId,
            acceptedClientIds: acceptedClientIds,
            machineClientIds: machineClientIds,
            clientSecret: clientSecret,
            previousClientSecret: previousClientSecret,
            domain: domain,
            redirectURIs: redirectURIs,
            idpEndpoint: idpEndpoint,
            issuers: issuers,
            replicaRegions: replicaRegions,
            requiredAudience: requiredAudience,
            preloadedJWKS: preloadedJWKS,
            leeway: leeway
        )
        if let keys = config.preloadedKeys, let problem = jwksProblem(keys) {
            problems.append("\(preloadedJWKSSource) \(problem)")
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return config
    }
}

extension CognitoConfig: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "CognitoConfig(region: \(region), userPoolId: \(userPoolId), clientId: \(clientId), "
            + "acceptedClientIds: \(acceptedClientIds), machineClientIds: \(machineClientIds), "
            + "clientSecret: \(clientSecret == nil ? "none" : "<redacted>"), "
            + "previousClientSecret: \(previousClientSecret == nil ? "none" : "<redacted>"), domain: \(domain ?? "none"), "
            + "redirectURIs: \(redirectURIs), idpEndpoint: \(idpEndpoint), issuers: \(issuers), "
            + "replicaRegions: \(replicaRegions), requiredAudience: \(requiredAudience ?? "none"), jwksURL: \(jwksURL), "
            + "preloadedJWKS: \(preloadedJWKS.map { "\($0.count) bytes" } ?? "none"), leeway: \(leeway))"
    }

    public var debugDescription: String { description }

    /// `dump(config)` and `Mirror` see the secret redacted too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "region": region, "userPoolId": userPoolId, "clientId": clientId,
                "acceptedClientIds": acceptedClientIds, "machineClientIds": machineClientIds,
                "clientSecret": clientSecret == nil ? "none" : "<redacted>",
                "previousClientSecret": previousClientSecret == nil ? "none" : "<redacted>",
                "domain": domain as Any, "redirectURIs": redirectURIs, "idpEndpoint": idpEndpoint,
                "issuers": issuers, "replicaRegions": replicaRegions, "requiredAudience": requiredAudience as Any,
                "jwksURL": jwksURL,
                "preloadedJWKS": preloadedJWKS.map { "\($0.count) bytes" } as Any, "leeway": leeway,
            ],
            displayStyle: .struct
        )
    }
}

// MARK: - Validation helpers

extension CognitoConfig {
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func trimmingWhitespace(_ value: String) -> String {
        let bytes = Array(value.utf8)
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }),
            let last = bytes.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        if first == 0, last == bytes.count - 1 { return value }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    static func trimmingTrailingSlashes(_ value: String) -> String {
        var value = value
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// A comma-separated list of `name`, each entry trimmed and checked by `problem`; an empty
    /// entry or a repeat (exact bytes) is a problem too. Only the entries without problems are kept.
    static func list(
        _ raw: String?, _ name: String, _ problems: inout [String], _ problem: (String) -> String?
    ) -> [String] {
        guard let raw else { return [] }
        var items: [String] = []
        for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
            let item = trimmingWhitespace(String(part))
            if item.isEmpty {
                problems.append("\(name) has an empty entry in its comma-separated list")
            } else if let why = problem(item) {
                problems.append("\(name) entry \(quoted(item)) \(why)")
            } else if ExactText.contains(items, item) {
                problems.append("\(name) lists \(quoted(item)) twice")
            } else {
                items.append(item)
            }
        }
        return items
    }

    /// An app client id: letters, digits, `_` and `+`, at most 128 (Cognito's `[\w+]+`).
    static func isClientId(_ value: String) -> Bool {
        value.utf8.count <= 128
            && value.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+") })
    }

    /// A resource server identifier as Cognito constrains it (`ResourceServerType.Identifier`:
    /// 1-256 of `[\x21\x23-\x5B\x5D-\x7E]`): printable ASCII without space, `"` or `\`, so the
    /// value compared with `aud` has one spelling.
    static func isAudience(_ value: String) -> Bool {
        (1...256).contains(value.utf8.count)
            && value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-central-2`, …
    static func isRegion(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, value.utf8.count <= 32, let last = parts.last,
            last.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return false }
        return parts.dropLast().allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { (0x61...0x7A).contains($0) }
        }
    }

    /// AWS's pattern for a pool id: `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters.
    static func isPoolIdShape(_ value: String) -> Bool {
        guard value.utf8.count <= 55, let separator = value.lastIndex(of: "_") else { return false }
        let head = value[..<separator].utf8
        let tail = value[value.index(after: separator)...].utf8
        return !head.isEmpty && !tail.isEmpty
            && head.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
            && tail.allSatisfy(isAlphanumeric)
    }

    static func jwksProblem(_ keys: Result<JWKSet, JWKSet.Failure>) -> String? {
        switch keys {
        case .failure(let error):
            return "is not a usable JWKS: \(error.reason)"
        case .success(let set):
            if set.usableKeyCount == 0 {
                return "has no usable RSA signing key (of \(set.count) keys)"
            }
            return nil
        }
    }

    /// A short, printable excerpt of a (non-secret) value for a message.
    static func quoted(_ value: String) -> String {
        var excerpt = ""
        for scalar in value.unicodeScalars.prefix(64) {
            excerpt.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        if value.unicodeScalars.count > 64 { excerpt += "…" }
        return "'\(excerpt)'"
    }

    struct FileProblem: Error { var message: String }

    /// Reads at most `limit` bytes; a larger file (or a device like /dev/zero) is a problem, not a hang.
    static func readFile(_ path: String, limit: Int) -> Result<[UInt8], FileProblem> {
        guard let file = fopen(path, "rb") else {
            return .failure(FileProblem(message: "cannot be opened (errno \(errno))"))
        }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var total = 0
        while total <= limit {
            let count = bytes.withUnsafeMutableBytes { buffer in
                fread(buffer.baseAddress! + total, 1, limit + 1 - total, file)
            }
            if count == 0 { break }
            total += count
        }
        if ferror(file) != 0 {
            return .failure(FileProblem(message: "cannot be read"))
        }
        guard total <= limit else {
            return .failure(FileProblem(message: "is larger than \(limit) bytes"))
        }
        return .success(Array(bytes[..<total]))
    }
}
