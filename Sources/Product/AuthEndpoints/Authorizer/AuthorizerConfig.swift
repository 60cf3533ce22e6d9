import AuthCore

/// The authorizer's own settings, from the environment, validated at init.
struct AuthorizerConfig: Sendable, Equatable {
    enum ResponseFormat: Sendable, Equatable {
        /// HTTP API 2.0 simple responses (`isAuthorized`).
        case simple
        /// IAM policies for HTTP API 2.0 too.
        case policy
    }

    var rules: AuthorizerRules
    /// How HTTP API 2.0 events are answered; 1.0 and REST events always get a policy.
    var responseFormat: ResponseFormat
    /// Also ask Cognito (`GetUser`) whether the token was revoked.
    var checkRevocation: Bool

    /// `AUTHORIZER_RULES`, `AUTHORIZER_DEFAULT` (allow|deny), `AUTHORIZER_RESPONSE`
    /// (simple|policy), `AUTHORIZER_CHECK_REVOCATION` (true|false). Every problem is one line.
    static func fromEnvironment(_ environment: [String: String]) -> Result<AuthorizerConfig, ConfigurationError> {
        var problems: [String] = []
        // Exact values only: `Deny` or `DENY` is refused rather than read as the default "allow".
        var defaultAllows = true
        switch environment["AUTHORIZER_DEFAULT"] {
        case nil, "": break
        case let value? where value.utf8.elementsEqual("allow".utf8): break
        case let value? where value.utf8.elementsEqual("deny".utf8): defaultAllows = false
        default: problems.append("AUTHORIZER_DEFAULT must be allow or deny")
        }
        var responseFormat = ResponseFormat.simple
        switch environment["AUTHORIZER_RESPONSE"] {
        case nil, "": break
        case let value? where value.utf8.elementsEqual("simple".utf8): break
        case let value? where value.utf8.elementsEqual("policy".utf8): responseFormat = .policy
        default: problems.append("AUTHORIZER_RESPONSE must be simple or policy")
        }
        var checkRevocation = false
        switch environment["AUTHORIZER_CHECK_REVOCATION"] {
        case nil, "": break
        case let value? where value.utf8.elementsEqual("false".utf8): break
        case let value? where value.utf8.elementsEqual("true".utf8): checkRevocation = true
        default: problems.append("AUTHORIZER_CHECK_REVOCATION must be true or false")
        }
        var rules = AuthorizerRules(defaultAllows: defaultAllows)
        if let text = environment["AUTHORIZER_RULES"], !text.isEmpty {
            switch AuthorizerRules.parse(text, defaultAllows: defaultAllows) {
            case .success(let parsed): rules = parsed
            case .failure(let error): problems.append(error.description)
            }
        }
        guard problems.isEmpty else { return .failure(ConfigurationError(problems: problems)) }
        return .success(AuthorizerConfig(rules: rules, responseFormat: responseFormat, checkRevocation: checkRevocation))
    }
}
