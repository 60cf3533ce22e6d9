import Crypto
import FoundationEssentials
import Hummingbird
import WireCoding

/// `POST /oauth2/token`: authorization_code (with PKCE), refresh_token and client_credentials grants.
struct TokenEndpoint: Sendable {
    let core: EmulatorCore

    func handle(_ request: Request, context: EmulatorContext) async throws -> Response {
        var request = request
        let bytes = try await EmulatorCore.collectBody(&request)
        return try await core.applyingFaults("Token", style: .oauth, context: context, requestId: UUIDString.random()) {
            let form = FormParameters(FormURLEncoding.parseLeniently(String(decoding: bytes, as: UTF8.self)))
            guard let client = core.authenticateClient(headers: request.headers, form: form) else {
                return Responses.oauthError("invalid_client")
            }
            // grant_type only picks the code path; each path makes its own byte-exact checks.
            // A client-credentials client has no other grant, and only it has that one (Cognito
            // does not combine client_credentials with code in AllowedOAuthFlows).
            switch form["grant_type"] {
            case nil: return Responses.oauthError("invalid_request")
            case "authorization_code" where !client.clientCredentials: return try await authorizationCode(form, client: client)
            case "refresh_token" where !client.clientCredentials: return try await refresh(form, client: client)
            case "client_credentials" where client.clientCredentials: return try clientCredentials(form, client: client)
            case "authorization_code", "refresh_token", "client_credentials": return Responses.oauthError("unauthorized_client")
            default: return Responses.oauthError("unsupported_grant_type")
            }
        }
    }

    private func authorizationCode(_ form: FormParameters, client: EmulatorAppClient) async throws -> Response {
        guard let code = form["code"] else { return Responses.oauthError("invalid_request") }
        let record: CodeRecord
        switch await core.store.redeemCode(code, now: core.clock.now) {
        case .failure: return Responses.oauthError("invalid_grant")
        case .success(let value): record = value
        }
        guard Exact.equals(record.clientId, client.clientId) else { return Responses.oauthError("invalid_grant") }
        guard let redirectURI = form["redirect_uri"] else { return Responses.oauthError("invalid_request") }
        // Byte-exact match with the redirect_uri the code was issued for (RFC 6749 §4.1.3;
        // Cognito answers unauthorized_client).
        guard Exact.equals(redirectURI, record.redirectURI) else { return Responses.oauthError("unauthorized_client") }
        if let challenge = record.codeChallenge {
            guard let verifier = form["code_verifier"] else { return Responses.oauthError("invalid_request") }
            guard Self.pkceMatches(verifier: verifier, challenge: challenge, method: record.codeChallengeMethod ?? "plain") else {
                return Responses.oauthError("invalid_grant")
            }
        }
        guard let user = core.store.user(named: record.username) else { return Responses.oauthError("invalid_grant") }
        let now = core.clock.seconds
        let (session, refreshToken) = await core.store.createSession(
            username: user.username, clientId: record.clientId, scopes: record.scopes, audience: record.audience, authTime: record.authTime,
            refreshExpiresAt: core.clock.now + Double(core.options.refreshTokenLifetime)
        )
        let tokens = try core.minter.mint(
            user: user, session: session, now: now, includeIdToken: Exact.contains(record.scopes, "openid"), nonce: record.nonce,
            refreshToken: refreshToken
        )
        return tokenResponse(tokens)
    }

    /// Without rotation: new access and ID tokens, no refresh_token member (as Cognito).
    /// With rotation: also a new refresh token; the submitted one is retired (grace period
    /// in `EmulatorStore.redeemRefreshToken`). Unknown, revoked, expired and rotated-out
    /// tokens are all invalid_grant, as Cognito answers.
    private func refresh(_ form: FormParameters, client: EmulatorAppClient) async throws -> Response {
        guard let token = form["refresh_token"] else { return Responses.oauthError("invalid_request") }
        let redeemed = await core.store.redeemRefreshToken(
            token, clientId: client.clientId, now: core.clock.now, rotate: core.options.refreshTokenRotation, graceSeconds: grace
        )
        // Users are fixed at start, so a session's user always exists; checked all the same.
        guard case .success(let (session, successor)) = redeemed, let user = core.store.user(named: session.username) else {
            return Responses.oauthError("invalid_grant")
        }
        let tokens = try core.minter.mint(
            user: user, session: session, now: core.clock.seconds, includeIdToken: Exact.contains(session.scopes, "openid"), nonce: nil,
            refreshToken: successor
        )
        return tokenResponse(tokens)
    }

    private var grace: Double { Double(core.options.rotationGraceSeconds) }

    /// Machine-to-machine: a confidential client's own access token (no ID or refresh token),
    /// with the requested custom scopes (all of the client's when `scope` is absent) and, with a
    /// `resource` naming a resource server, `aud`.
    /// https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
    private func clientCredentials(_ form: FormParameters, client: EmulatorAppClient) throws -> Response {
        guard client.clientSecret != nil else { return Responses.oauthError("unauthorized_client") }
        let scopes: [String]
        if let requested = form["scope"], !requested.trimmingSpaces.isEmpty {
            scopes = requested.split(separator: " ").map(String.init)
            guard scopes.allSatisfy({ Exact.contains(client.allowedScopes, $0) }) else { return Responses.oauthError("invalid_scope") }
        } else {
            scopes = client.allowedScopes
        }
        var audience: String? = nil
        if let resource = form["resource"] {
            guard let server = core.resourceServer(resource) else { return Responses.oauthError("invalid_target") }
            audience = server.identifier
        }
        return tokenResponse(try core.minter.mintMachine(clientId: client.clientId, scopes: scopes, audience: audience, now: core.clock.seconds))
    }

    private func tokenResponse(_ tokens: MintedTokens) -> Response {
        var members: [(String, OrderedJSON)] = []
        if let id = tokens.idToken { members.append(("id_token", .string(id))) }
        members.append(("access_token", .string(tokens.accessToken)))
        if let refresh = tokens.refreshToken { members.append(("refresh_token", .string(refresh + EmulatorCore.refreshTokenSuffix))) }
        members.append(("expires_in", .int(Int64(tokens.expiresIn))))
        members.append(("token_type", .string("Bearer")))
        return Responses.oauthJSON(.object(members))
    }

    /// RFC 7636 §4.6; the comparison is constant-time over the bytes (so byte-exact too).
    static func pkceMatches(verifier: String, challenge: String, method: String) -> Bool {
        guard (43...128).contains(verifier.utf8.count) else { return false }
        if Exact.equals(method, "S256") {
            return ConstantTime.equals(Base64URL.encode(ByteArray.of(SHA256.hash(data: Array(verifier.utf8)))), challenge)
        }
        if Exact.equals(method, "plain") { return ConstantTime.equals(verifier, challenge) }
        return false
    }
}
