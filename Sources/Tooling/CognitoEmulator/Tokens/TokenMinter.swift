import Crypto
import FoundationEssentials
import WireCoding

/// Tokens minted for one grant.
struct MintedTokens: Sendable {
    var accessToken: String
    var idToken: String?
    var refreshToken: String?
    var expiresIn: Int
}

/// Builds Cognito-shaped access and ID tokens (claim names and order as Cognito issues them).
struct TokenMinter: Sendable {
    let keys: EmulatorSigningKeys
    let issuer: String
    let lifetime: Int

    /// Claims a pre token generation trigger cannot add or override (Cognito sets them).
    static let reservedClaims: Set<String> = [
        "acr", "amr", "at_hash", "aud", "auth_time", "azp", "c_hash", "client_id", "cognito:groups", "cognito:username",
        "event_id", "exp", "iat", "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "scope", "sub", "token_use",
        "username", "version",
    ]

    /// - Parameter hostedUI: tokens from `/oauth2/token` carry the requested scopes; tokens from
    ///   InitiateAuth carry only `aws.cognito.signin.user.admin`, as in Cognito.
    func mint(user: UserRecord, session: SessionRecord, now: Int64, includeIdToken: Bool, nonce: String?, refreshToken: String?) throws -> MintedTokens {
        let eventId = UUIDString.random()
        let exp = now + Int64(lifetime)
        var access: [(String, OrderedJSON)] = [("sub", .string(user.sub))]
        if !user.groups.isEmpty { access.append(("cognito:groups", .array(user.groups.map { .string($0) }))) }
        access += [
            ("iss", .string(issuer)),
            ("version", .int(2)),
            ("client_id", .string(session.clientId)),
            ("origin_jti", .string(session.originJti)),
            ("event_id", .string(eventId)),
            ("token_use", .string("access")),
            ("scope", .string(session.scopes.joined(separator: " "))),
            ("auth_time", .int(session.authTime)),
            ("exp", .int(exp)),
            ("iat", .int(now)),
            ("jti", .string(UUIDString.random())),
            ("username", .string(user.username)),
        ]
        // RFC 8707 resource binding: the resource the tokens were requested for.
        if let audience = session.audience { access.append(("aud", .string(audience))) }
        // What a pre token generation trigger adds (claimsToAddOrOverride).
        for claim in user.claims { access.append((claim.name, .string(claim.value))) }
        let accessToken = try keys.access.sign(payload: .object(access))

        var idToken: String?
        if includeIdToken {
            var id: [(String, OrderedJSON)] = [
                ("at_hash", .string(Self.atHash(accessToken))),
                ("sub", .string(user.sub)),
            ]
            if !user.groups.isEmpty { id.append(("cognito:groups", .array(user.groups.map { .string($0) }))) }
            if let verified = user.attribute("email_verified") { id.append(("email_verified", .bool(verified == "true"))) }
            id += [
                ("iss", .string(issuer)),
                ("cognito:username", .string(user.username)),
            ]
            if let nonce { id.append(("nonce", .string(nonce))) }
            id += [
                ("origin_jti", .string(session.originJti)),
                ("aud", .string(session.clientId)),
                ("event_id", .string(eventId)),
                ("token_use", .string("id")),
                ("auth_time", .int(session.authTime)),
            ]
            // Other profile attributes (name, phone_number, custom:...) sit between auth_time and exp.
            for attribute in user.attributes where !["sub", "email", "email_verified"].contains(attribute.name) {
                if attribute.name == "phone_number_verified" {
                    id.append((attribute.name, .bool(attribute.value == "true")))
                } else {
                    id.append((attribute.name, .string(attribute.value)))
                }
            }
            id += [
                ("exp", .int(exp)),
                ("iat", .int(now)),
                ("jti", .string(UUIDString.random())),
            ]
            if let email = user.attribute("email") { id.append(("email", .string(email))) }
            for claim in user.claims { id.append((claim.name, .string(claim.value))) }
            idToken = try keys.id.sign(payload: .object(id))
        }
        return MintedTokens(
            accessToken: accessToken,
            idToken: idToken,
            refreshToken: refreshToken,
            expiresIn: lifetime
        )
    }

    /// A client-credentials access token, in Cognito's claim order: no user, so no `username`,
    /// no groups, no `origin_jti`; `sub` is the client id.
    func mintMachine(clientId: String, scopes: [String], audience: String?, now: Int64) throws -> MintedTokens {
        var access: [(String, OrderedJSON)] = [
            ("sub", .string(clientId)),
            ("token_use", .string("access")),
            ("scope", .string(scopes.joined(separator: " "))),
            ("auth_time", .int(now)),
            ("iss", .string(issuer)),
            ("exp", .int(now + Int64(lifetime))),
            ("iat", .int(now)),
            ("version", .int(2)),
            ("jti", .string(UUIDString.random())),
            ("client_id", .string(clientId)),
        ]
        if let audience { access.append(("aud", .string(audience))) }
        return MintedTokens(accessToken: try keys.access.sign(payload: .object(access)), idToken: nil, refreshToken: nil, expiresIn: lifetime)
    }

    /// OIDC at_hash: base64url of the left half of SHA-256 over the access token's ASCII.
    static func atHash(_ accessToken: String) -> String {
        let digest = ByteArray.of(SHA256.hash(data: Array(accessToken.utf8)))
        return Base64URL.encode(digest.prefix(16))
    }
}
