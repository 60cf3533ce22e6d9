import AuthCore
import LambdaKit
import Logging

extension EndpointFactory {
    /// `revocation-sink`: `AUTH_REVOCATION_*` (the table is required here), the Lambda
    /// environment's region and credentials, and `COGNITO_USER_POOL_ID` (events of other pools
    /// are ignored).
    /// `transport`: how DynamoDB is reached (the process's shared HTTP client).
    public static func revocationSink(
        environment: [String: String], logger: Logger, transport: any UpstreamTransport = UpstreamHTTP.shared
    ) throws(ConfigurationError) -> EventHandler {
        var problems: [String] = []
        var config: RevocationConfig? = nil
        do {
            config = try RevocationConfig.fromEnvironment(environment)
            if config == nil { problems.append("AUTH_REVOCATION_TABLE is required by revocation-sink (the DynamoDB table of revocation marks)") }
        } catch {
            problems += error.problems
        }
        let pool = CognitoConfig.userPoolId(environment, problems: &problems)
        guard problems.isEmpty, let config, let pool else { throw ConfigurationError(problems: problems) }
        let endpoint = RevocationSinkEndpoint(store: RevocationStore(config: config, transport: transport, logger: logger), userPoolId: pool)
        return { payload, context in try await endpoint.handle(payload, context: context) }
    }
}
