/// Why an access token was refused: one case per failure class of the verification pipeline.
/// Associated strings are written by the verifier and never contain the token or a claim value.
public enum TokenVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a compact JWS (parts, base64url, size), header or claims not JSON objects, a claim of
    /// the wrong type or missing, a forbidden header (`jku`, `jwk`, `x5u`, `x5c`, unknown `crit`).
    case malformed(String)
    /// The header `alg` is not RS256 (`none`, `HS256`, `PS256`, `RS384`, …). Carries a short excerpt.
    case unsupportedAlgorithm(String)
    case missingKeyID
    /// No key with the header's `kid` in the JWKS, even after the allowed refetch.
    case unknownKeyID
    /// The key with that `kid` cannot be used (not RSA, `use` not `sig`, `alg` differs, < 2048 bits…).
    case unusableKey(String)
    case badSignature
    case expired
    case notYetValid
    case issuedInFuture
    case wrongIssuer
    case wrongTokenUse
    case wrongClient
    /// A machine (client-credentials) token of a client not listed in `COGNITO_MACHINE_CLIENT_IDS`
    /// (or where machine tokens are not accepted at all).
    case machineTokenNotAccepted
    /// `COGNITO_REQUIRED_AUDIENCE` is set and `aud` is missing or does not name it.
    case wrongAudience
    /// The JWKS could not be fetched or parsed (timeout, non-200, oversized, not JSON).
    case keysUnavailable(String)

    /// Which check refused the token, as a stable snake_case word for operators' logs
    /// (`reason=unknown_kid`, `bad_signature`, `wrong_issuer`…), so an attack (forged signatures,
    /// random kids) can be told apart from a misconfiguration (wrong pool, wrong client). Carries
    /// nothing of the token.
    public var reason: String {
        switch self {
        case .malformed: return "malformed"
        case .unsupportedAlgorithm: return "unsupported_alg"
        case .missingKeyID: return "missing_kid"
        case .unknownKeyID: return "unknown_kid"
        case .unusableKey: return "unusable_key"
        case .badSignature: return "bad_signature"
        case .expired: return "expired"
        case .notYetValid: return "not_yet_valid"
        case .issuedInFuture: return "issued_in_future"
        case .wrongIssuer: return "wrong_issuer"
        case .wrongTokenUse: return "wrong_token_use"
        case .wrongClient: return "wrong_client"
        case .machineTokenNotAccepted: return "machine_token_not_accepted"
        case .wrongAudience: return "wrong_audience"
        case .keysUnavailable: return "jwks_unavailable"
        }
    }

    /// The verifier's own words about the refusal where it has more than the reason (which claim
    /// is malformed, why a key is unusable); written by the verifier, never a token excerpt.
    public var logDetail: String? {
        switch self {
        case .malformed(let detail), .unusableKey(let detail), .keysUnavailable(let detail): return detail
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason): return "malformed token: \(reason)"
        case .unsupportedAlgorithm(let alg): return "unsupported token algorithm \(alg)"
        case .missingKeyID: return "token header has no kid"
        case .unknownKeyID: return "token kid is not in the JWKS"
        case .unusableKey(let reason): return "token key is unusable: \(reason)"
        case .badSignature: return "token signature is invalid"
        case .expired: return "token has expired"
        case .notYetValid: return "token is not valid yet (nbf)"
        case .issuedInFuture: return "token is issued in the future (iat)"
        case .wrongIssuer: return "token issuer is not the configured user pool"
        case .wrongTokenUse: return "token is not an access token"
        case .wrongClient: return "token was issued to another client"
        case .machineTokenNotAccepted: return "token is a machine token of a client not accepted for them"
        case .wrongAudience: return "token is not for this resource (aud)"
        case .keysUnavailable(let reason): return "signing keys unavailable: \(reason)"
        }
    }
}
