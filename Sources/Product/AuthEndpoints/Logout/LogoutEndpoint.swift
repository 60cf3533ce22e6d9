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
/// - A refresh cookie it cannot use (two of them, malformed): cleared in every answer; the bearer
///   token still signs the user out.
///
/// "Logout successful." only when every credential presented is dead: signed out, revoked, or
/// already invalid by Cognito's own answer. A revocation Cognito refuses for any other reason
/// (disabled on the app client: 500 `server_misconfigured`) or cannot confirm is an error.
///
/// One Cognito call per credential, never more. `GlobalSignOut` does not end the managed-login
/// browser session, so when `COGNITO_LOGOUT_URI` is set the body also has `logout_url`.
///
/// With a revocation store (`AUTH_REVOCATION_TABLE`, issue 22) a valid bearer token first writes
/// the user's "revoked before T" mark, then `GlobalSignOut`: 200 only when both succeeded. A mark
/// that cannot be written is 502 `revocation_store_unavailable` before any Cognito call, so a
/// retry starts over; a mark written before a failed `GlobalSignOut` is harmless (the user is
/// signed out at the API edge either way) and a retry's write changes nothing (monotonic).
public struct LogoutEndpoint: Sendable {
    let guardian: BearerGuard
    let client: CognitoClient
    let delivery: SessionDelivery
    /// `{COGNITO_DOMAIN}/logout?client_id=…&logout_uri=…`, built once.
    let logoutURL: String?
    let revocationStore: RevocationStore?
    /// Epoch seconds, for the mark's T.
    let now: @Sendable () -> Double

    public init(
        guardian: BearerGuard, client: CognitoClient, session: SessionConfig = SessionConfig(), logoutURL: String? = nil,
        revocationStore: RevocationStore? = nil, now: @escaping @Sendable () -> Double = AccessTokenVerifier.wallClockSeconds
    ) {
        self.guardian = guardian
        self.client = client
        self.delivery = SessionDelivery(config: session)
        self.logoutURL = logoutURL
        self.revocationStore = revocationStore
        self.now = now
    }

