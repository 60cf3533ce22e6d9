/// The AWS settings every signed call needs, read once at start from the Lambda environment:
/// the region (`AWS_REGION`) and the execution role's credentials. Each problem is one line that
/// names the variable; a secret's value is never part of it.
public struct AWSEnvironment: Sendable {
    public var region: String
    public var credentials: AWSCredentials

    public init(region: String, credentials: AWSCredentials) {
        self.region = region
        self.credentials = credentials
    }

    /// The settings, or every problem with them added to `problems` (and nil).
    /// `purpose` says in the message why they are needed (e.g. "AUTH_REVOCATION_TABLE is set").
    public static func read(_ env: [String: String], purpose: String, problems: inout [String]) -> AWSEnvironment? {
        let before = problems.count
        func value(_ name: String) -> String? {
            guard let raw = env[name] else { return nil }
            let trimmed = CognitoConfig.trimmingWhitespace(raw)
            return trimmed.isEmpty ? nil : trimmed
        }
        let region = value("AWS_REGION")
        if let region {
            if !CognitoConfig.isRegion(region) {
                problems.append("AWS_REGION \(CognitoConfig.quoted(region)) is not an AWS region name (like us-east-1)")
            }
        } else {
            problems.append("AWS_REGION is not set (\(purpose); Lambda sets it)")
        }
        // An access key id is 16-128 word characters (IAM's AccessKeyIdType); it is not a secret,
        // but it names the key, so it is not echoed either.
        let keyId = value("AWS_ACCESS_KEY_ID")
        if let keyId {
            if !(16...128).contains(keyId.utf8.count) || !keyId.utf8.allSatisfy({ CognitoConfig.isAlphanumeric($0) || $0 == UInt8(ascii: "_") }) {
                problems.append("AWS_ACCESS_KEY_ID is not an access key id (16-128 letters and digits; value not shown)")
            }
        } else {
            problems.append("AWS_ACCESS_KEY_ID is not set (\(purpose); Lambda sets it from the execution role)")
        }
        let secret = value("AWS_SECRET_ACCESS_KEY")
        if let secret {
            if !isPrintableASCII(secret) {
                problems.append("AWS_SECRET_ACCESS_KEY contains characters that are not printable ASCII (value not shown)")
            }
        } else {
            problems.append("AWS_SECRET_ACCESS_KEY is not set (\(purpose); Lambda sets it from the execution role)")
        }
        let token = value("AWS_SESSION_TOKEN")
        if let token, !isPrintableASCII(token) {
            problems.append("AWS_SESSION_TOKEN contains characters that are not printable ASCII (value not shown)")
        }
        guard problems.count == before, let region, let keyId, let secret else { return nil }
        return AWSEnvironment(
            region: region, credentials: AWSCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token))
    }

    /// Header values: no controls, no spaces (a secret with one would be mangled by trimming).
    static func isPrintableASCII(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
