import AuthCore
import Logging
import NIOCore

/// The authorizer's one post-verification check: whether a verified user token has been revoked
/// (signed out) since its session began. Decided once, at init, from the environment:
///
/// - `off`: no check, no network on the hot path once the JWKS is loaded;
/// - `cognitoGetUser`: `AUTHORIZER_CHECK_REVOCATION=true` without a table: one Cognito `GetUser`
///   per decision (Cognito's UserRead quota; README "Revocation store" compares the modes);
/// - `store`: `AUTH_REVOCATION_TABLE` set: one strongly consistent DynamoDB `GetItem` per
///   decision (or a read younger than `AUTH_REVOCATION_CACHE_SECONDS`), never `GetUser`.
///
/// Machine (client-credentials) tokens are never checked: they have no user, no sign-out and no
/// `auth_time`, and Cognito's `GetUser` would refuse them.
enum AuthorizerRevocationCheck: Sendable {
    case off
    case cognitoGetUser(CognitoClient)
    case store(RevocationStore)

    enum Outcome: Sendable, Equatable {
        case passed
        /// Revoked (or Cognito refused the token): refused the way an invalid token is.
        case refused(reason: String)
        /// The check could not be made and fails closed: the invocation error (API Gateway's 500,
        /// which it does not cache), never Allow.
        case unavailable(reason: String)
    }

    static let storeUnavailableReason = "revocation_store_unavailable"

    var isOff: Bool {
        if case .off = self { return true }
        return false
    }

    func check(_ claims: VerifiedAccessToken, token: ArraySlice<UInt8>, deadline: NIODeadline, logger: Logger) async -> Outcome {
        // Security: only user tokens can be signed out; a machine token's `sub` is its client id,
        // which no sign-out ever marks.
        guard claims.principal == .user else { return .passed }
        switch self {
        case .off:
            return .passed
        case .cognitoGetUser(let client):
            do {
                _ = try await client.getUser(accessToken: String(decoding: token, as: UTF8.self), deadline: deadline)
                return .passed
            } catch .userNotFound {
                return .refused(reason: "user_not_found")
            } catch {
                if let refusal = error.accessTokenRefusal { return .refused(reason: refusal.reason) }
                let reason = error.upstreamKind.reason
                logger.error("authorizer revocation check failed", metadata: ["reason": .string(reason)])
                return .unavailable(reason: reason)
            }
        case .store(let store):
            let decision = await store.isRevoked(sub: claims.sub, authTime: claims.authTime, deadline: deadline)
            switch decision {
            case .allow:
                return .passed
            case .deny(let revokedBefore):
                // The same reason Cognito's "Access Token has been revoked" maps to.
                logger.debug("authorizer: signed out", metadata: ["revoked_before": "\(revokedBefore)"])
                return .refused(reason: CognitoError.AccessTokenRefusal.revoked.reason)
            case .denyStoreUnavailable(let error):
                // Fail closed (AUTH_REVOCATION_ON_ERROR=deny, the default): no answer, no Allow.
                logger.error(
                    "authorizer revocation store unavailable: refused",
                    metadata: ["reason": .string(Self.storeUnavailableReason), "detail": .string(error.description)])
                return .unavailable(reason: Self.storeUnavailableReason)
            case .allowStoreUnavailable(let error):
                // AUTH_REVOCATION_ON_ERROR=allow: the operator chose availability; every such
                // decision is logged at error, since revocation is not enforced while it lasts.
                logger.error(
                    "authorizer revocation store unavailable: allowed (AUTH_REVOCATION_ON_ERROR=allow)",
                    metadata: ["reason": .string(Self.storeUnavailableReason), "detail": .string(error.description)])
                return .passed
            }
        }
    }
}
