import AuthCore
import JSONValue
import LambdaKit

/// `GET|POST /auth/logout`: verifies the bearer token, then signs the user out everywhere
/// (Cognito `GlobalSignOut` revokes their access and refresh tokens).
public struct LogoutEndpoint: Sendable {
    let guardian: BearerGuard
    let client: CognitoClient

    public init(guardian: BearerGuard, client: CognitoClient) {
        self.guardian = guardian
        self.client = client
    }

    struct MessageBody: JSONBody {
        var message: String

        var json: JSONValue { .object(["message": .string(message)]) }
    }

    public func handle(_ request: HTTPRequest, context: LambdaContext) async -> HTTPResponse {
        guard request.method == "GET" || request.method == "POST" else {
            return ErrorTable.methodNotAllowed(allowed: ["GET", "POST"]).response
        }
        let deadline = UpstreamDeadline.forInvocation(context)
        let credentials: BearerGuard.Credentials
        do {
            credentials = try await guardian.authenticate(request, deadline: deadline)
        } catch {
            context.logger.info("logout refused", metadata: ["code": "\(error.code)"])
            return error.response
        }
        do {
            try await client.globalSignOut(accessToken: credentials.token, deadline: deadline)
            context.logger.info("logout succeeded")
            return JSONResponse.make(status: 200, body: MessageBody(message: "Logout successful."))
        } catch {
            let problem = ErrorTable.logout(error)
            context.logger.warning("logout failed", metadata: ["code": "\(problem.code)", "status": "\(problem.status)"])
            return problem.response
        }
    }
}
