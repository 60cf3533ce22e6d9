import AuthCore
import JSONValue
import LambdaKit

/// `POST /auth/refresh`: trades the refresh token (the `__Host-refresh_token` cookie, or the JSON
/// body for native apps) for a new access token at Cognito's token endpoint.
///
/// Works whether or not the app client rotates refresh tokens: a new refresh token in Cognito's
/// answer replaces the old one (a new cookie, or `refresh_token` in the body); without one the
/// cookie is left alone. Every refusal before the exchange costs no Cognito call.
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
            context.logger.info("refresh refused", metadata: error.logMetadata)
            return error.response
        }
        do {
            let tokens = try await client.refresh(refreshToken, deadline: UpstreamDeadline.forInvocation(context))
            context.logger.info("refresh succeeded", metadata: ["rotated": "\(tokens.refreshToken != nil)"])
            return delivery.tokenResponse(accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, refreshToken: tokens.refreshToken)
        } catch {
            var problem = ErrorTable.refresh(error)
            context.logger.warning("refresh failed", metadata: problem.logMetadata)
            // Expired, revoked or rotated away: the cookie is dead, so it is cleared. Any other
            // failure (Cognito down, throttling) leaves it: an outage must not sign anyone out.
            if case .invalidGrant = error, let clearing = delivery.clearing {
                problem.headers.append(clearing)
            }
            return problem.response
        }
    }

    /// The refresh token the request carries, after the checks of its delivery.
    func token(of request: HTTPRequest) throws(Problem) -> String {
        guard let token = try delivery.refreshToken(of: request) else { throw ErrorTable.missingRefreshToken }
        return token
    }
}
