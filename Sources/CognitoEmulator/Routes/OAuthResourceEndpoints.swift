import FoundationEssentials
import Hummingbird

/// `/oauth2/userInfo` (bearer access token) and `/oauth2/revoke` (refresh token).
struct OAuthResourceEndpoints: Sendable {
    let core: EmulatorCore

    func userInfo(_ request: Request, context: EmulatorContext) async throws -> Response {
        try await core.applyingFaults("UserInfo", style: .oauth, context: context, requestId: UUIDString.random()) {
            guard let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer "),
                case let token = String(authorization.dropFirst(7)).trimmingSpaces, !token.isEmpty
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
            guard claims.scopes.contains("openid") || claims.scopes.contains(EmulatorCore.adminScope) else {
                return invalidToken("Access token does not contain openid scope")
            }
            let everything = claims.scopes.contains(EmulatorCore.adminScope) || claims.scopes.contains("profile")
            var allowed: Set<String> = ["sub"]
            if claims.scopes.contains("email") { allowed.formUnion(["email", "email_verified"]) }
            if claims.scopes.contains("phone") { allowed.formUnion(["phone_number", "phone_number_verified"]) }
            var members: [(String, OrderedJSON)] = []
            for attribute in user.attributes where everything || allowed.contains(attribute.name) {
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
            let form = FormParameters(FormEncoding.parse(String(decoding: bytes, as: UTF8.self)))
            guard core.authenticateClient(headers: request.headers, form: form) else {
                return Responses.oauthError("invalid_client")
            }
            guard let token = form["token"], !token.isEmpty else { return Responses.oauthError("invalid_request") }
            // Only refresh tokens are revocable here; access and ID tokens are JWSs.
            if token.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
                return Responses.oauthError("unsupported_token_type")
            }
            if let session = await core.store.session(forRefreshToken: token) {
                guard session.clientId == core.options.clientId else { return Responses.oauthError("invalid_request") }
                await core.store.revokeSession(refreshToken: token)
            }
            // RFC 7009 §2.2: unknown or already revoked tokens still get 200.
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
