/// Where DynamoDB is reached: `https://dynamodb.{region}.amazonaws.com`, or the URL in
/// `AWS_ENDPOINT_URL_DYNAMODB` (the AWS SDKs' own service-specific override:
/// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), which passes the
/// same checks as every configured URL (`ConfiguredURL`: https, plain http to loopback only).
public struct DynamoDBEndpoint: Sendable, Equatable {
    /// Base URL without a trailing slash; requests go to `{url}/`.
    public let url: String
    /// The `Host` header value the request is signed with: host, plus `:port` when the URL names one.
    public let host: String

    public static func standard(region: String) -> DynamoDBEndpoint {
        DynamoDBEndpoint(url: "https://dynamodb.\(region).amazonaws.com", host: "dynamodb.\(region).amazonaws.com")
    }

    /// The endpoint for `region`, overridden by `AWS_ENDPOINT_URL_DYNAMODB`; nil with a problem line.
    public static func fromEnvironment(_ env: [String: String], region: String, problems: inout [String]) -> DynamoDBEndpoint? {
        let raw = env["AWS_ENDPOINT_URL_DYNAMODB"].map(CognitoConfig.trimmingWhitespace) ?? ""
        guard !raw.isEmpty else { return standard(region: region) }
        if let problem = ConfiguredURL.problem(raw, kind: .endpoint) {
            problems.append("AWS_ENDPOINT_URL_DYNAMODB \(CognitoConfig.quoted(raw)) \(problem)")
            return nil
        }
        let url = CognitoConfig.trimmingTrailingSlashes(raw)
        // DynamoDB's JSON protocol posts to `/`: a base path would be signed and sent as given,
        // but no DynamoDB endpoint has one, so it is a mistake worth a line.
        guard let authority = Self.authority(url) else {
            problems.append("AWS_ENDPOINT_URL_DYNAMODB \(CognitoConfig.quoted(raw)) must be scheme://host[:port] with no path")
            return nil
        }
        return DynamoDBEndpoint(url: url, host: authority)
    }

    /// `host[:port]` of `scheme://host[:port]`, or nil when anything follows it.
    static func authority(_ url: String) -> String? {
        let parts = url.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, !parts[1].contains("/") else { return nil }
        return String(parts[1])
    }

    init(url: String, host: String) {
        self.url = url
        self.host = host
    }
}
