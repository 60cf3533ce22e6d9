import Crypto
import FoundationEssentials
import Hummingbird
import WireCoding

/// `POST /oauth2/token`: authorization_code (with PKCE) and refresh_token grants.
struct TokenEndpoint: Sendable {
    let core: EmulatorCore

    func handle(_ request: Request, context: EmulatorContext) async throws -> Response {
        var request = request
        let bytes = try await EmulatorCore.collectBody(&request)
        return try await core.applyingFaults("Token", style: .oauth, context: context, requestId: UUIDString.random()) {
            let form = FormParameters(FormURLEncoding.parseLeniently(String(decoding: bytes, as: UTF8.self)))
            guard core.authenticateClient(headers: request.headers, form: form) else {
                return Responses.oauthError("invalid_client")
            }
            // grant_type only picks the code path; each path makes its own byte-exact checks.
            switch form["grant_type"] {
            case nil: return Responses.oauthError("invalid_request")
            case "authorization_code": return try await authorizationCode(form)
            case "refresh_token": return try await refresh(form)
            case "client_credentials": return Responses.oauthError("unauthorized_client")
            default: return Responses.oauthError("unsupported_grant_type")
            }
        }
    }

    private func authorizationCode(_ form: FormParameters) async throws -> Response {
        guard let code = form["code"] else { return Responses.oauthError("invalid_request") }
        let record: CodeRecord
        switch await core.store.redeemCode(code, now: core.clock.now) {
        case .failure: return Responses.oauthError("invalid_grant")
        case .success(let value): record = value
        }
        guard Exact.equals(record.clientId, core.options.clientId) else { return Responses.oauthError("invalid_grant") }
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
            username: user.username, clientId: record.clientId, scopes: record.scopes, authTime: record.authTime,
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
    private func refresh(_ form: FormParameters) async throws -> Response {
        guard let token = form["refresh_token"] else { return Responses.oauthError("invalid_request") }
        let redeemed = await core.store.redeemRefreshToken(
            token, clientId: core.options.clientId, now: core.clock.now, rotate: core.options.refreshTokenRotation, graceSeconds: grace
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
