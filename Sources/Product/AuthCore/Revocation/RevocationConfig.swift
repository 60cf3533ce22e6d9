/// The revocation store's settings, read once at start (`AUTH_REVOCATION_*` plus the Lambda
/// environment's region and credentials). `AUTH_REVOCATION_TABLE` unset or empty: the feature is
/// off (`fromEnvironment` returns nil) and nothing else is read or required.
public struct RevocationConfig: Sendable {
    public enum OnError: String, Sendable {
        /// Fail closed (default): a store that cannot answer refuses the token.
        case deny
        /// Fail open: the token is accepted and the failure logged at error.
        case allow
    }

    public var table: String
    /// How long a mark is kept (its TTL is `T + retention`): at least the longest a session can
    /// live, i.e. the app client's refresh-token validity. Default 30 days (Cognito's default).
    public var retentionSeconds: Int64
    /// How long a read is reused by this process (0: every decision reads the table).
    public var cacheSeconds: Int64
    public var onError: OnError
    public var aws: AWSEnvironment
    public var endpoint: DynamoDBEndpoint

    public static let defaultRetentionSeconds: Int64 = 30 * 86_400
    /// Cognito's refresh tokens live 60 minutes to 10 years (app client settings), and a mark must
    /// outlive every session it revokes.
    public static let retentionRange: ClosedRange<Int64> = 3_600...315_360_000
    /// A cached "not revoked" is a window in which a signed-out token still passes: kept short.
    public static let cacheRange: ClosedRange<Int64> = 0...300

    public init(
        table: String, retentionSeconds: Int64 = RevocationConfig.defaultRetentionSeconds, cacheSeconds: Int64 = 0,
        onError: OnError = .deny, aws: AWSEnvironment, endpoint: DynamoDBEndpoint? = nil
    ) {
        self.table = table
        self.retentionSeconds = retentionSeconds
        self.cacheSeconds = cacheSeconds
        self.onError = onError
        self.aws = aws
        self.endpoint = endpoint ?? .standard(region: aws.region)
    }

    /// nil when `AUTH_REVOCATION_TABLE` is unset or empty; every problem at once otherwise.
    public static func fromEnvironment(_ env: [String: String]) throws(ConfigurationError) -> RevocationConfig? {
        func value(_ name: String) -> String? {
            guard let raw = env[name] else { return nil }
            let trimmed = CognitoConfig.trimmingWhitespace(raw)
            return trimmed.isEmpty ? nil : trimmed
        }
        guard let table = value("AUTH_REVOCATION_TABLE") else { return nil }
        var problems: [String] = []
        if !isTableName(table) {
            problems.append("AUTH_REVOCATION_TABLE \(CognitoConfig.quoted(table)) is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ - .)")
        }
        func seconds(_ name: String, default fallback: Int64, range: ClosedRange<Int64>) -> Int64 {
            guard let raw = value(name) else { return fallback }
            guard raw.utf8.allSatisfy({ (0x30...0x39).contains($0) }), raw.utf8.count <= 12, let parsed = Int64(raw),
                range.contains(parsed)
            else {
                problems.append("\(name) \(CognitoConfig.quoted(raw)) must be a whole number of seconds in \(range.lowerBound)-\(range.upperBound)")
                return fallback
            }
            return parsed
        }
        let retention = seconds("AUTH_REVOCATION_RETENTION_SECONDS", default: defaultRetentionSeconds, range: retentionRange)
        let cache = seconds("AUTH_REVOCATION_CACHE_SECONDS", default: 0, range: cacheRange)
        var onError = OnError.deny
        if let raw = value("AUTH_REVOCATION_ON_ERROR") {
            // Exact words only: a typo must not quietly pick a side of a security decision.
            if let parsed = OnError(rawValue: raw) {
                onError = parsed
            } else {
                problems.append("AUTH_REVOCATION_ON_ERROR \(CognitoConfig.quoted(raw)) must be deny or allow")
            }
        }
        let aws = AWSEnvironment.read(env, purpose: "AUTH_REVOCATION_TABLE is set", problems: &problems)
        let endpoint = aws.flatMap { DynamoDBEndpoint.fromEnvironment(env, region: $0.region, problems: &problems) }
        guard problems.isEmpty, let aws, let endpoint else { throw ConfigurationError(problems: problems) }
        return RevocationConfig(
            table: table, retentionSeconds: retention, cacheSeconds: cache, onError: onError, aws: aws, endpoint: endpoint)
    }

    /// DynamoDB's TableName rule: 3-255 characters of `[a-zA-Z0-9_.-]`.
    static func isTableName(_ name: String) -> Bool {
        (3...255).contains(name.utf8.count)
            && name.utf8.allSatisfy { CognitoConfig.isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
