import JSONValue

/// A Cognito access token whose signature, lifetime, issuer, `token_use` and client all checked out.
public struct VerifiedAccessToken: Sendable {
    public var sub: String
    public var username: String
    public var clientId: String
    /// `scope`, split on spaces.
    public var scopes: [String]
    /// `cognito:groups`; empty when the claim is absent.
    public var groups: [String]
    public var jti: String?
    /// Cognito's `origin_jti`: shared by the tokens of one authentication, used for revocation.
    public var originJti: String?
    public var exp: Int64
    public var iat: Int64?
    public var authTime: Int64?
    /// Every claim of the payload, as sent.
    public var claims: [String: JSONValue]

    public init(
        sub: String,
        username: String,
        clientId: String,
        scopes: [String] = [],
        groups: [String] = [],
        jti: String? = nil,
        originJti: String? = nil,
        exp: Int64,
        iat: Int64? = nil,
        authTime: Int64? = nil,
        claims: [String: JSONValue] = [:]
    ) {
        self.sub = sub
        self.username = username
        self.clientId = clientId
        self.scopes = scopes
        self.groups = groups
        self.jti = jti
        self.originJti = originJti
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.claims = claims
    }
}
