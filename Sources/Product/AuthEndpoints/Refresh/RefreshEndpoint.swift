import AuthCore
import JSONValue
import LambdaKit

/// `POST /auth/refresh`: trades the refresh token (the `__Host-refresh_token` cookie, or the JSON
/// body for native apps) for a new access token at Cognito's token endpoint.
///
/// Works whether or not the app client rotates refresh tokens: a new refresh token in Cognito's
/// answer replaces the old one (a new cookie, or `refresh_token` in the body); without one the
/// cookie is left alone. Every refusal before the exchange costs no Cognito call. A refused
/// refresh never clears the cookie (see the rotation race below); logout does.
public struct RefreshEndpoint: Sendable {
    let client: CognitoClient
    let delivery: SessionDelivery

    public init(client: CognitoClient, session: SessionConfig) {
        self.client = client
        self.delivery = SessionDelivery(config: session)
    }

    public func handle(_ request: HTTPRequest, context: LambdaContext) async -> HTTPResponse {
        guard request.method == "POST" else {
            return ErrorTable.methodNotAllowed(allowed: ["POST"]).response
        }
        let refreshToken: String
        do {
            refreshToken = try token(of: request)
        } catch {
            let problem = ErrorTable.session(error)
            context.logger.info("refresh refused", metadata: problem.logMetadata)
            return problem.response
        }
        let tokens: TokenSet
        do {
            tokens = try await client.refresh(refreshToken, deadline: UpstreamDeadline.forInvocation(context))
        } catch {
            // The cookie is never cleared here, not even on `invalid_grant`. With refresh-token
            // rotation, two refreshes racing with the same cookie (two tabs, a retry) both reach
            // Cognito; the winner's answer sets the new cookie, and a clearing `Set-Cookie` on the
            // loser's answer, arriving later, would delete that new cookie and sign the user out.
            // Whether the app client rotates is Cognito's setting, which this function cannot
            // see, so it never clears: a dead cookie costs one refused refresh per page load until
            // logout (which clears it) or its Max-Age. Outages (502/503) leave it alone as well.
            let problem = ErrorTable.refresh(error)
            context.logger.warning("refresh failed", metadata: problem.logMetadata)
            return problem.response
        }
        do {
            let response = try delivery.tokenResponse(accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, refreshToken: tokens.refreshToken)
            context.logger.info("refresh succeeded", metadata: ["rotated": "\(tokens.refreshToken != nil)"])
            return response
        } catch {
            let problem = ErrorTable.session(error)
            context.logger.error("refresh failed: Cognito's refresh token cannot be stored", metadata: problem.logMetadata)
            return problem.response
        }
    }

    /// The refresh token the request carries, after the checks of its delivery.
    func token(of request: HTTPRequest) throws(SessionFailure) -> String {
        guard let token = try delivery.refreshToken(of: request) else { throw .missingRefreshToken }
        return token
    }
}
