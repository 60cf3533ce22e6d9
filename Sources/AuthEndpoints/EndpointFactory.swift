import AuthCore
import LambdaKit
import Logging

/// Builds each endpoint's handler from the process environment, once, at init. Everything built
/// here (configuration, JWKS cache, HTTP client) lives for the whole execution environment and is
/// reused by every warm invocation.
public enum EndpointFactory {
    public static func signIn(environment: [String: String], logger: Logger) throws(ConfigurationError) -> HTTPHandler {
        let config = try CognitoConfig.fromEnvironment(environment)
        var problems: [String] = []
        if config.domain == nil {
            problems.append("COGNITO_DOMAIN is required by sign-in (the managed login base URL, e.g. https://app.auth.us-east-1.amazoncognito.com)")
        }
        if config.redirectURIs.isEmpty {
            problems.append("COGNITO_REDIRECT_URI is required by sign-in (the redirect URI registered on the app client)")
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        let endpoint = SignInEndpoint(client: CognitoClient(config: config, logger: logger), redirectURIs: config.redirectURIs)
        return { request, context in await endpoint.handle(request, context: context) }
    }

    public static func me(environment: [String: String], logger: Logger) throws(ConfigurationError) -> HTTPHandler {
        let config = try CognitoConfig.fromEnvironment(environment)
        let endpoint = MeEndpoint(guardian: guardian(config), client: CognitoClient(config: config, logger: logger))
        return { request, context in await endpoint.handle(request, context: context) }
    }

    public static func logout(environment: [String: String], logger: Logger) throws(ConfigurationError) -> HTTPHandler {
        let config = try CognitoConfig.fromEnvironment(environment)
        let endpoint = LogoutEndpoint(guardian: guardian(config), client: CognitoClient(config: config, logger: logger))
        return { request, context in await endpoint.handle(request, context: context) }
    }

    static func guardian(_ config: CognitoConfig) -> BearerGuard {
        let keys = JWKSCache(url: config.jwksURL, preloaded: config.preloadedJWKS)
        return BearerGuard(verifier: AccessTokenVerifier(config: config, keys: keys))
    }
}
