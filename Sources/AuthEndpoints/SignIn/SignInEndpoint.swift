import AuthCore
import JSONValue
import LambdaKit

/// `POST /auth/sign-in`: exchanges an authorization code (plus optional PKCE verifier) for tokens.
public struct SignInEndpoint: Sendable {
    let client: CognitoClient
    let redirectURIs: [String]

    public init(client: CognitoClient, redirectURIs: [String]) {
        self.client = client
        self.redirectURIs = redirectURIs
    }

    struct TokenBody: JSONBody {
        var accessToken: String
        var tokenType: String
        var expiresIn: Int

        var json: JSONValue {
            .object(["access_token": .string(accessToken), "token_type": .string(tokenType), "expires_in": .int(Int64(expiresIn))])
        }
    }

    public func handle(_ request: HTTPRequest, context: LambdaContext) async -> HTTPResponse {
        guard request.method == "POST" else {
            return ErrorTable.methodNotAllowed(allowed: ["POST"]).response
        }
        let body: SignInRequest
        let redirectURI: String
        do {
            body = try SignInRequest.parse(request)
            redirectURI = try resolveRedirectURI(body.redirectURI)
        } catch {
            context.logger.info("sign-in refused", metadata: ["code": "\(error.code)"])
            return error.response
        }
        do {
            let tokens = try await client.exchangeCode(
                body.code, redirectURI: redirectURI, codeVerifier: body.codeVerifier,
                deadline: UpstreamDeadline.forInvocation(context))
            context.logger.info("sign-in succeeded")
            return JSONResponse.make(
                status: 200,
                body: TokenBody(accessToken: tokens.accessToken, tokenType: "Bearer", expiresIn: tokens.expiresIn))
        } catch {
            let problem = ErrorTable.signIn(error)
            if case .invalidClient = error {
                // Our own client id/secret are wrong: every sign-in will fail until someone fixes
                // the deployment, so this is the loudest log line the product has.
                context.logger.critical(
                    "Cognito rejected this function's client credentials (invalid_client): check COGNITO_CLIENT_ID and COGNITO_CLIENT_SECRET")
            } else {
                context.logger.warning("sign-in failed", metadata: ["code": "\(problem.code)", "status": "\(problem.status)"])
            }
            return problem.response
        }
    }

    /// The redirect URI must be one the deployment registered: the token endpoint checks it too,
    /// but refusing here keeps arbitrary URIs away from Cognito and gives a clear 400.
    func resolveRedirectURI(_ requested: String?) throws(Problem) -> String {
        guard let requested else {
            guard let first = redirectURIs.first else {
                throw ErrorTable.badRequest(code: "redirect_uri_not_allowed", detail: "No redirect URI is configured")
            }
            return first
        }
        guard redirectURIs.contains(requested) else {
            throw ErrorTable.badRequest(code: "redirect_uri_not_allowed", detail: "redirect_uri is not allowed")
        }
        return requested
    }
}
