import Crypto
import FoundationEssentials

/// A user as the pool holds it (attributes in GetUser order: `sub` first, then by name).
struct UserRecord: Sendable {
    var username: String
    var password: String
    var sub: String
    var attributes: [(name: String, value: String)]
    var groups: [String]

    init(_ user: EmulatorUser) {
        username = user.username
        password = user.password
        // A stable sub when the users file has none: a UUID-shaped SHA-256 of the username.
        sub = user.attributes["sub"] ?? Self.derivedSub(user.username)
        var attributes = [(name: "sub", value: sub)]
        for name in user.attributes.keys.sorted() where name != "sub" {
            attributes.append((name, user.attributes[name]!))
        }
        self.attributes = attributes
        groups = user.groups
    }

    func attribute(_ name: String) -> String? { attributes.first(where: { $0.name == name })?.value }

    private static func derivedSub(_ username: String) -> String {
        let hex = ByteArray.of(SHA256.hash(data: Array("cognito-emulator-sub:\(username)".utf8))).map {
            let digits = String($0, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        let chars = Array(hex.prefix(32))
        return [chars[0..<8], chars[8..<12], chars[12..<16], chars[16..<20], chars[20..<32]].map { String($0) }.joined(separator: "-")
    }
}

/// An authorization code waiting to be redeemed.
struct CodeRecord: Sendable {
    var username: String
    var clientId: String
    var redirectURI: String
    var scopes: [String]
    var codeChallenge: String?
    var codeChallengeMethod: String?
    var nonce: String?
    var authTime: Int64
    var expiresAt: Double
}

/// A sign-in session: one refresh token and every access/ID token minted from it share its
/// `origin_jti`, so revoking the session revokes them all.
struct SessionRecord: Sendable {
    var originJti: String
    var username: String
    var clientId: String
    var scopes: [String]
    var authTime: Int64
    var refreshToken: String
    var refreshExpiresAt: Double
    var revoked: Bool
}

enum CodeRedemptionFailure: Error, Sendable {
    case unknownOrUsed, expired
}

/// All mutable pool state.
actor EmulatorStore {
    private let usersByName: [String: UserRecord]
    private var codes: [String: CodeRecord] = [:]
    private var sessions: [String: SessionRecord] = [:]
    private var sessionByRefreshToken: [String: String] = [:]

    init(users: [EmulatorUser]) {
        var map: [String: UserRecord] = [:]
        for user in users { map[user.username] = UserRecord(user) }
        usersByName = map
    }

    nonisolated func user(named username: String) -> UserRecord? {
        usersByName[username]
    }

    /// Finds a user by username or (as Cognito allows for sign-in) by email alias.
    nonisolated func authenticate(username: String, password: String) -> UserRecord? {
        let user = usersByName[username] ?? usersByName.values.first(where: { $0.attribute("email") == username })
        guard let user else { return nil }
        return ConstantTime.equals(user.password, password) ? user : nil
    }

    func issueCode(_ record: CodeRecord) -> String {
        let code = UUIDString.random()
        codes[code] = record
        return code
    }

    /// Codes are single-use: the first redemption attempt consumes it, even if it then fails
    /// a later check (PKCE, redirect), so a stolen code cannot be retried.
    func redeemCode(_ code: String, now: Double) -> Result<CodeRecord, CodeRedemptionFailure> {
        guard let record = codes.removeValue(forKey: code) else { return .failure(.unknownOrUsed) }
        guard record.expiresAt > now else { return .failure(.expired) }
        return .success(record)
    }

    func createSession(username: String, clientId: String, scopes: [String], authTime: Int64, refreshExpiresAt: Double) -> SessionRecord {
        let session = SessionRecord(
            originJti: UUIDString.random(),
            username: username,
            clientId: clientId,
            scopes: scopes,
            authTime: authTime,
            refreshToken: RefreshTokenFormat.make(),
            refreshExpiresAt: refreshExpiresAt,
            revoked: false
        )
        sessions[session.originJti] = session
        sessionByRefreshToken[session.refreshToken] = session.originJti
        return session
    }

    func session(forRefreshToken token: String) -> SessionRecord? {
        sessionByRefreshToken[token].flatMap { sessions[$0] }
    }

    func isRevoked(originJti: String) -> Bool {
        // A validly signed token from an earlier run (same key file, e.g. a replay) has no
        // session here: nothing revoked it in this run, so it is not revoked.
        sessions[originJti]?.revoked ?? false
    }

    /// RevokeToken / `/oauth2/revoke`: the refresh token and everything minted from it.
    @discardableResult
    func revokeSession(refreshToken: String) -> Bool {
        guard let jti = sessionByRefreshToken[refreshToken], sessions[jti] != nil else { return false }
        sessions[jti]!.revoked = true
        return true
    }

    /// GlobalSignOut: every session of the user, so all their tokens issued so far.
    func revokeAllSessions(username: String) {
        for (jti, session) in sessions where session.username == username {
            sessions[jti]!.revoked = true
        }
    }
}

enum UUIDString {
    static func random() -> String { UUID().uuidString.lowercased() }
}

/// Cognito refresh tokens are opaque JWEs (five dot-separated parts, RSA-OAEP/A256GCM header).
/// The emulator's are random values of the same shape; only the emulator can interpret them.
enum RefreshTokenFormat {
    static func make() -> String {
        let header = Base64URL.encode(Array(#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#.utf8))
        return [header, Base64URL.random(bytes: 256), Base64URL.random(bytes: 12), Base64URL.random(bytes: 96), Base64URL.random(bytes: 16)]
            .joined(separator: ".")
    }
}
