import AuthCore
import JSONValue
import LambdaKit

/// `POST /auth/sign-in`: exchanges an authorization code and its PKCE verifier for tokens; the
/// refresh token goes to the session delivery (an HttpOnly cookie, or the body).
public struct SignInEndpoint: Sendable {
    let client: CognitoClient
    let redirectURIs: [String]
    /// `COGNITO_REQUIRE_PKCE`: refuse an exchange without `code_verifier` (OAuth 2.1, RFC 9700 §2.1.1).
    let requirePKCE: Bool
    /// Where Cognito's refresh token goes: an HttpOnly cookie (the default) or the body.
    let delivery: SessionDelivery

    public init(client: CognitoClient, redirectURIs: [String], requirePKCE: Bool = true, session: SessionConfig = SessionConfig()) {
        self.client = client
        self.redirectURIs = redirectURIs
        self.requirePKCE = requirePKCE
        self.delivery = SessionDelivery(config: session)
    }

    public func handle(_ request: HTTPRequest, context: LambdaContext) async -> HTTPResponse {
        guard request.method == "POST" else {
            return ErrorTable.methodNotAllowed(allowed: ["POST"]).response
        }
        func refused(_ problem: Problem) -> HTTPResponse {
            context.logger.info("sign-in refused", metadata: problem.logMetadata)
            return problem.response
        }
        do {
            try delivery.checkSignIn(request)
        } catch {
            return refused(ErrorTable.session(error))
        }
        let body: SignInRequest
        let redirectURI: String
        do {
            body = try SignInRequest.parse(request, requirePKCE: requirePKCE)
            redirectURI = try resolveRedirectURI(body.redirectURI)
        } catch {
            return refused(ErrorTable.requestBody(error))
        }
        do {
            let tokens = try await client.exchangeCode(
                body.code, redirectURI: redirectURI, codeVerifier: body.codeVerifier,
                deadline: UpstreamDeadline.forInvocation(context))
            do {
                let response = try delivery.tokenResponse(
                    accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, refreshToken: tokens.refreshToken)
                context.logger.info("sign-in succeeded")
                return response
            } catch {
                let problem = ErrorTable.session(error)
                context.logger.error("sign-in failed: Cognito's refresh token cannot be stored", metadata: problem.logMetadata)
                return problem.response
            }
        } catch {
            let problem = ErrorTable.signIn(error)
            if case .invalidClient = error {
                // Our own client id/secret are wrong: every sign-in will fail until someone fixes
                // the deployment, so this is the loudest log line the product has.
                context.logger.critical(
                    "Cognito rejected this function's client credentials (invalid_client): check COGNITO_CLIENT_ID and COGNITO_CLIENT_SECRET")
            } else {
                context.logger.warning("sign-in failed", metadata: problem.logMetadata)
            }
            return problem.response
        }
    }

    /// The redirect URI must be one the deployment registered: the token endpoint checks it too,
    /// but refusing here keeps arbitrary URIs away from Cognito and gives a clear 400.
    func resolveRedirectURI(_ requested: String?) throws(RequestBodyFailure) -> String {
        guard let requested else {
            guard let first = redirectURIs.first else { throw .noRedirectURIConfigured }
            return first
        }
        // Exact bytes (RFC 9700 §4.1.3): a canonically equivalent spelling is another URI.
        guard ExactText.contains(redirectURIs, requested) else { throw .redirectURINotAllowed }
        return requested
    }
}
