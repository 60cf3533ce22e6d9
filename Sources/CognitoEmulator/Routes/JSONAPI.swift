import FoundationEssentials
import Hummingbird
import JSONValue

/// `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>` (unsigned operations).
struct JSONAPI: Sendable {
    let core: EmulatorCore

    static let targetPrefix = "AWSCognitoIdentityProviderService."
    static let operations: Set<String> = ["GetUser", "GlobalSignOut", "RevokeToken", "InitiateAuth"]

    func handle(_ request: Request, context: EmulatorContext) async throws -> Response {
        let requestId = UUIDString.random()
        guard let target = request.headers[Responses.amzTarget], target.hasPrefix(Self.targetPrefix),
            Self.operations.contains(String(target.dropFirst(Self.targetPrefix.count)))
        else {
            return Responses.awsError("UnknownOperationException", nil, requestId: requestId, typePrefix: "com.amazon.coral.service#")
        }
        let operation = String(target.dropFirst(Self.targetPrefix.count))
        var request = request
        let bytes: [UInt8]
        do {
            bytes = try await EmulatorCore.collectBody(&request)
        } catch {
            return Responses.awsError("SerializationException", nil, status: 413, requestId: requestId, typePrefix: "com.amazon.coral.service#")
        }
        return try await core.applyingFaults(operation, style: .awsJSON, context: context, requestId: requestId) {
            guard case .object(let body)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
                return Responses.awsError("SerializationException", nil, requestId: requestId, typePrefix: "com.amazon.coral.service#")
            }
            switch operation {
            case "GetUser": return await getUser(body, requestId: requestId)
            case "GlobalSignOut": return await globalSignOut(body, requestId: requestId)
            case "RevokeToken": return await revokeToken(body, requestId: requestId)
            default: return try await initiateAuth(body, requestId: requestId)
            }
        }
    }

    // MARK: operations

    private func getUser(_ body: [String: JSONValue], requestId: String) async -> Response {
        guard let token = body["AccessToken"]?.stringValue else { return missing("accessToken", requestId) }
        switch await core.authorizeAccessToken(token, requiredScope: EmulatorCore.adminScope) {
        case .failure(let failure): return error(failure, requestId)
        case .success((_, let user)):
            let attributes = user.attributes.map { OrderedJSON.object([("Name", .string($0.name)), ("Value", .string($0.value))]) }
            return Responses.awsJSON(.object([("UserAttributes", .array(attributes)), ("Username", .string(user.username))]), requestId: requestId)
        }
    }

    private func globalSignOut(_ body: [String: JSONValue], requestId: String) async -> Response {
        guard let token = body["AccessToken"]?.stringValue else { return missing("accessToken", requestId) }
        switch await core.authorizeAccessToken(token, requiredScope: EmulatorCore.adminScope) {
        case .failure(let failure): return error(failure, requestId)
        case .success((_, let user)):
            await core.store.revokeAllSessions(username: user.username)
            return Responses.awsJSON(.object([]), requestId: requestId)
        }
    }

    private func revokeToken(_ body: [String: JSONValue], requestId: String) async -> Response {
        guard let token = body["Token"]?.stringValue else { return missing("token", requestId) }
        guard let clientId = body["ClientId"]?.stringValue else { return missing("clientId", requestId) }
        // Client authentication failures are UnauthorizedException in RevokeToken's documented error set.
        guard clientId == core.options.clientId else {
            return Responses.awsError("UnauthorizedException", "Invalid client id or client secret.", requestId: requestId)
        }
        if let configured = core.options.clientSecret {
            guard let secret = body["ClientSecret"]?.stringValue, ConstantTime.equals(configured, secret) else {
                return Responses.awsError("UnauthorizedException", "Invalid client id or client secret.", requestId: requestId)
            }
        }
        // Only refresh tokens can be revoked; an access or ID token (a JWS) is the wrong type.
        if token.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
            return Responses.awsError("UnsupportedTokenTypeException", "Unsupported token type.", requestId: requestId)
        }
        if let session = await core.store.session(forRefreshToken: token) {
            guard session.clientId == clientId else {
                return Responses.awsError("UnauthorizedException", "Token was not issued to this client.", requestId: requestId)
            }
            await core.store.revokeSession(refreshToken: token)
        }
        // RFC 7009 semantics: an unknown token is not an error.
        return Responses.awsJSON(.object([]), requestId: requestId)
    }

    private func initiateAuth(_ body: [String: JSONValue], requestId: String) async throws -> Response {
        guard let flow = body["AuthFlow"]?.stringValue else { return missing("authFlow", requestId) }
        guard let clientId = body["ClientId"]?.stringValue else { return missing("clientId", requestId) }
        guard clientId == core.options.clientId else {
            return Responses.awsError("ResourceNotFoundException", "User pool client \(clientId) does not exist.", requestId: requestId)
        }
        var parameters: [String: String] = [:]
        for (name, value) in body["AuthParameters"]?.objectValue ?? [:] {
            if let text = value.stringValue { parameters[name] = text }
        }
        let now = core.clock.seconds
        switch flow {
        case "USER_PASSWORD_AUTH":
            guard let username = parameters["USERNAME"] else { return invalid("Missing required parameter USERNAME", requestId) }
            guard let password = parameters["PASSWORD"] else { return invalid("Missing required parameter PASSWORD", requestId) }
            if let failure = checkSecretHash(parameters["SECRET_HASH"], usernames: [username], requestId: requestId) { return failure }
            guard let user = core.store.authenticate(username: username, password: password) else {
                return Responses.awsError("NotAuthorizedException", "Incorrect username or password.", requestId: requestId)
            }
            let session = await core.store.createSession(
                username: user.username, clientId: clientId, scopes: [EmulatorCore.adminScope], authTime: now,
                refreshExpiresAt: core.clock.now + Double(core.options.refreshTokenLifetime)
            )
            let tokens = try core.minter.mint(user: user, session: session, now: now, includeIdToken: true, nonce: nil, includeRefreshToken: true)
            return authenticationResult(tokens, requestId: requestId)
        case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
            guard let refreshToken = parameters["REFRESH_TOKEN"] else { return invalid("Missing required parameter REFRESH_TOKEN", requestId) }
            guard let session = await core.store.session(forRefreshToken: refreshToken), session.clientId == clientId,
                let user = core.store.user(named: session.username)
            else {
                return Responses.awsError("NotAuthorizedException", "Invalid Refresh Token", requestId: requestId)
            }
            // Cognito accepts a SECRET_HASH computed over the username or the sub here.
            if let failure = checkSecretHash(parameters["SECRET_HASH"], usernames: [user.username, user.sub], requestId: requestId) { return failure }
            if session.revoked {
                return Responses.awsError("NotAuthorizedException", "Refresh Token has been revoked", requestId: requestId)
            }
            guard session.refreshExpiresAt > core.clock.now else {
                return Responses.awsError("NotAuthorizedException", "Refresh Token has expired", requestId: requestId)
            }
            let tokens = try core.minter.mint(user: user, session: session, now: now, includeIdToken: true, nonce: nil, includeRefreshToken: false)
            return authenticationResult(tokens, requestId: requestId)
        case "USER_SRP_AUTH", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH":
            return invalid("Auth flow not enabled for this client", requestId)
        default:
            return invalid(
                "1 validation error detected: Value '\(flow)' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]",
                requestId
            )
        }
    }

    // MARK: helpers

    private func authenticationResult(_ tokens: MintedTokens, requestId: String) -> Response {
        var result: [(String, OrderedJSON)] = [
            ("AccessToken", .string(tokens.accessToken)),
            ("ExpiresIn", .int(Int64(tokens.expiresIn))),
        ]
        if let id = tokens.idToken { result.append(("IdToken", .string(id))) }
        if let refresh = tokens.refreshToken { result.append(("RefreshToken", .string(refresh))) }
        result.append(("TokenType", .string("Bearer")))
        return Responses.awsJSON(.object([("AuthenticationResult", .object(result)), ("ChallengeParameters", .object([]))]), requestId: requestId)
    }

    private func checkSecretHash(_ provided: String?, usernames: [String], requestId: String) -> Response? {
        guard core.options.clientSecret != nil else { return nil }
        guard let provided else {
            return Responses.awsError("NotAuthorizedException", "Client \(core.options.clientId) is configured for secret but secret was not received", requestId: requestId)
        }
        for username in usernames {
            if let expected = core.secretHash(for: username), ConstantTime.equals(expected, provided) { return nil }
        }
        return Responses.awsError("NotAuthorizedException", "Unable to verify secret hash for client \(core.options.clientId)", requestId: requestId)
    }

    private func error(_ failure: EmulatorCore.AccessTokenFailure, _ requestId: String) -> Response {
        switch failure {
        case .token(let problem): return Responses.awsError("NotAuthorizedException", problem.cognitoMessage, requestId: requestId)
        case .userNotFound: return Responses.awsError("UserNotFoundException", "User does not exist.", requestId: requestId)
        }
    }

    private func missing(_ member: String, _ requestId: String) -> Response {
        invalid("1 validation error detected: Value null at '\(member)' failed to satisfy constraint: Member must not be null", requestId)
    }

    private func invalid(_ message: String, _ requestId: String) -> Response {
        Responses.awsError("InvalidParameterException", message, requestId: requestId)
    }
}
