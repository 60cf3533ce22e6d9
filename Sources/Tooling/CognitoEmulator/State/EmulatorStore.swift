import Crypto
import FoundationEssentials
import WireCoding

/// A user as the pool holds it (attributes in GetUser order: `sub` first, then by name).
struct UserRecord: Sendable {
    var username: String
    var password: String
    var sub: String
    var attributes: [(name: String, value: String)]
    var groups: [String]
    /// A pre token generation trigger's claims, in name order.
    var claims: [(name: String, value: String)]

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
        claims = user.claims.keys.sorted().map { ($0, user.claims[$0]!) }
    }

    func attribute(_ name: String) -> String? { attributes.first(where: { Exact.equals($0.name, name) })?.value }

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
    /// The `resource` of the authorize request (RFC 8707): the tokens' `aud`.
    var audience: String?
    var authTime: Int64
    var expiresAt: Double
}

/// A sign-in session: every refresh token (one without rotation, a chain with it) and every
/// access/ID token minted from it share its `origin_jti`, so revoking the session revokes them all.
/// A rotated refresh token keeps the session's expiry (Cognito: "valid for the remaining time
/// of the original refresh token").
struct SessionRecord: Sendable {
    var originJti: String
    var username: String
    var clientId: String
    var scopes: [String]
    /// The tokens' `aud` (from `resource`), kept across refreshes.
    var audience: String?
    var authTime: Int64
    var refreshExpiresAt: Double
    var revoked: Bool
}

/// One refresh token of a session; `retiredAt` is when rotation replaced it.
struct RefreshTokenRecord: Sendable {
    var originJti: String
    var retiredAt: Double?
}

enum CodeRedemptionFailure: Error, Sendable {
    case unknownOrUsed, expired
}

/// Why a refresh token was refused (the token endpoint answers `invalid_grant` for all).
enum RefreshFailure: Error, Sendable, Equatable {
    case unknown, otherClient, revoked, expired, rotatedOut
}

