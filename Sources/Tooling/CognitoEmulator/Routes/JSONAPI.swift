import FoundationEssentials
import Hummingbird
import JSONValue

/// `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>` (unsigned operations).
struct JSONAPI: Sendable {
    let core: EmulatorCore

    static let targetPrefix = "AWSCognitoIdentityProviderService."
    static let authFlows = [
        "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH",
    ]
    static let operations: Set<String> = [
        "GetUser", "GlobalSignOut", "RevokeToken", "InitiateAuth", "GetTokensFromRefreshToken", "GetClientToken",
    ]

    func handle(_ request: Request, context: EmulatorContext) async throws -> Response {
        let requestId = UUIDString.random()
        // Byte-exact: `\u{212A}` (KELVIN SIGN) would otherwise select GetTokensFromRefreshToken.
        guard let target = request.headers[Responses.amzTarget], target.utf8.starts(with: Self.targetPrefix.utf8),
            case let operation = String(decoding: target.utf8.dropFirst(Self.targetPrefix.utf8.count), as: UTF8.self),
            Exact.contains(Self.operations, operation)
        else {
            return Responses.awsError("UnknownOperationException", nil, requestId: requestId, typePrefix: "com.amazon.coral.service#")
        }
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
            case "GetTokensFromRefreshToken": return try await getTokensFromRefreshToken(body, requestId: requestId)
            case "GetClientToken": return try getClientToken(body, requestId: requestId)
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
            // Cognito's per-user quota on user reads: TooManyRequestsException beyond it.
            if let limit = core.options.getUserReadsPerSecond,
                !(await core.store.admitRead(username: user.username, now: core.clock.now, limit: limit))
            {
                return Responses.awsError("TooManyRequestsException", "Rate exceeded", requestId: requestId)
            }
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
        guard let client = core.userClient(clientId) else {
            return Responses.awsError("UnauthorizedException", "Invalid client id or client secret.", requestId: requestId)
        }
        if let configured = client.clientSecret {
            guard let secret = body["ClientSecret"]?.stringValue, ConstantTime.equals(configured, secret) else {
                return Responses.awsError("UnauthorizedException", "Invalid client id or client secret.", requestId: requestId)
            }
        }
        guard core.options.tokenRevocation else {
            return Responses.awsError(
                "UnsupportedOperationException", "Token revocation is not enabled for this client.", requestId: requestId)
        }
        // Only refresh tokens can be revoked; an access or ID token (a JWS) is the wrong type.
        if Exact.split(token, on: UInt8(ascii: ".")).count == 3 {
            return Responses.awsError("UnsupportedTokenTypeException", "Unsupported token type.", requestId: requestId)
        }
        if let session = await core.store.session(forRefreshToken: token) {
            guard Exact.equals(session.clientId, clientId) else {
                return Responses.awsError("UnauthorizedException", "Token was not issued to this client.", requestId: requestId)
            }
            // The session: this refresh token, its rotation chain and their access tokens.
            await core.store.revokeSession(refreshToken: token)
        }
        // RFC 7009 semantics: an unknown or already revoked token is not an error.
        return Responses.awsJSON(.object([]), requestId: requestId)
    }

