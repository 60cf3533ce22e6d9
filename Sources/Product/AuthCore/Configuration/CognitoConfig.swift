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
    public var clientId: String
    /// Never printed: `description` redacts it.
    public var clientSecret: String?
    /// Hosted UI / managed login base URL, no trailing slash. Required by sign-in only.
    public var domain: String?
    /// Allow-list of redirect URIs; the first is the default.
    public var redirectURIs: [String]
    /// Base URL of the JSON API, no trailing slash.
    public var idpEndpoint: String
    /// The expected `iss` of every token.
    public var issuer: String
    public var jwksURL: String
    /// A JWKS to preload (`COGNITO_JWKS` or the contents of `COGNITO_JWKS_FILE`).
    public var preloadedJWKS: [UInt8]?
    /// Clock-skew leeway for `exp`, `nbf` and `iat`.
    public var leeway: Duration

    /// Largest accepted preloaded JWKS, the same cap as a fetched one.
    public static let maximumJWKSBytes = 64 * 1024
    public static let defaultLeeway: Duration = .seconds(30)
    public static let maximumLeewaySeconds = 60

    /// Builds a configuration, deriving what is not given the way `fromEnvironment` does:
    /// `idpEndpoint` from the region, `issuer` and `jwksURL` from the region and pool.
    public init(
        region: String,
        userPoolId: String,
        clientId: String,
        clientSecret: String? = nil,
        domain: String? = nil,
        redirectURIs: [String] = [],
        idpEndpoint: String? = nil,
        issuer: String? = nil,
        jwksURL: String? = nil,
        preloadedJWKS: [UInt8]? = nil,
        leeway: Duration = CognitoConfig.defaultLeeway
    ) {
        self.region = region
        self.userPoolId = userPoolId
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.domain = domain.map(Self.trimmingTrailingSlashes)
        self.redirectURIs = redirectURIs
        let endpoint = Self.trimmingTrailingSlashes(idpEndpoint ?? Self.defaultIdpEndpoint(region: region))
        self.idpEndpoint = endpoint
        self.issuer = issuer ?? Self.defaultIssuer(region: region, userPoolId: userPoolId)
        self.jwksURL = jwksURL ?? "\(endpoint)/\(userPoolId)/.well-known/jwks.json"
        self.preloadedJWKS = preloadedJWKS
        self.leeway = leeway
    }

    public static func defaultIdpEndpoint(region: String) -> String {
        "https://cognito-idp.\(region).amazonaws.com"
    }

    /// The AWS-form issuer. Local emulators (and moto) mint tokens with this same issuer, so
    /// only the endpoints change between local and AWS.
    public static func defaultIssuer(region: String, userPoolId: String) -> String {
        "https://cognito-idp.\(region).amazonaws.com/\(userPoolId)"
    }

    /// Reads the `COGNITO_*` variables (see DESIGN.md) and reports every problem at once.
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
            if clientId.utf8.count > 128 || !clientId.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+") }) {
                problems.append("COGNITO_CLIENT_ID \(quoted(clientId)) is not an app client id (letters and digits, at most 128)")
            }
        } else {
            problems.append("COGNITO_CLIENT_ID is not set")
        }

        // Never echo the secret, not even in part.
        let clientSecret = value("COGNITO_CLIENT_SECRET")
        if let clientSecret, clientSecret.utf8.contains(where: { $0 < 0x21 || $0 > 0x7E }) {
            problems.append("COGNITO_CLIENT_SECRET contains characters that are not printable ASCII (value not shown)")
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

        let issuer = value("COGNITO_ISSUER")
        if let issuer, let problem = ConfiguredURL.problem(issuer, kind: .issuer) {
            problems.append("COGNITO_ISSUER \(quoted(issuer)) \(problem)")
        }

        var preloadedJWKS: [UInt8]? = nil
        let inlineJWKS = value("COGNITO_JWKS")
        let jwksFile = value("COGNITO_JWKS_FILE")
        if inlineJWKS != nil, jwksFile != nil {
            problems.append("COGNITO_JWKS and COGNITO_JWKS_FILE are both set; set only one")
        } else if let inlineJWKS {
            preloadedJWKS = Array(inlineJWKS.utf8)
            if let problem = jwksProblem(preloadedJWKS!) {
                problems.append("COGNITO_JWKS \(problem)")
            }
        } else if let jwksFile {
            switch readFile(jwksFile, limit: maximumJWKSBytes) {
            case .success(let bytes):
                preloadedJWKS = bytes
                if let problem = jwksProblem(bytes) {
                    problems.append("COGNITO_JWKS_FILE \(quoted(jwksFile)) \(problem)")
                }
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

        guard problems.isEmpty, let region, let userPoolId, let clientId else {
            throw ConfigurationError(problems: problems)
        }
        return CognitoConfig(
            region: region,
            userPoolId: userPoolId,
            clientId: clientId,
            clientSecret: clientSecret,
            domain: domain,
            redirectURIs: redirectURIs,
            idpEndpoint: idpEndpoint,
            issuer: issuer,
            preloadedJWKS: preloadedJWKS,
            leeway: leeway
        )
    }
}

extension CognitoConfig: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "CognitoConfig(region: \(region), userPoolId: \(userPoolId), clientId: \(clientId), "
            + "clientSecret: \(clientSecret == nil ? "none" : "<redacted>"), domain: \(domain ?? "none"), "
            + "redirectURIs: \(redirectURIs), idpEndpoint: \(idpEndpoint), issuer: \(issuer), jwksURL: \(jwksURL), "
            + "preloadedJWKS: \(preloadedJWKS.map { "\($0.count) bytes" } ?? "none"), leeway: \(leeway))"
    }

    public var debugDescription: String { description }

    /// `dump(config)` and `Mirror` see the secret redacted too.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "region": region, "userPoolId": userPoolId, "clientId": clientId,
                "clientSecret": clientSecret == nil ? "none" : "<redacted>",
                "domain": domain as Any, "redirectURIs": redirectURIs, "idpEndpoint": idpEndpoint,
                "issuer": issuer, "jwksURL": jwksURL,
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

    static func jwksProblem(_ bytes: [UInt8]) -> String? {
        guard bytes.count <= maximumJWKSBytes else {
            return "is larger than \(maximumJWKSBytes) bytes"
        }
        switch JWKSet.parse(bytes) {
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
