import FoundationEssentials
import JSONValue
import Logging
import NIOCore
import NIOHTTP1
import WireCoding

/// Talks to Cognito for the three handlers: the managed-login OAuth2 endpoints
/// (`{domain}/oauth2/token`, `/oauth2/revoke`) and the `cognito-idp` JSON API (`GetUser`,
/// `GlobalSignOut`; unsigned, they are authorized by the access token).
///
/// Every call takes the invocation's deadline and never outlives it; bodies are capped at 1 MiB.
/// Nothing is retried (a code is single-use and a sign-out is not worth a second round trip
/// inside a Lambda deadline), with one exception: during a client secret rotation, an
/// `invalid_client` answer to the current secret is followed by one try with the previous one. Token values, codes and the client secret are never logged and
/// never end up in a `CognitoError`.
public struct CognitoClient: Sendable {
    static let maxBodyBytes = 1 << 20

    let clientId: String
    let clientSecret: String?
    /// `COGNITO_CLIENT_SECRET_PREVIOUS`: tried once after `invalid_client` to `clientSecret`.
    let previousClientSecret: String?
    let domain: String?
    let idpEndpoint: String
    let transport: any UpstreamTransport
    let logger: Logger

    /// `transport`: how Cognito is reached (the process's shared HTTP client).
    public init(
        config: CognitoConfig, transport: any UpstreamTransport = UpstreamHTTP.shared,
        logger: Logger = Logger(label: "AuthCore.CognitoClient")
    ) {
        self.init(
            clientId: config.clientId, clientSecret: config.clientSecret, previousClientSecret: config.previousClientSecret,
            domain: config.domain, idpEndpoint: config.idpEndpoint, transport: transport, logger: logger
        )
    }

    init(
        clientId: String, clientSecret: String?, previousClientSecret: String? = nil, domain: String?, idpEndpoint: String,
        transport: any UpstreamTransport = UpstreamHTTP.shared, logger: Logger = Logger(label: "AuthCore.CognitoClient")
    ) {
        self.clientId = clientId
        self.clientSecret = clientSecret.flatMap { $0.isEmpty ? nil : $0 }
        // Only meaningful beside a current secret (CognitoConfig refuses it alone).
        self.previousClientSecret = self.clientSecret == nil ? nil : previousClientSecret.flatMap { $0.isEmpty ? nil : $0 }
        self.domain = domain.map(Self.trimmingTrailingSlashes)
        self.idpEndpoint = Self.trimmingTrailingSlashes(idpEndpoint)
        self.transport = transport
        self.logger = logger
    }

    // MARK: OAuth2 endpoints

