import AuthCore
import LambdaKit
import NIOCore

/// Extracts the bearer token of a request (`BearerCredential`) and verifies it locally, before
/// any network call. Every refusal is an `AuthenticationFailure`, which `ErrorTable` answers
/// with a 403 (the original service's `JWTBearer` contract) or, for unreachable keys, a 502.
public struct BearerGuard: Sendable {
    let verifier: AccessTokenVerifier

    public init(verifier: AccessTokenVerifier) {
        self.verifier = verifier
    }

    /// The verified token and its compact form (needed for the Cognito call that follows).
    public struct Credentials: Sendable {
        public var token: String
        public var claims: VerifiedAccessToken
    }

    public func authenticate(_ request: HTTPRequest, deadline: NIODeadline) async throws(AuthenticationFailure) -> Credentials {
        let token: String
        do {
            token = try Self.bearerToken(in: request)
        } catch {
            throw .credential(error)
        }
        do {
            let claims = try await verifier.verify(token, deadline: deadline)
            return Credentials(token: token, claims: claims)
        } catch {
            throw .token(error)
        }
    }

    /// The token of `Authorization: Bearer <token>`, or why the request has none.
    static func bearerToken(in request: HTTPRequest) throws(CredentialFailure) -> String {
        try BearerCredential.token(headerValues: request.headers["Authorization"])
    }
}
