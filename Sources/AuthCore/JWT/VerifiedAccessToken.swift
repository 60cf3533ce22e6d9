import JSONValue

/// A Cognito access token whose signature, lifetime, issuer, `token_use` and client all checked out.
public struct VerifiedAccessToken: Sendable {
    public var sub: String
    public var username: String
    public var clientId: String
    /// `scope`, split on spaces.
    ///
    /// Split on each read when the token came from the verifier (most callers never read it).
    public var scopes: [String] {
        get {
            switch scopeStorage {
            case .split(let scopes): return scopes
            case .scope(let scope): return scope.map(AccessTokenVerifier.splitScopes) ?? []
            }
        }
        set { scopeStorage = .split(newValue) }
    }

    enum ScopeStorage: Sendable {
        case split([String])
        /// The verified `scope` claim as sent (nil when absent).
        case scope(String?)
    }

    var scopeStorage: ScopeStorage
    /// `cognito:groups`; empty when the claim is absent.
    public var groups: [String]
    public var jti: String?
    /// Cognito's `origin_jti`: shared by the tokens of one authentication, used for revocation.
    public var originJti: String?
    public var exp: Int64
    public var iat: Int64?
    public var authTime: Int64?
    /// Every claim of the payload, as sent.
    ///
    /// Built on each read from the verified payload (verification itself reads only the claims
    /// above): keep the result rather than reading it repeatedly.
    public var claims: [String: JSONValue] {
        get {
            switch claimStorage {
            case .members(let members): return members
            // The payload passed the same strict parser's checks during verification.
            case .payload(let payload): return (try? StrictJSONParser.parseObject(payload)) ?? [:]
            }
        }
        set { claimStorage = .members(newValue) }
    }

    enum ClaimStorage: Sendable {
        case members([String: JSONValue])
        case payload([UInt8])
    }

    var claimStorage: ClaimStorage

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
        self.scopeStorage = .split(scopes)
        self.groups = groups
        self.jti = jti
        self.originJti = originJti
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.claimStorage = .members(claims)
    }

    /// A token whose `claims` are read from `payload`, a verified strict JSON object, on demand.
    init(
        sub: String, username: String, clientId: String, scope: String?, groups: [String], jti: String?,
        originJti: String?, exp: Int64, iat: Int64?, authTime: Int64?, payload: [UInt8]
    ) {
        // Every field assigned once (no default values built and then replaced on the hot path).
        self.sub = sub
        self.username = username
        self.clientId = clientId
        self.scopeStorage = .scope(scope)
        self.groups = groups
        self.jti = jti
        self.originJti = originJti
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.claimStorage = .payload(payload)
    }
}