    /// Exchanges an authorization code (plus the PKCE verifier when the authorize request had a
    /// challenge) for tokens.
    public func exchangeCode(
        _ code: String, redirectURI: String, codeVerifier: String?, deadline: NIODeadline
    ) async throws(CognitoError) -> TokenSet {
        var fields: [(name: String, value: String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
        ]
        if let codeVerifier { fields.append(("code_verifier", codeVerifier)) }
        let response = try await oauthPost(
            "/oauth2/token", fields: fields, secrets: [code, codeVerifier ?? ""],
            operation: "token.authorization_code", deadline: deadline
        )
        return try CognitoResponseReader.tokenSet(response)
    }

    /// Gets new access and ID tokens for a refresh token. The answer has a refresh token only
    /// when the app client rotates them.
    public func refresh(_ refreshToken: String, deadline: NIODeadline) async throws(CognitoError) -> TokenSet {
        let response = try await oauthPost(
            "/oauth2/token", fields: [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            secrets: [refreshToken], operation: "token.refresh_token", deadline: deadline
        )
        return try CognitoResponseReader.tokenSet(response)
    }

    /// Revokes a refresh token and the access tokens issued from it (`/oauth2/revoke`).
    public func revoke(refreshToken: String, deadline: NIODeadline) async throws(CognitoError) {
        let response = try await oauthPost(
            "/oauth2/revoke", fields: [("token", refreshToken)], secrets: [refreshToken],
            operation: "revoke", deadline: deadline
        )
        // A revocation is reported as done only when Cognito's answer says so.
        try CognitoResponseReader.revocation(response)
    }

    // MARK: JSON API

    /// `GetUser`: the user the access token belongs to. Cognito checks revocation and expiry, so
    /// this is also the revocation check of `/auth/me`.
    public func getUser(accessToken: String, deadline: NIODeadline) async throws(CognitoError) -> CognitoUser {
        let response = try await apiCall("GetUser", accessToken: accessToken, deadline: deadline)
        return try CognitoResponseReader.user(response)
    }

    /// `GlobalSignOut`: revokes every token of the user the access token belongs to.
    public func globalSignOut(accessToken: String, deadline: NIODeadline) async throws(CognitoError) {
        let response = try await apiCall("GlobalSignOut", accessToken: accessToken, deadline: deadline)
        // A sign-out is reported as done only when Cognito's answer is the `{}` it sends.
        try CognitoResponseReader.emptyResult(response, operation: "GlobalSignOut")
    }

    // MARK: Plumbing

    private func oauthPost(
        _ path: String, fields: [(name: String, value: String)], secrets: [String], operation: String,
        deadline: NIODeadline
    ) async throws(CognitoError) -> UpstreamResponse {
        do {
            return try await oauthPost(
                path, fields: fields, secrets: secrets, operation: operation, clientSecret: clientSecret,
                retriedOnInvalidClient: previousClientSecret != nil, deadline: deadline)
        } catch .invalidClient where previousClientSecret != nil && domain != nil {
            // A client secret rotation: Cognito "supports up to 2 active secrets per app client for
            // zero-downtime credential rotation workflows"
            // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html),
            // so while the deployment moves to the new one, the current secret is not known to Cognito yet,
            // or this deployment's secret was rotated out. Client authentication fails before the
            // grant is looked at (RFC 6749 §5.2), so the code or token is still unused; one more
            // try with the previous secret, never more.
            let response = try await oauthPost(
                path, fields: fields, secrets: secrets, operation: operation, clientSecret: previousClientSecret,
                retriedOnInvalidClient: false, deadline: deadline)
            logger.warning(
                "Cognito accepted COGNITO_CLIENT_SECRET_PREVIOUS after refusing COGNITO_CLIENT_SECRET (invalid_client): finish the client secret rotation",
                metadata: ["operation": "\(operation)"])
            return response
        }
    }

    private func oauthPost(
        _ path: String, fields: [(name: String, value: String)], secrets: [String], operation: String, clientSecret: String?,
        retriedOnInvalidClient: Bool, deadline: NIODeadline
    ) async throws(CognitoError) -> UpstreamResponse {
        guard let domain else {
            logger.error("Cognito domain is not configured; cannot call the OAuth2 endpoints", metadata: ["operation": "\(operation)"])
            throw .invalidClient
        }
        var fields = fields
        var request = UpstreamRequest(method: .POST, url: domain + path)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        if let clientSecret {
            // Cognito's documented form: Basic base64("client_id:client_secret"), no form-encoding
            // of the parts (ids and secrets are [\w+]+ anyway).
            let credentials = Base64.encode("\(clientId):\(clientSecret)".utf8)
            request.headers.add(name: "Authorization", value: "Basic \(credentials)")
        } else {
            fields.append(("client_id", clientId))
        }
        request.body = Array(FormURLEncoding.encode(fields).utf8)

        let response = try await send(request, operation: operation, deadline: deadline)
        // Cognito's success is 200 and nothing else; a 3xx (never followed, see UpstreamHTTP) or an
        // unexpected 2xx is an answer this client does not know how to believe.
        guard response.status == 200 else {
            let error = CognitoResponseReader.oauthError(response, secrets: secrets + [self.clientSecret ?? "", previousClientSecret ?? ""])
            // An invalid_client the previous secret is about to retry is not an error yet: the
            // retry's own answer is logged.
            var retried = false
            if case .invalidClient = error { retried = retriedOnInvalidClient }
            if !retried { log(error, operation: operation, status: response.status) }
            throw error
        }
        return response
    }

    private func apiCall(_ operation: String, accessToken: String, deadline: NIODeadline) async throws(CognitoError) -> UpstreamResponse {
        var request = UpstreamRequest(method: .POST, url: idpEndpoint + "/")
        request.headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
        request.headers.add(name: "X-Amz-Target", value: "AWSCognitoIdentityProviderService.\(operation)")
        request.body = JSONWriter.serialize(.object(["AccessToken": .string(accessToken)]))

        let response = try await send(request, operation: operation, deadline: deadline)
        guard response.status == 200 else {
            let error = CognitoResponseReader.apiError(response, secrets: [accessToken])
            log(error, operation: operation, status: response.status)
            throw error
        }
        return response
    }

    private func send(_ request: UpstreamRequest, operation: String, deadline: NIODeadline) async throws(CognitoError) -> UpstreamResponse {
        guard deadline > .now() else { throw .timeout }
        do {
            return try await transport.send(request, deadline: deadline, maxBodyBytes: Self.maxBodyBytes)
        } catch {
            let mapped: CognitoError
            switch error {
            case .timeout: mapped = .timeout
            case .unreachable(let reason): mapped = .unreachable(reason)
            case .connectionLost(let reason): mapped = .unreachable("connection lost: \(reason)")
            case .bodyTooLarge: mapped = .malformedResponse("response body larger than \(Self.maxBodyBytes) bytes")
            }
            logger.warning("Cognito call failed", metadata: ["operation": "\(operation)", "error": "\(mapped)"])
            throw mapped
        }
    }

    private func log(_ error: CognitoError, operation: String, status: Int) {
        let metadata: Logger.Metadata = ["operation": "\(operation)", "status": "\(status)", "error": "\(error)"]
        switch error {
        case .invalidClient:
            // Our own credentials are wrong: every sign-in will fail until the deployment is fixed.
            logger.error(
                "Cognito rejected this app client's credentials (invalid_client): check COGNITO_CLIENT_ID / COGNITO_CLIENT_SECRET (and COGNITO_CLIENT_SECRET_PREVIOUS during a rotation)",
                metadata: metadata)
        case .missingRequiredScope:
            // Every GetUser and GlobalSignOut fails until the app client grants the scope.
            logger.error(
                "Cognito refused the access token for lack of the aws.cognito.signin.user.admin scope: add it to the app client's allowed OAuth scopes and to the sign-in request's scope",
                metadata: metadata)
        case .upstream, .throttled:
            logger.warning("Cognito call failed", metadata: metadata)
        default:
            logger.debug("Cognito refused the call", metadata: metadata)
        }
    }

    private static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = Substring(url)
        while url.hasSuffix("/") { url = url.dropLast() }
        return String(url)
    }
}
