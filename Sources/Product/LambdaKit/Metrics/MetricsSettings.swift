/// `METRICS` and `METRICS_NAMESPACE`, read once at start. A bad value is an init error (one line),
/// as for every other setting: a typo must not silently turn the metrics off or scatter them into
/// another namespace.
public struct MetricsSettings: Sendable, Equatable {
    /// The namespace when `METRICS_NAMESPACE` is unset or empty: the product's name.
    public static let defaultNamespace = "CognitoLambdaAuth"

    public var enabled: Bool
    public var namespace: String

    public init(enabled: Bool = true, namespace: String = MetricsSettings.defaultNamespace) {
        self.enabled = enabled
        self.namespace = namespace
    }

    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// `METRICS`: `on` (default) or `off`. `METRICS_NAMESPACE`: 1–255 printable ASCII characters,
    /// not starting with `:` (CloudWatch's rule for namespaces:
    /// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Metric.html); `AWS/` is
    /// refused, as CloudWatch reserves it for AWS's own namespaces.
    public static func fromEnvironment(_ environment: [String: String]) -> Result<MetricsSettings, Invalid> {
        var settings = MetricsSettings()
        switch environment["METRICS"] ?? "" {
        case "", "on": settings.enabled = true
        case "off": settings.enabled = false
        default: return .failure(Invalid(description: "METRICS must be on or off"))
        }
        if let namespace = environment["METRICS_NAMESPACE"], !namespace.isEmpty {
            let bytes = namespace.utf8
            guard bytes.count <= 255, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }), bytes.first != UInt8(ascii: ":"),
                !namespace.hasPrefix("AWS/")
            else {
                return .failure(
                    Invalid(description: "METRICS_NAMESPACE must be 1-255 printable ASCII characters, not starting with ':' or 'AWS/'"))
            }
            settings.namespace = namespace
        }
        return .success(settings)
    }
}