    /// T of the mark for this sign-out: now, but never before the presented token's own session
    /// began. Cognito's clock (which wrote `auth_time`) and this function's may differ by a second
    /// or so; the session being signed out must be revoked whatever the skew.
    static func markTime(now: Double, authTime: Int64?) -> Int64 {
        let seconds = Int64(now.rounded(.down))
        guard let authTime else { return seconds }
        return max(seconds, authTime)
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
        let presented: SessionDelivery.Presented
        do {
            presented = try delivery.presented(in: request)
        } catch {
            let problem = ErrorTable.session(error)
            context.logger.info("logout refused", metadata: problem.logMetadata)
            return problem.response
        }
        var refreshToken: String? = nil
        // A refresh cookie this request carries but logout cannot use (two of them, a malformed
        // value): it does not stop a sign-out with the bearer token, and every answer clears it,
        // since it can never be used anyway.
        var unusableCookie: Problem? = nil
        switch presented {
        case .none: break
        case .token(let token): refreshToken = token
        case .unusableCookie(let failure):
            let problem = ErrorTable.session(failure)
            unusableCookie = problem
            var metadata = problem.logMetadata
            metadata["continuing"] = "bearer token"
            context.logger.info("logout: refresh cookie not usable", metadata: metadata)
        }
        func answer(_ response: HTTPResponse, clearing: Bool) -> HTTPResponse {
            var response = response
            if clearing || unusableCookie != nil, let header = delivery.clearing { response.headers.add(name: header.name, value: header.value) }
            return response
        }

        let credentials: BearerGuard.Credentials?
        do {
            credentials = try await guardian.authenticate(request, deadline: deadline)
        } catch {
            // Without a refresh token the bearer is the only credential: its refusal is the
            // answer, unless an unusable cookie is: then that cookie's 400 (and it is cleared).
            let refusal = ErrorTable.authentication(error)
            guard refreshToken != nil else {
                let problem = unusableCookie ?? refusal
                context.logger.info("logout refused", metadata: problem.logMetadata)
                return answer(problem.response, clearing: false)
            }
            var metadata = refusal.logMetadata
            metadata["continuing"] = "refresh token"
            context.logger.info("logout: bearer token not usable", metadata: metadata)
            credentials = nil
        }
        // A machine token signs no user out: the request is refused as a whole, before any
        // Cognito call (a refresh token beside it belongs to some user session this caller
        // should not be ending with a service's credentials).
        if credentials?.claims.isMachine == true {
            let problem = ErrorTable.machineToken
            context.logger.info("logout refused", metadata: problem.logMetadata)
            return answer(problem.response, clearing: false)
        }

        // GlobalSignOut first: it revokes every token of the user, the refresh token included,
        // so the revocation after it only makes sure. (The other order would revoke the access
        // token with the refresh token it came from, and GlobalSignOut would then be refused.)
        // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html
        var signedOut = false
        // The mark first: a failed write stops the logout before anything is revoked, so the
        // retry does the whole logout again; after it, GlobalSignOut as before.
        if let credentials, let revocationStore {
            let before = Self.markTime(now: now(), authTime: credentials.claims.authTime)
            do {
                let mark = try await revocationStore.markRevoked(
                    sub: credentials.claims.sub, before: before, source: "logout", deadline: deadline)
                context.logger.info("logout: revocation mark stored", metadata: ["result": "\(mark)", "revoked_before": "\(before)"])
            } catch {
                let problem = ErrorTable.revocationStoreWrite(error)
                // Logged at error: sign-outs are not reaching the API edge while the store fails.
                context.logger.error("logout failed: revocation mark not written", metadata: problem.logMetadata)
                return answer(problem.response, clearing: false)
            }
        }
        if let credentials {
            do {
                try await client.globalSignOut(accessToken: credentials.token, deadline: deadline)
                signedOut = true
            } catch {
                // Cognito already considers the access token dead: with a refresh token to revoke,
                // the logout goes on; without one, Cognito's refusal is the answer.
                let alreadyDead: Bool
                if case .notAuthorized = error { alreadyDead = true } else { alreadyDead = false }
                if !(alreadyDead && refreshToken != nil) {
                    let problem = ErrorTable.logout(error)
                    problem.logFailure("logout failed", to: context.logger)
                    return answer(problem.response, clearing: false)
                }
            }
        }
        if let refreshToken {
            do {
                try await client.revoke(refreshToken: refreshToken, deadline: deadline)
            } catch {
                switch error {
                // Cognito says the token is already invalid: `invalid_grant` ("the token has been
                // revoked or ... isn't valid") or `unsupported_token_type` (not a refresh token).
                // Nothing is left to revoke, and the cookie is worthless.
                // https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
                case .invalidGrant, .unsupportedTokenType: break
                default:
                    // Not revoked (revocation disabled on the app client, our credentials refused,
                    // Cognito down): never "Logout successful.". The cookie stays so the logout can
                    // be retried, unless GlobalSignOut has just ended every session of the user,
                    // this refresh token's included: then it is dead and is cleared.
                    let problem = ErrorTable.revocation(error)
                    problem.logFailure("logout failed: refresh token not revoked", to: context.logger)
                    return answer(problem.response, clearing: signedOut)
                }
            }
        }
        context.logger.info(
            "logout succeeded",
            metadata: [
                "global_sign_out": "\(signedOut)", "refresh_token_revoked": "\(refreshToken != nil)",
                "revocation_mark": "\(credentials != nil && revocationStore != nil)",
                "unusable_cookie_cleared": "\(unusableCookie != nil && delivery.clearing != nil)",
            ])
        return answer(JSONResponse.make(status: 200, body: LogoutBody(logoutURL: logoutURL)), clearing: refreshToken != nil)
    }
}
