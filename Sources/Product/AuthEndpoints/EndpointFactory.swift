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
        let requirePKCE = boolean(environment, "COGNITO_REQUIRE_PKCE", default: true, problems: &problems)
        let session = sessionConfig(environment, problems: &problems)
        guard problems.isEmpty, let session else { throw ConfigurationError(problems: problems) }
        let endpoint = SignInEndpoint(
            client: CognitoClient(config: config, logger: logger), redirectURIs: config.redirectURIs, requirePKCE: requirePKCE,
            session: session)
        return refusingMalformedBodies { request, context in await endpoint.handle(request, context: context) }
    }

    public static func refresh(environment: [String: String], logger: Logger) throws(ConfigurationError) -> HTTPHandler {
        let config = try CognitoConfig.fromEnvironment(environment)
        var problems: [String] = []
        if config.domain == nil {
            problems.append("COGNITO_DOMAIN is required by refresh (the managed login base URL, e.g. https://app.auth.us-east-1.amazoncognito.com)")
        }
        let session = sessionConfig(environment, problems: &problems)
        guard problems.isEmpty, let session else { throw ConfigurationError(problems: problems) }
        let endpoint = RefreshEndpoint(client: CognitoClient(config: config, logger: logger), session: session)
        return refusingMalformedBodies { request, context in await endpoint.handle(request, context: context) }
    }

    public static func me(environment: [String: String], logger: Logger) throws(ConfigurationError) -> HTTPHandler {
        let config = try CognitoConfig.fromEnvironment(environment)
        let endpoint = MeEndpoint(guardian: guardian(config), client: CognitoClient(config: config, logger: logger))
        return refusingMalformedBodies { request, context in await endpoint.handle(request, context: context) }
    }

    public static func logout(environment: [String: String], logger: Logger) throws(ConfigurationError) -> HTTPHandler {
        let config = try CognitoConfig.fromEnvironment(environment)
        var problems: [String] = []
        let session = sessionConfig(environment, problems: &problems)
        // The refresh token (a cookie, or a body's refresh_token) is revoked at
        // {domain}/oauth2/revoke, and logout_url points there too: without a domain a logout that
        // presents one could never succeed, in either delivery, so the function does not start.
        if config.domain == nil {
            problems.append(
                "COGNITO_DOMAIN is required by logout (the managed login base URL, e.g. https://app.auth.us-east-1.amazoncognito.com): refresh tokens are revoked at its /oauth2/revoke")
        }
        // Revocation store (issue 22): with AUTH_REVOCATION_TABLE, logout writes the user's mark.
        let revocation = revocationConfig(environment, problems: &problems)
        guard problems.isEmpty, let session else { throw ConfigurationError(problems: problems) }
        let logoutURL = session.logoutURI.flatMap { uri in
            config.domain.map { LogoutEndpoint.logoutURL(domain: $0, clientId: config.clientId, logoutURI: uri) }
        }
        let endpoint = LogoutEndpoint(
            guardian: guardian(config), client: CognitoClient(config: config, logger: logger), session: session, logoutURL: logoutURL,
            revocationStore: revocation.map { RevocationStore(config: $0, logger: logger) })
        return refusingMalformedBodies { request, context in await endpoint.handle(request, context: context) }
    }

    /// The API Gateway Lambda authorizer (`AUTHORIZER_*` on top of the `COGNITO_*` settings).
    /// The Cognito client is built only with `AUTHORIZER_CHECK_REVOCATION=true`, the revocation
    /// store only with `AUTH_REVOCATION_TABLE` (both at once is a start error).
    public static func authorizer(environment: [String: String], logger: Logger) throws(ConfigurationError) -> EventHandler {
        let endpoint = try authorizerEndpoint(environment: environment, logger: logger)
        return { payload, context in try await endpoint.handle(payload, context: context) }
    }

    public static func authorizerEndpoint(environment: [String: String], logger: Logger) throws(ConfigurationError) -> AuthorizerEndpoint {
        let config = try CognitoConfig.fromEnvironment(environment)
        let settings: AuthorizerConfig
        switch AuthorizerConfig.fromEnvironment(environment) {
        case .success(let parsed): settings = parsed
        case .failure(let error): throw error
        }
        // Revocation (issue 22): the store when a table is configured, else GetUser when asked.
        var problems: [String] = []
        let store = revocationConfig(environment, problems: &problems)
        if store != nil, settings.checkRevocation {
            // Exactly one mode: the store replaces GetUser, and a deployment that asks for both has
            // not decided which quota and lag it wants (README "Revocation store").
            problems.append(
                "AUTHORIZER_CHECK_REVOCATION=true and AUTH_REVOCATION_TABLE are both set: the revocation store replaces the GetUser check; set only one")
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        let revocation: AuthorizerRevocationCheck
        if let store {
            revocation = .store(RevocationStore(config: store, logger: logger))
        } else if settings.checkRevocation {
            revocation = .cognitoGetUser(CognitoClient(config: config, logger: logger))
        } else {
            revocation = .off
        }
        let keys = JWKSCache(config: config)
        return AuthorizerEndpoint(
            // Machine tokens of `COGNITO_MACHINE_CLIENT_IDS`: the rules admit one only on a route
            // whose rule names its client (`clients`), never by the default (`AuthorizerRules`).
            // The rules' `claims` names are located in the verifier's one pass over the payload.
            verifier: AccessTokenVerifier(config: config, keys: keys, acceptingMachineTokens: true, namedClaims: settings.rules.claimNames),
            revocation: revocation,
            config: settings)
    }

    /// `AUTH_REVOCATION_*` (nil when no table is configured), or nil with its problems added.
    static func revocationConfig(_ environment: [String: String], problems: inout [String]) -> RevocationConfig? {
        do {
            return try RevocationConfig.fromEnvironment(environment)
        } catch {
            problems += error.problems
            return nil
        }
    }

    /// The session settings, or nil with their problems added to `problems`.
    static func sessionConfig(_ environment: [String: String], problems: inout [String]) -> SessionConfig? {
        do {
            return try SessionConfig.fromEnvironment(environment)
        } catch {
            problems += error.problems
            return nil
        }
    }

    /// Every endpoint answers a body the event decoder could not read (non-canonical base64) with
    /// 400 `invalid_request`, before its own logic: a corrupted body is never handled as an
    /// empty one or as some other request.
    static func refusingMalformedBodies(_ handler: @escaping HTTPHandler) -> HTTPHandler {
        { request, context in
            if let why = request.malformedBody {
                let problem = ErrorTable.requestBody(.notCanonicalBase64)
                context.logger.info("request refused", metadata: problem.logMetadata.merging(["check": .string(why)]) { _, new in new })
                return problem.response
            }
            return try await handler(request, context)
        }
    }

    /// `true` or `false` exactly (unset or empty: `default`). Anything else is a problem, not a
    /// guess: `COGNITO_REQUIRE_PKCE=no` must not silently mean "yes" or "no".
    static func boolean(_ environment: [String: String], _ name: String, default value: Bool, problems: inout [String]) -> Bool {
        guard let raw = environment[name], !raw.isEmpty else { return value }
        switch raw {
        case "true": return true
        case "false": return false
        default:
            problems.append("\(name) must be true or false")
            return value
        }
    }

    static func guardian(_ config: CognitoConfig) -> BearerGuard {
        let keys = JWKSCache(config: config)
        return BearerGuard(verifier: AccessTokenVerifier(config: config, keys: keys))
    }
}
