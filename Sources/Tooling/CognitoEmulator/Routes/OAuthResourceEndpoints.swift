import FoundationEssentials
import Hummingbird
import WireCoding

/// `/oauth2/userInfo` (bearer access token) and `/oauth2/revoke` (refresh token).
struct OAuthResourceEndpoints: Sendable {
    let core: EmulatorCore

    func userInfo(_ request: Request, context: EmulatorContext) async throws -> Response {
        try await core.applyingFaults("UserInfo", style: .oauth, context: context, requestId: UUIDString.random()) {
            guard let authorization = request.headers[.authorization], let credentials = Exact.credentials(authorization, scheme: "Bearer"),
                case let token = credentials.trimmingSpaces, !token.isEmpty
            else {
                return Responses.oauthError("invalid_request", "Access token is missing", status: 400)
            }
            let claims: AccessTokenInspector.Claims
            let user: UserRecord
            switch await core.authorizeAccessToken(token, requiredScope: nil) {
            case .failure(.token(let problem)):
                let description: String
                switch problem {
                case .expired: description = "Access token is expired"
                case .revoked: description = "Access token has been revoked"
                case .invalid, .missingScope: description = "Invalid access token"
                }
                return invalidToken(description)
            case .failure(.userNotFound):
                return invalidToken("User does not exist")
            case .success(let value):
                claims = value.0
                user = value.1
            }
            func has(_ scope: String) -> Bool { Exact.contains(claims.scopes, scope) }
            guard has("openid") || has(EmulatorCore.adminScope) else {
                return invalidToken("Access token does not contain openid scope")
            }
            let everything = has(EmulatorCore.adminScope) || has("profile")
            var allowed = ["sub"]
            if has("email") { allowed += ["email", "email_verified"] }
            if has("phone") { allowed += ["phone_number", "phone_number_verified"] }
            var members: [(String, OrderedJSON)] = []
            for attribute in user.attributes where everything || Exact.contains(allowed, attribute.name) {
                members.append((attribute.name, .string(attribute.value)))
            }
            members.append(("username", .string(user.username)))
            return Responses.oauthJSON(.object(members))
        }
    }

    func revoke(_ request: Request, context: EmulatorContext) async throws -> Response {
        var request = request
        let bytes = try await EmulatorCore.collectBody(&request)
        return try await core.applyingFaults("Revoke", style: .oauth, context: context, requestId: UUIDString.random()) {
            let form = FormParameters(FormURLEncoding.parseLeniently(String(decoding: bytes, as: UTF8.self)))
            guard let client = core.authenticateClient(headers: request.headers, form: form) else {
                return Responses.oauthError("invalid_client")
            }
            guard let token = form["token"], !token.isEmpty else { return Responses.oauthError("invalid_request") }
            // Cognito: "HTTP 400 and error invalid_request ... if the feature is disabled for the app client".
            guard core.options.tokenRevocation else { return Responses.oauthError("invalid_request") }
            // Only refresh tokens are revocable here; access and ID tokens are JWSs.
            if Exact.split(token, on: UInt8(ascii: ".")).count == 3 {
                return Responses.oauthError("unsupported_token_type")
            }
            if let session = await core.store.session(forRefreshToken: token) {
                guard Exact.equals(session.clientId, client.clientId) else { return Responses.oauthError("invalid_request") }
                // The whole session: this refresh token, its rotation chain, and every access
                // token minted from them (GetUser then answers "Access Token has been revoked").
                await core.store.revokeSession(refreshToken: token)
            }
            // RFC 7009 §2.2: unknown or already revoked tokens still get 200 (revoking twice is fine).
            return Responses.empty(status: 200)
        }
    }

    private func invalidToken(_ description: String) -> Response {
        Responses.oauthError(
            "invalid_token", description, status: 401,
            extraHeaders: [.wwwAuthenticate: "Bearer error=\"invalid_token\", error_description=\"\(description)\""]
        )
    }
}
