import AuthCore

/// What the rules' conditions read of one verified token: its client, whether it is a machine
/// token, its groups and scopes, and the string claims the rules name (`AuthorizerRules.claimNames`).
/// The answer (a simple `isAuthorized`, or a policy cached for the token) depends on these only.
struct AuthorizerSubject: Sendable {
    /// The token's own `client_id` (the verifier's accepted entry it equals byte for byte).
    var clientId: String
    /// A client-credentials token: admitted only by a rule whose `clients` names its client, never
    /// by the default.
    var isMachine: Bool
    var groups: [String]
    var scopes: [String]
    /// By `AuthorizerRules.claimNames` slot: the claim's string value, nil when absent or not a string.
    var claims: [String?]

    init(clientId: String, isMachine: Bool = false, groups: [String] = [], scopes: [String] = [], claims: [String?] = []) {
        self.clientId = clientId
        self.isMachine = isMachine
        self.groups = groups
        self.scopes = scopes
        self.claims = claims
    }

    /// Reads each once: the verified token decodes its claims on every read. The named claims are
    /// located only when a rule has a `claims` condition.
    init(_ token: VerifiedAccessToken, claimNames: StringClaimNames) {
        self.init(
            clientId: token.clientId, isMachine: token.isMachine, groups: token.isMachine ? [] : token.groups, scopes: token.scopes,
            claims: token.stringClaims(claimNames))
    }

    /// The value of the claim in `slot` (nil: absent, not a string, or not read).
    @inline(__always)
    func claim(_ slot: Int) -> String? {
        slot < claims.count ? claims[slot] : nil
    }
}
