import AuthCore

/// How sign-in, refresh and logout hand out and take back the refresh token (`AUTH_*` and
/// `COGNITO_LOGOUT_URI`), read and validated once at start like `CognitoConfig`.
public struct SessionConfig: Sendable {
    public enum Delivery: String, Sendable {
        /// Browser apps: an HttpOnly `__Host-` cookie JavaScript can never read.
        case cookie
        /// Native and mobile apps: the refresh token in the JSON bodies.
        case body
    }

    public enum SameSite: String, Sendable {
        case strict = "Strict", lax = "Lax", none = "None"
    }

    public var delivery: Delivery
    public var cookieMaxAge: Int
    public var sameSite: SameSite
    /// Origins allowed to use the cookie, compared byte for byte with the `Origin` header.
    public var allowedOrigins: [String]
    /// The sign-out URL registered on the app client, for `logout_url`.
    public var logoutURI: String?

    /// 30 days: Cognito's default refresh token validity.
    public static let defaultCookieMaxAge = 2_592_000
    public static let cookieMaxAgeRange = 60...315_360_000

    public init(
        delivery: Delivery = .cookie, cookieMaxAge: Int = SessionConfig.defaultCookieMaxAge, sameSite: SameSite = .strict,
        allowedOrigins: [String] = [], logoutURI: String? = nil
    ) {
        self.delivery = delivery
        self.cookieMaxAge = cookieMaxAge
        self.sameSite = sameSite
        self.allowedOrigins = allowedOrigins
        self.logoutURI = logoutURI
    }

    /// Reads the variables and reports every problem at once. Values are trimmed; an empty value
    /// counts as unset. Spellings are exact (`cookie`, `Strict`): a near miss is a problem, never a
    /// guess at what was meant.
    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> SessionConfig {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let raw = env[name] else { return nil }
            let trimmed = raw.trimmingASCIIWhitespace
            return trimmed.isEmpty ? nil : trimmed
        }
        var config = SessionConfig()
        if let given = value("AUTH_REFRESH_TOKEN_DELIVERY") {
            if let delivery = Delivery(rawValue: given) {
                config.delivery = delivery
            } else {
                problems.append("AUTH_REFRESH_TOKEN_DELIVERY must be cookie or body")
            }
        }
        if let given = value("AUTH_REFRESH_COOKIE_MAX_AGE") {
            if let seconds = Int(given), cookieMaxAgeRange.contains(seconds), given.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                config.cookieMaxAge = seconds
            } else {
                problems.append("AUTH_REFRESH_COOKIE_MAX_AGE must be a whole number of seconds from \(cookieMaxAgeRange.lowerBound) to \(cookieMaxAgeRange.upperBound)")
            }
        }
        if let given = value("AUTH_REFRESH_COOKIE_SAMESITE") {
            if let sameSite = SameSite(rawValue: given) {
                config.sameSite = sameSite
            } else {
                problems.append("AUTH_REFRESH_COOKIE_SAMESITE must be Strict, Lax or None")
            }
        }
        if let list = value("AUTH_ALLOWED_ORIGINS") {
            for item in list.split(separator: ",", omittingEmptySubsequences: false) {
                let origin = String(item).trimmingASCIIWhitespace
                if let problem = ConfiguredURL.problem(origin, kind: .origin) {
                    problems.append("AUTH_ALLOWED_ORIGINS entry '\(origin.prefix(64))' \(problem)")
                } else if !ExactText.contains(config.allowedOrigins, origin) {
                    config.allowedOrigins.append(origin)
                }
            }
        }
        if config.delivery == .cookie, value("AUTH_ALLOWED_ORIGINS") == nil {
            problems.append(
                "AUTH_ALLOWED_ORIGINS is required when AUTH_REFRESH_TOKEN_DELIVERY is cookie (the origins of the web apps that may use the refresh cookie, e.g. https://app.example.com)")
        }
        if let uri = value("COGNITO_LOGOUT_URI") {
            if let problem = ConfiguredURL.problem(uri, kind: .redirect) {
                problems.append("COGNITO_LOGOUT_URI '\(uri.prefix(64))' \(problem)")
            } else {
                config.logoutURI = uri
            }
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return config
    }
}

extension String {
    var trimmingASCIIWhitespace: String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
