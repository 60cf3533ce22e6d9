import AuthCore
import JSONValue
import LambdaKit

/// `GET /auth/me`: verifies the bearer token locally, then returns the user from Cognito.
/// The `GetUser` call doubles as the revocation check (one Cognito round trip per request).
public struct MeEndpoint: Sendable {
    let guardian: BearerGuard
    let client: CognitoClient

    public init(guardian: BearerGuard, client: CognitoClient) {
        self.guardian = guardian
        self.client = client
    }

    struct UserBody: JSONBody {
        var username: String
        var sub: String
        var email: String?
        var emailVerified: Bool?
        var groups: [String]
        var attributes: [String: String]

        var json: JSONValue {
            var members: [String: JSONValue] = [
                "username": .string(username),
                "sub": .string(sub),
                "groups": .array(groups.map(JSONValue.string)),
                "attributes": .object(attributes.mapValues(JSONValue.string)),
            ]
            // Absent, not null, when Cognito has no such attribute.
            if let email { members["email"] = .string(email) }
            if let emailVerified { members["email_verified"] = .bool(emailVerified) }
            return .object(members)
        }
    }

    public func handle(_ request: HTTPRequest, context: LambdaContext) async -> HTTPResponse {
        guard request.method == "GET" else {
            return ErrorTable.methodNotAllowed(allowed: ["GET"]).response
        }
        let deadline = UpstreamDeadline.forInvocation(context)
        let credentials: BearerGuard.Credentials
        do {
            credentials = try await guardian.authenticate(request, deadline: deadline)
        } catch {
            let problem = ErrorTable.authentication(error)
            context.logger.info("me refused", metadata: problem.logMetadata)
            return problem.response
        }
        if credentials.claims.isMachine {
            let problem = ErrorTable.machineToken
            context.logger.info("me refused", metadata: problem.logMetadata)
            return problem.response
        }
        do {
            let user = try await client.getUser(accessToken: credentials.token, deadline: deadline)
            var attributes: [String: String] = [:]
            for attribute in user.attributes {
                attributes[attribute.name] = attribute.value
            }
            let body = UserBody(
                username: user.username,
                sub: attributes["sub"] ?? credentials.claims.sub,
                email: attributes["email"],
                emailVerified: attributes["email_verified"].map { $0 == "true" },
                groups: credentials.claims.groups,
                attributes: attributes)
            return JSONResponse.make(status: 200, body: body)
        } catch {
            let problem = ErrorTable.me(error)
            problem.logFailure("me failed", to: context.logger)
            return problem.response
        }
    }
}
