import JSONValue
import NIOHTTP1

/// Reads Cognito's answers: success bodies into values, failures into `CognitoError`.
/// `secrets` are the sensitive values of the request that produced the answer; they are cut out
/// of anything kept from it (see `UpstreamText`).
enum CognitoResponseReader {
    static func json(_ body: [UInt8]) -> JSONValue? {
        try? JSONValue.parse(body)
    }

    // MARK: OAuth2 endpoints (/oauth2/token, /oauth2/revoke)

    static func tokenSet(_ response: UpstreamResponse) throws(CognitoError) -> TokenSet {
        guard let object = json(response.body)?.objectValue else {
            throw .malformedResponse("token response is not a JSON object")
        }
        guard let accessToken = object["access_token"]?.stringValue, !accessToken.isEmpty else {
            throw .malformedResponse("token response has no access_token")
        }
        guard let expiresIn = object["expires_in"]?.int64Value, expiresIn > 0, let seconds = Int(exactly: expiresIn) else {
            throw .malformedResponse("token response has no positive integer expires_in")
        }
        func optionalString(_ key: String) throws(CognitoError) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value.isEmpty ? nil : value
            default: throw .malformedResponse("token response field \(key) is not a string")
            }
        }
        return TokenSet(
            accessToken: accessToken,
            idToken: try optionalString("id_token"),
            refreshToken: try optionalString("refresh_token"),
            expiresIn: seconds,
            tokenType: try optionalString("token_type") ?? "Bearer"
        )
    }

    /// A `/oauth2/revoke` success: 200 with an empty body (Cognito's documented answer) or a JSON
    /// object. Anything else (an HTML page from a proxy, a truncated body) does not confirm that the
    /// token was revoked, and a revocation that cannot be confirmed is never reported as done.
    static func revocation(_ response: UpstreamResponse) throws(CognitoError) {
        if response.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return }
        guard json(response.body)?.objectValue != nil else {
            throw .malformedResponse("revoke response is neither empty nor a JSON object")
        }
    }

    /// The error of a non-2xx answer from an OAuth2 endpoint: `{"error": "...", "error_description"?: "..."}`.
    static func oauthError(_ response: UpstreamResponse, secrets: [String]) -> CognitoError {
        let status = response.status
        if status == 429 { return .throttled }
        if (400..<500).contains(status), let object = json(response.body)?.objectValue,
            let code = object["error"]?.stringValue
        {
            let description = object["error_description"]?.stringValue.map {
                UpstreamText.sanitize($0, secrets: secrets)
            }
            switch code {
            case "invalid_grant": return .invalidGrant(description)
            case "unauthorized_client": return .unauthorizedClient(description)
            case "invalid_client": return .invalidClient
            case "invalid_request": return .invalidRequest(description)
            case "unsupported_token_type": return .unsupportedTokenType
            case "unsupported_grant_type", "invalid_scope":
                return .invalidRequest(description.map { "\(code): \($0)" } ?? code)
            default: break
            }
        }
        return .upstream(status: status, excerpt: UpstreamText.excerpt(response.body, secrets: secrets))
    }

    // MARK: JSON API (cognito-idp)

    static func user(_ response: UpstreamResponse) throws(CognitoError) -> CognitoUser {
        guard let object = json(response.body)?.objectValue else {
            throw .malformedResponse("GetUser response is not a JSON object")
        }
        guard let username = object["Username"]?.stringValue, !username.isEmpty else {
            throw .malformedResponse("GetUser response has no Username")
        }
        var attributes: [CognitoUser.Attribute] = []
        switch object["UserAttributes"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard let name = item["Name"]?.stringValue else {
                    throw .malformedResponse("GetUser attribute without a Name")
                }
                switch item["Value"] {
                case nil, .null?: attributes.append(.init(name: name, value: ""))
                case .string(let value)?: attributes.append(.init(name: name, value: value))
                default: throw .malformedResponse("GetUser attribute \(name) has a non-string Value")
                }
            }
        default:
            throw .malformedResponse("GetUser UserAttributes is not an array")
        }
        return CognitoUser(username: username, attributes: attributes)
    }

    /// The answer of a JSON API operation whose result has no members (`GlobalSignOut`,
    /// `RevokeToken`): Cognito sends `{}`. A body that is not a JSON object is not Cognito's answer.
    static func emptyResult(_ response: UpstreamResponse, operation: String) throws(CognitoError) {
        guard json(response.body)?.objectValue != nil else {
            throw .malformedResponse("\(operation) response is not a JSON object")
        }
    }

    /// The short exception name of a JSON API error: `__type` in the body, else the
    /// `x-amzn-ErrorType` header; `namespace#` prefix and `:...` suffix removed.
    static func errorType(_ body: JSONValue?, headers: HTTPHeaders) -> String? {
        guard let raw = body?["__type"]?.stringValue ?? headers.first(name: "x-amzn-ErrorType") else {
            return nil
        }
        var type = Substring(raw)
        if let colon = type.firstIndex(of: ":") { type = type[..<colon] }
        if let hash = type.lastIndex(of: "#") { type = type[type.index(after: hash)...] }
        let trimmed = type.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    /// The error of a non-2xx answer from the JSON API: `{"__type": "...", "message": "..."}`.
    static func apiError(_ response: UpstreamResponse, secrets: [String]) -> CognitoError {
        let body = json(response.body)
        let message = (body?["message"]?.stringValue ?? body?["Message"]?.stringValue).map {
            UpstreamText.sanitize($0, secrets: secrets)
        }
        switch errorType(body, headers: response.headers) {
        case "NotAuthorizedException":
            // Cognito's message ("Access Token does not have required scopes") is the only thing
            // that tells a token without the scope the operation needs from a revoked or expired
            // one. Either way the call is refused; this only decides who is told (the operator).
            if let message, message.lowercased().contains("does not have required scopes") { return .missingRequiredScope }
            return .notAuthorized(message ?? "Not authorized")
        // The user exists but may not use the token until they act; to our callers that is the
        // same refusal as a revoked token.
        case "PasswordResetRequiredException", "UserNotConfirmedException":
            return .notAuthorized(message ?? "User may not sign in")
        case "UserNotFoundException":
            return .userNotFound
        case "TooManyRequestsException", "LimitExceededException":
            return .throttled
        case "InvalidParameterException":
            return .invalidRequest(message)
        default:
            if response.status == 429 { return .throttled }
            return .upstream(status: response.status, excerpt: UpstreamText.excerpt(response.body, secrets: secrets))
        }
    }
}