    private func initiateAuth(_ body: [String: JSONValue], requestId: String) async throws -> Response {
        guard let flow = body["AuthFlow"]?.stringValue else { return missing("authFlow", requestId) }
        guard let clientId = body["ClientId"]?.stringValue else { return missing("clientId", requestId) }
        guard let client = core.appClient(clientId) else {
            return Responses.awsError("ResourceNotFoundException", "User pool client \(clientId) does not exist.", requestId: requestId)
        }
        // A client-credentials client has no user authentication flow.
        if client.clientCredentials { return invalid("Auth flow not enabled for this client", requestId) }
        // Keyed by the names' bytes: a String key would take "REFRESH_TO\u{212A}EN" (KELVIN
        // SIGN) for REFRESH_TOKEN. (Top-level members are read from JSONValue's String-keyed
        // object; none of the names read there has another canonically equivalent spelling.)
        var parameters: [[UInt8]: String] = [:]
        for (name, value) in body["AuthParameters"]?.objectValue ?? [:] {
            if let text = value.stringValue { parameters[Exact.key(name)] = text }
        }
        func parameter(_ name: String) -> String? { parameters[Exact.key(name)] }
        let now = core.clock.seconds
        // The switch below matches by canonical equivalence; admitting only byte-exact flow
        // names first makes it exact ("REFRESH_TO\u{212A}EN_AUTH" is not REFRESH_TOKEN_AUTH).
        switch Exact.contains(Self.authFlows, flow) ? flow : "" {
        case "USER_PASSWORD_AUTH":
            guard let username = parameter("USERNAME") else { return invalid("Missing required parameter USERNAME", requestId) }
            guard let password = parameter("PASSWORD") else { return invalid("Missing required parameter PASSWORD", requestId) }
            if let failure = checkSecretHash(parameter("SECRET_HASH"), usernames: [username], client: client, requestId: requestId) { return failure }
            guard let user = core.store.authenticate(username: username, password: password) else {
                return Responses.awsError("NotAuthorizedException", "Incorrect username or password.", requestId: requestId)
            }
            let (session, refreshToken) = await core.store.createSession(
                username: user.username, clientId: clientId, scopes: [EmulatorCore.adminScope], authTime: now,
                refreshExpiresAt: core.clock.now + Double(core.options.refreshTokenLifetime)
            )
            let tokens = try core.minter.mint(user: user, session: session, now: now, includeIdToken: true, nonce: nil, refreshToken: refreshToken)
            return authenticationResult(tokens, requestId: requestId)
        case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
            // Cognito: rotation requires this flow to be disabled on the app client
            // (GetTokensFromRefreshToken does the rotating), so it answers as for any disabled flow.
            if core.options.refreshTokenRotation { return invalid("Auth flow not enabled for this client", requestId) }
            guard let refreshToken = parameter("REFRESH_TOKEN") else { return invalid("Missing required parameter REFRESH_TOKEN", requestId) }
            guard let found = await core.store.session(forRefreshToken: refreshToken), let user = core.store.user(named: found.username) else {
                return Responses.awsError("NotAuthorizedException", "Invalid Refresh Token", requestId: requestId)
            }
            // Cognito accepts a SECRET_HASH computed over the username or the sub here.
            if let failure = checkSecretHash(parameter("SECRET_HASH"), usernames: [user.username, user.sub], client: client, requestId: requestId) { return failure }
            let session: SessionRecord
            switch await core.store.checkRefreshToken(refreshToken, clientId: clientId, now: core.clock.now, graceSeconds: 0) {
            case .failure(let failure): return refreshError(failure, requestId)
            case .success(let value): session = value
            }
            let tokens = try core.minter.mint(user: user, session: session, now: now, includeIdToken: true, nonce: nil, refreshToken: nil)
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

    /// The refresh API that rotation uses: `{"RefreshToken", "ClientId", "ClientSecret"?}` →
    /// `{"AuthenticationResult": {...}}`, with a new RefreshToken when rotation is on.
    private func getTokensFromRefreshToken(_ body: [String: JSONValue], requestId: String) async throws -> Response {
        guard let refreshToken = body["RefreshToken"]?.stringValue else { return missing("refreshToken", requestId) }
        guard let clientId = body["ClientId"]?.stringValue else { return missing("clientId", requestId) }
        guard let client = core.userClient(clientId) else {
            return Responses.awsError("ResourceNotFoundException", "User pool client \(clientId) does not exist.", requestId: requestId)
        }
        if let configured = client.clientSecret {
            guard let secret = body["ClientSecret"]?.stringValue, ConstantTime.equals(configured, secret) else {
                return Responses.awsError("NotAuthorizedException", "Unable to verify secret for client \(clientId)", requestId: requestId)
            }
        }
        let redeemed = await core.store.redeemRefreshToken(
            refreshToken, clientId: clientId, now: core.clock.now, rotate: core.options.refreshTokenRotation,
            graceSeconds: Double(core.options.rotationGraceSeconds)
        )
        let session: SessionRecord, successor: String?
        switch redeemed {
        case .failure(let failure): return refreshError(failure, requestId)
        case .success(let value): (session, successor) = value
        }
        guard let user = core.store.user(named: session.username) else {
            return Responses.awsError("NotAuthorizedException", "Invalid Refresh Token", requestId: requestId)
        }
        let tokens = try core.minter.mint(user: user, session: session, now: core.clock.seconds, includeIdToken: true, nonce: nil, refreshToken: successor)
        return Responses.awsJSON(.object([("AuthenticationResult", authenticationResultObject(tokens))]), requestId: requestId)
    }

    // MARK: helpers

    private func refreshError(_ failure: RefreshFailure, _ requestId: String) -> Response {
        let message: String
        switch failure {
        case .revoked: message = "Refresh Token has been revoked"
        case .expired: message = "Refresh Token has expired"
        case .unknown, .otherClient, .rotatedOut: message = "Invalid Refresh Token"
        }
        return Responses.awsError("NotAuthorizedException", message, requestId: requestId)
    }

    private func authenticationResult(_ tokens: MintedTokens, requestId: String) -> Response {
        Responses.awsJSON(.object([("AuthenticationResult", authenticationResultObject(tokens)), ("ChallengeParameters", .object([]))]), requestId: requestId)
    }

    private func authenticationResultObject(_ tokens: MintedTokens) -> OrderedJSON {
        var result: [(String, OrderedJSON)] = [
            ("AccessToken", .string(tokens.accessToken)),
            ("ExpiresIn", .int(Int64(tokens.expiresIn))),
        ]
        if let id = tokens.idToken { result.append(("IdToken", .string(id))) }
        if let refresh = tokens.refreshToken { result.append(("RefreshToken", .string(refresh))) }
        result.append(("TokenType", .string("Bearer")))
        return .object(result)
    }

    private func checkSecretHash(_ provided: String?, usernames: [String], client: EmulatorAppClient, requestId: String) -> Response? {
        guard client.clientSecret != nil else { return nil }
        guard let provided else {
            return Responses.awsError("NotAuthorizedException", "Client \(client.clientId) is configured for secret but secret was not received", requestId: requestId)
        }
        for username in usernames {
            if let expected = core.secretHash(for: username, client: client), ConstantTime.equals(expected, provided) { return nil }
        }
        return Responses.awsError("NotAuthorizedException", "Unable to verify secret hash for client \(client.clientId)", requestId: requestId)
    }

    /// `GetClientToken`: the client-credentials grant as an API operation,
    /// `{"ClientId", "Secret", "Scopes"?}` → `{"ClientAuthenticationResult": {"AccessToken", "ExpiresIn", "TokenType"}}`
    /// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetClientToken.html): only for a
    /// client with a secret whose one flow is client tokens.
    private func getClientToken(_ body: [String: JSONValue], requestId: String) throws -> Response {
        guard let clientId = body["ClientId"]?.stringValue else { return missing("clientId", requestId) }
        guard let secret = body["Secret"]?.stringValue else { return missing("secret", requestId) }
        guard let client = core.appClient(clientId) else {
            return Responses.awsError("ResourceNotFoundException", "User pool client \(clientId) does not exist.", requestId: requestId)
        }
        guard let configured = client.clientSecret, ConstantTime.equals(configured, secret) else {
            return Responses.awsError("NotAuthorizedException", "Unable to verify secret for client \(clientId)", requestId: requestId)
        }
        guard client.clientCredentials else { return invalid("Auth flow not enabled for this client", requestId) }
        var scopes = client.allowedScopes
        if let requested = body["Scopes"] {
            guard let list = requested.arrayValue?.compactMap(\.stringValue), list.count == requested.arrayValue?.count,
                list.allSatisfy({ Exact.contains(client.allowedScopes, $0) })
            else { return invalid("Invalid scope requested", requestId) }
            if !list.isEmpty { scopes = list }
        }
        let tokens = try core.minter.mintMachine(clientId: client.clientId, scopes: scopes, audience: nil, now: core.clock.seconds)
        let result: OrderedJSON = .object([
            ("AccessToken", .string(tokens.accessToken)), ("ExpiresIn", .int(Int64(tokens.expiresIn))), ("TokenType", .string("Bearer")),
        ])
        return Responses.awsJSON(.object([("ClientAuthenticationResult", result)]), requestId: requestId)
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
