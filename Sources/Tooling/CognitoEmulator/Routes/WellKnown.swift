import Hummingbird

/// `/{poolId}/.well-known/jwks.json` and `/{poolId}/.well-known/openid-configuration`.
struct WellKnown: Sendable {
    let core: EmulatorCore

    func jwks(_ request: Request, context: EmulatorContext) async throws -> Response {
        try await core.applyingFaults("JWKS", style: .plain, context: context, requestId: UUIDString.random()) {
            guard Exact.equals(context.parameters.get("poolId"), core.options.userPoolId) else { return notFound(context) }
            return Responses.json(core.keys.jwks)
        }
    }

    func openIDConfiguration(_ request: Request, context: EmulatorContext) async throws -> Response {
        try await core.applyingFaults("OpenIDConfiguration", style: .plain, context: context, requestId: UUIDString.random()) {
            guard Exact.equals(context.parameters.get("poolId"), core.options.userPoolId) else { return notFound(context) }
            let base = EmulatorCore.baseURL(request)
            // Endpoints point at the emulator; the issuer stays the AWS form the tokens carry.
            return Responses.json(
                .object([
                    ("authorization_endpoint", .string(base + "/oauth2/authorize")),
                    ("end_session_endpoint", .string(base + "/logout")),
                    ("id_token_signing_alg_values_supported", .array([.string("RS256")])),
                    ("issuer", .string(core.options.issuer)),
                    ("jwks_uri", .string("\(base)/\(core.options.userPoolId)/.well-known/jwks.json")),
                    ("response_types_supported", .array([.string("code")])),
                    ("revocation_endpoint", .string(base + "/oauth2/revoke")),
                    ("scopes_supported", .array(core.options.allowedScopes.map { .string($0) })),
                    ("subject_types_supported", .array([.string("public")])),
                    ("token_endpoint", .string(base + "/oauth2/token")),
                    ("token_endpoint_auth_methods_supported", .array([.string("client_secret_basic"), .string("client_secret_post")])),
                    ("userinfo_endpoint", .string(base + "/oauth2/userInfo")),
                ])
            )
        }
    }

    private func notFound(_ context: EmulatorContext) -> Response {
        Responses.json(.object([("message", .string("User pool does not exist."))]), status: 404)
    }
}
