import JSONValue

/// A Cognito access token whose signature, lifetime, issuer, `token_use`, client and (when
/// required) audience all checked out.
///
/// From the verifier, the string claims (`sub`, `username`, `scopes`, `groups`, `jti`,
/// `originJti`, `claims`) are decoded from the verified payload on each read: verification itself
/// builds none of them. Keep what you read rather than reading it repeatedly.
public struct VerifiedAccessToken: Sendable {
    /// The token's own `client_id` (one of the accepted clients).
    public var clientId: String
    /// Whom the token acts for.
    public var principal: Principal
    public var exp: Int64
    public var iat: Int64?
    public var authTime: Int64?

    /// `user`: a user's token (has `username`); `machine`: a client-credentials token, acting for
    /// its app client only (`sub` is the client id; no `username`, no groups). The raw values are
    /// what an authorizer context reports as `principal_type`.
    public enum Principal: String, Sendable {
        case user, machine
    }

    public var isMachine: Bool { principal == .machine }

    enum Storage: Sendable {
        /// From the verifier.
        case payload(ClaimsPayload)
        /// From the public initializer, or once a claim was set.
        indirect case values(Values)
    }

    struct Values: Sendable {
        var sub: String
        var username: String
        var scopes: [String]
        var groups: [String]
        var jti: String?
        var originJti: String?
        var claims: [String: JSONValue]
    }

    var storage: Storage

    public var sub: String {
        get { read({ $0.string($0.sub) ?? "" }, \.sub) }
        set { change { $0.sub = newValue } }
    }

    /// Empty for a machine token (it has none).
    public var username: String {
        get { read({ $0.string($0.username) ?? "" }, \.username) }
        set { change { $0.username = newValue } }
    }

    /// `scope`, split on spaces.
    public var scopes: [String] {
        get { read({ $0.scopes($0.scope) }, \.scopes) }
        set { change { $0.scopes = newValue } }
    }

    /// `cognito:groups`; empty when the claim is absent.
    public var groups: [String] {
        get { read({ $0.strings($0.groups) }, \.groups) }
        set { change { $0.groups = newValue } }
    }

    public var jti: String? {
        get { read({ $0.string($0.jti) }, \.jti) }
        set { change { $0.jti = newValue } }
    }

    /// Cognito's `origin_jti`: shared by the tokens of one authentication, used for revocation.
    public var originJti: String? {
        get { read({ $0.string($0.originJti) }, \.originJti) }
        set { change { $0.originJti = newValue } }
    }

    /// Every claim of the payload, as sent.
    public var claims: [String: JSONValue] {
        get { read({ $0.claims }, \.claims) }
        set { change { $0.claims = newValue } }
    }

    /// The string claims named in `names`, in their order (nil: absent or not a string), exact
    /// bytes: one pass over the verified payload, nothing else decoded.
    public func stringClaims(_ names: StringClaimNames) -> [String?] {
        guard !names.isEmpty else { return [] }
        switch storage {
        case .payload(let payload): return payload.stringClaims(names)
        case .values(let values): return names.values(in: values.claims)
        }
    }

    private func read<Value>(_ fromPayload: (ClaimsPayload) -> Value, _ fromValues: (Values) -> Value) -> Value {
        switch storage {
        case .payload(let payload): return fromPayload(payload)
        case .values(let values): return fromValues(values)
        }
    }

    /// Setting a claim decodes the others once: from then on they are plain values.
    private mutating func change(_ body: (inout Values) -> Void) {
        var values: Values
        switch storage {
        case .values(let current):
            values = current
        case .payload:
            values = Values(sub: sub, username: username, scopes: scopes, groups: groups, jti: jti, originJti: originJti, claims: claims)
        }
        body(&values)
        storage = .values(values)
    }

    public init(
        sub: String,
        username: String,
        clientId: String,
        principal: Principal = .user,
        scopes: [String] = [],
        groups: [String] = [],
        jti: String? = nil,
        originJti: String? = nil,
        exp: Int64,
        iat: Int64? = nil,
        authTime: Int64? = nil,
        claims: [String: JSONValue] = [:]
    ) {
        self.clientId = clientId
        self.principal = principal
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.storage = .values(Values(sub: sub, username: username, scopes: scopes, groups: groups, jti: jti, originJti: originJti, claims: claims))
    }

    /// A token whose claims are read from `payload` (verified, strictly parsed) on demand.
    init(clientId: String, principal: Principal, exp: Int64, iat: Int64?, authTime: Int64?, payload: ClaimsPayload) {
        self.clientId = clientId
        self.principal = principal
        self.exp = exp
        self.iat = iat
        self.authTime = authTime
        self.storage = .payload(payload)
    }
}