/// All mutable pool state. Every map is keyed by the key's UTF-8 bytes (`Exact.key`): a
/// `String` key would find a token, code or user under a canonically equivalent spelling.
actor EmulatorStore {
    private let usersByName: [[UInt8]: UserRecord]
    private var codes: [[UInt8]: CodeRecord] = [:]
    private var sessions: [[UInt8]: SessionRecord] = [:]
    private var refreshTokens: [[UInt8]: RefreshTokenRecord] = [:]
    /// Per user: when its recent `GetUser` reads were admitted (the last second's).
    private var userReads: [[UInt8]: [Double]] = [:]

    init(users: [EmulatorUser]) {
        var map: [[UInt8]: UserRecord] = [:]
        for user in users { map[Exact.key(user.username)] = UserRecord(user) }
        usersByName = map
    }

    nonisolated func user(named username: String) -> UserRecord? {
        usersByName[Exact.key(username)]
    }

    /// Finds a user by username or (as Cognito allows for sign-in) by email alias.
    nonisolated func authenticate(username: String, password: String) -> UserRecord? {
        let user = usersByName[Exact.key(username)] ?? usersByName.values.first(where: { Exact.equals($0.attribute("email"), username) })
        guard let user else { return nil }
        return ConstantTime.equals(user.password, password) ? user : nil
    }

    func issueCode(_ record: CodeRecord) -> String {
        let code = UUIDString.random()
        codes[Exact.key(code)] = record
        return code
    }

    /// Codes are single-use: the first redemption attempt consumes it, even if it then fails
    /// a later check (PKCE, redirect), so a stolen code cannot be retried.
    func redeemCode(_ code: String, now: Double) -> Result<CodeRecord, CodeRedemptionFailure> {
        guard let record = codes.removeValue(forKey: Exact.key(code)) else { return .failure(.unknownOrUsed) }
        guard record.expiresAt > now else { return .failure(.expired) }
        return .success(record)
    }

    /// A new session and its first refresh token.
    func createSession(
        username: String, clientId: String, scopes: [String], audience: String? = nil, authTime: Int64, refreshExpiresAt: Double
    ) -> (session: SessionRecord, refreshToken: String) {
        let session = SessionRecord(
            originJti: UUIDString.random(), username: username, clientId: clientId, scopes: scopes, audience: audience,
            authTime: authTime, refreshExpiresAt: refreshExpiresAt, revoked: false
        )
        sessions[Exact.key(session.originJti)] = session
        let token = RefreshTokenFormat.make()
        refreshTokens[Exact.key(token)] = RefreshTokenRecord(originJti: session.originJti, retiredAt: nil)
        return (session, token)
    }

    /// The session a refresh token belongs to, whatever its state (for revocation).
    func session(forRefreshToken token: String) -> SessionRecord? {
        refreshTokens[Exact.key(token)].flatMap { sessions[Exact.key($0.originJti)] }
    }

    /// Checks a refresh token for a refresh grant without changing anything.
    /// A rotated-out token works for `graceSeconds` after its rotation, then never again.
    func checkRefreshToken(_ token: String, clientId: String, now: Double, graceSeconds: Double) -> Result<SessionRecord, RefreshFailure> {
        guard let record = refreshTokens[Exact.key(token)], let session = sessions[Exact.key(record.originJti)] else { return .failure(.unknown) }
        guard Exact.equals(session.clientId, clientId) else { return .failure(.otherClient) }
        if session.revoked { return .failure(.revoked) }
        guard session.refreshExpiresAt > now else { return .failure(.expired) }
        if let retiredAt = record.retiredAt, now >= retiredAt + graceSeconds { return .failure(.rotatedOut) }
        return .success(session)
    }

    /// A refresh grant: checks the token and, with `rotate`, issues its successor and retires
    /// it, in one step so two concurrent refreshes cannot both outlive a zero grace period.
    /// A retry within the grace period rotates again; the retirement time stays the first
    /// one, so retries cannot stretch the grace period.
    func redeemRefreshToken(_ token: String, clientId: String, now: Double, rotate: Bool, graceSeconds: Double) -> Result<(session: SessionRecord, newRefreshToken: String?), RefreshFailure> {
        let session: SessionRecord
        switch checkRefreshToken(token, clientId: clientId, now: now, graceSeconds: graceSeconds) {
        case .failure(let failure): return .failure(failure)
        case .success(let value): session = value
        }
        guard rotate else { return .success((session, nil)) }
        let key = Exact.key(token)
        if refreshTokens[key]?.retiredAt == nil { refreshTokens[key]?.retiredAt = now }
        let successor = RefreshTokenFormat.make()
        refreshTokens[Exact.key(successor)] = RefreshTokenRecord(originJti: session.originJti, retiredAt: nil)
        return .success((session, successor))
    }

    /// Cognito's per-user read quota: admits a read of `username` at `now` when fewer than
    /// `limit` were admitted in the second before it (a sliding window on the emulator's clock).
    func admitRead(username: String, now: Double, limit: Int) -> Bool {
        let key = Exact.key(username)
        var recent = (userReads[key] ?? []).filter { $0 > now - 1 && $0 <= now }
        guard recent.count < limit else {
            userReads[key] = recent
            return false
        }
        recent.append(now)
        userReads[key] = recent
        return true
    }

    func isRevoked(originJti: String) -> Bool {
        // A validly signed token from an earlier run (same key file, e.g. a replay) has no
        // session here: nothing revoked it in this run, so it is not revoked.
        sessions[Exact.key(originJti)]?.revoked ?? false
    }

    /// RevokeToken / `/oauth2/revoke`: the session of the refresh token, so every refresh
    /// token of its rotation chain and every access/ID token minted from them. A rotated-out
    /// token still names its session: a client revoking it means to end that sign-in, and
    /// doing so is never less safe than ignoring it.
    @discardableResult
    func revokeSession(refreshToken: String) -> Bool {
        guard let record = refreshTokens[Exact.key(refreshToken)], sessions[Exact.key(record.originJti)] != nil else { return false }
        sessions[Exact.key(record.originJti)]!.revoked = true
        return true
    }

    /// GlobalSignOut: every session of the user, so all their tokens issued so far.
    func revokeAllSessions(username: String) {
        for (key, session) in sessions where Exact.equals(session.username, username) {
            sessions[key]!.revoked = true
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
        return [header, random(bytes: 256), random(bytes: 12), random(bytes: 96), random(bytes: 16)]
            .joined(separator: ".")
    }

    /// `count` random bytes, base64url.
    private static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
