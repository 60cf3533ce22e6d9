/// The tokens Cognito's token endpoint returned.
public struct TokenSet: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessToken: String
    /// Present for the authorization-code grant with the `openid` scope, and on refresh.
    public var idToken: String?
    /// Present for the authorization-code grant; on refresh only when rotation is on.
    public var refreshToken: String?
    /// Lifetime of the access token in seconds.
    public var expiresIn: Int
    /// "Bearer" in practice.
    public var tokenType: String

    public init(accessToken: String, idToken: String?, refreshToken: String?, expiresIn: Int, tokenType: String) {
        self.accessToken = accessToken
        self.idToken = idToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
        self.tokenType = tokenType
    }

    // Security: token values never appear in a description, so logging or interpolating a
    // TokenSet (even by mistake, even with `dump` or `\(debug:)`) cannot leak them.
    public var description: String {
        "TokenSet(accessToken: <redacted>, idToken: \(idToken == nil ? "nil" : "<redacted>"), "
            + "refreshToken: \(refreshToken == nil ? "nil" : "<redacted>"), expiresIn: \(expiresIn), tokenType: \(tokenType))"
    }

    public var debugDescription: String { description }
}

extension TokenSet: CustomReflectable {
    // `dump()` and Mirror-based printers walk children; show them the redacted form only.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}
