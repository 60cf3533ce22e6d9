import AuthCore
import JSONValue
import LambdaKit
import WireCoding

/// `GET|POST /auth/logout`: ends the session with every credential the request carries.
///
/// - A valid bearer token: Cognito `GlobalSignOut` (revokes every token of the user).
/// - The refresh cookie (CSRF-checked like refresh), or `refresh_token` in a body-delivery JSON
///   body: `/oauth2/revoke` for it, and the cookie is cleared. With such a refresh token, a
///   missing or expired access token does not stop the logout.
/// - Neither: the bearer guard's 403, as before.
///
/// One Cognito call per credential, never more. `GlobalSignOut` does not end the managed-login
/// browser session, so when `COGNITO_LOGOUT_URI` is set the body also has `logout_url`.
public struct LogoutEndpoint: Sendable {
    let guardian: BearerGuard
    let client: CognitoClient
    let delivery: SessionDelivery
    /// `{COGNITO_DOMAIN}/logout?client_id=…&logout_uri=…`, built once.
    let logoutURL: String?

    public init(guardian: BearerGuard, client: CognitoClient, session: SessionConfig = SessionConfig(), logoutURL: String? = nil) {
        self.guardian = guardian
        self.client = client
        self.delivery = SessionDelivery(config: session)
        self.logoutURL = logoutURL
    }

    /// The managed-login sign-out URL for an app client (Cognito's `/logout` endpoint).
    public static func logoutURL(domain: String, clientId: String, logoutURI: String) -> String {
        domain + "/logout?" + FormURLEncoding.encode([("client_id", clientId), ("logout_uri", logoutURI)])
    }

    struct LogoutBody: JSONBody {
        var logoutURL: String?

        var json: JSONValue {
            var members: [String: JSONValue] = ["message": .string("Logout successful.")]
            if let logoutURL { members["logout_url"] = .string(logoutURL) }
            return .object(members)
        }
    }

    public func handle(_ request: HTTPRequest, context: LambdaContext) async -> HTTPResponse {
        guard request.method == "GET" || request.method == "POST" else {
            return ErrorTable.methodNotAllowed(allowed: ["GET", "POST"]).response
        }
        let deadline = UpstreamDeadline.forInvocation(context)
        let refreshToken: String?
        do {
            refreshToken = try delivery.refreshToken(of: request)
        } catch {
            context.logger.info("logout refused", metadata: error.logMetadata)
            return error.response
        }
        let credentials: BearerGuard.Credentials?
        do {
            credentials = try await guardian.authenticate(request, deadline: deadline)
        } catch {
            // Without a refresh token the bearer is the only credential: its refusal is the answer.
            guard refreshToken != nil else {
                context.logger.info("logout refused", metadata: error.logMetadata)
                return error.response
            }
            var metadata = error.logMetadata
            metadata["continuing"] = "refresh token"
            context.logger.info("logout: bearer token not usable", metadata: metadata)
            credentials = nil
        }

        // GlobalSignOut first: it revokes every token of the user, the refresh token included,
        // so the revocation after it only makes sure. (The other order would revoke the access
        // token with the refresh token it came from, and GlobalSignOut would then be refused.)
        if let credentials {
            do {
                try await client.globalSignOut(accessToken: credentials.token, deadline: deadline)
            } catch {
                // Cognito already considers the access token dead: with a refresh token to revoke,
                // the logout goes on; without one, Cognito's refusal is the answer.
                let alreadyDead: Bool
                if case .notAuthorized = error { alreadyDead = true } else { alreadyDead = false }
                if !(alreadyDead && refreshToken != nil) {
                    let problem = ErrorTable.logout(error)
                    context.logger.warning("logout failed", metadata: problem.logMetadata)
                    return problem.response
                }
            }
        }
        var clearing: (name: String, value: String)? = nil
        if let refreshToken {
            do {
                try await client.revoke(refreshToken: refreshToken, deadline: deadline)
            } catch {
                switch error {
                // Cognito does not know the token (expired, already revoked, not a refresh
                // token): there is nothing left to revoke, and the cookie is worthless.
                case .invalidGrant, .invalidRequest: break
                default:
                    // Not confirmed revoked: the cookie stays so the logout can be retried.
                    let problem = ErrorTable.logout(error)
                    context.logger.warning("logout failed: refresh token not revoked", metadata: problem.logMetadata)
                    return problem.response
                }
            }
            clearing = delivery.clearing
        }
        context.logger.info("logout succeeded", metadata: ["global_sign_out": "\(credentials != nil)", "refresh_token_revoked": "\(refreshToken != nil)"])
        var response = JSONResponse.make(status: 200, body: LogoutBody(logoutURL: logoutURL))
        if let clearing { response.headers.add(name: clearing.name, value: clearing.value) }
        return response
    }
}
