import FoundationEssentials
import JSONValue
import WireCoding

/// Why an access token is refused, with the message Cognito sends for it.
enum AccessTokenProblem: Error, Sendable, Equatable {
    case invalid, expired, revoked, missingScope

    var cognitoMessage: String {
        switch self {
        case .invalid: return "Invalid Access Token"
        case .expired: return "Access Token has expired"
        case .revoked: return "Access Token has been revoked"
        case .missingScope: return "Access Token does not have required scopes"
        }
    }
}

/// The emulator's own check of access tokens it minted (what Cognito does server-side for
/// GetUser / GlobalSignOut / userInfo): signature with the access key, issuer, use, expiry,
/// then revocation.
struct AccessTokenInspector: Sendable {
    let key: EmulatorSigningKey
    let issuer: String
    /// The pool's user app clients: a token of any of them is the pool's.
    let clientIds: [String]

    struct Claims: Sendable {
        var username: String
        var originJti: String
        var scopes: [String]
        var exp: Int64
        var all: [String: JSONValue]
    }

    func inspect(_ token: String, now: Int64) -> Result<Claims, AccessTokenProblem> {
        let parts = Exact.split(token, on: UInt8(ascii: "."))
        guard token.utf8.count <= 16 * 1024, parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]),
            let payloadBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            case .object(let header)? = try? JSONDecoder().decode(JSONValue.self, from: Data(headerBytes)),
            Exact.equals(header["alg"]?.stringValue, "RS256"), Exact.equals(header["kid"]?.stringValue, key.kid),
            key.isValidSignature(signingInput: token[parts[0].startIndex..<parts[1].endIndex], signature: signature),
            case .object(let claims)? = try? JSONDecoder().decode(JSONValue.self, from: Data(payloadBytes)),
            Exact.equals(claims["iss"]?.stringValue, issuer),
            Exact.equals(claims["token_use"]?.stringValue, "access"),
            let clientId = claims["client_id"]?.stringValue, Exact.contains(clientIds, clientId),
            let username = claims["username"]?.stringValue,
            let originJti = claims["origin_jti"]?.stringValue,
            let exp = claims["exp"]?.int64Value
        else { return .failure(.invalid) }
        guard exp > now else { return .failure(.expired) }
        let scopes = claims["scope"]?.stringValue?.split(separator: " ").map(String.init) ?? []
        return .success(Claims(username: username, originJti: originJti, scopes: scopes, exp: exp, all: claims))
    }
}
