import FoundationEssentials
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that shapes one emulated user pool and its app clients.
public struct EmulatorOptions: Sendable {
    /// Interface to bind; loopback by default (the emulator has no TLS and no real secrets).
    public var host: String = "127.0.0.1"
    /// Off: the control API (`/_emulator/*`) and credentials in the `/oauth2/authorize` query
    /// answer only loopback peers, whatever `host` is. On (`--unsafe-expose`): every peer that
    /// reaches the port may shift the clock, inject faults and log in by URL.
    public var unsafeExpose: Bool = false
    /// 0 = any free port (tests); the bound port is in `CognitoEmulatorServer.port`.
    public var port: Int = 0
    public var region: String = "us-east-1"
    public var userPoolId: String = "us-east-1_EmuLocal1"
    /// The main app client (the one `environment` points the product at).
    public var clientId: String = "emulatorlocalclient0000001"
    /// When set, the token, revoke and JSON API endpoints require it (HTTP Basic, form body or SECRET_HASH).
    public var clientSecret: String? = nil
    /// The pool's other app clients: by default a second public client (a mobile app), a third
    /// one the product does not accept, and a confidential client-credentials client.
    public var otherClients: [EmulatorAppClient] = EmulatorAppClient.defaults
    /// Resource servers and their custom scopes (client-credentials scopes are
    /// `{identifier}/{scope}`); their identifiers are the values `resource` may name.
    public var resourceServers: [EmulatorResourceServer] = [.reports]
    /// Which issuer the pool's tokens carry (`IssuerConfigurationType`): ORIGINAL
    /// `https://cognito-idp.{region}.amazonaws.com/{poolId}` or UPDATED
    /// `https://issuer-cognito-idp.{region}.amazonaws.com/{poolId}`.
    public var issuerForm: IssuerForm = .original
    /// The Region the issuer names when it is not `region`: a replica of the pool in another
    /// Region (multi-Region replication) issuing tokens there.
    public var issuerRegion: String? = nil
    /// Cognito's per-user quota of `GetUser` reads per second (10); beyond it, on the emulator's
    /// clock, `TooManyRequestsException`. nil: no limit (the default, so load tests of the local
    /// stack measure the stack, not the quota).
    public var getUserReadsPerSecond: Int? = nil
    /// Registered callback URLs (exact match, as Cognito compares them).
    public var redirectURIs: [String] = ["http://localhost:3000/callback"]
    /// Registered sign-out URLs for `/logout?logout_uri=`; empty = the redirect URIs.
    public var logoutURIs: [String] = []
    /// Scopes the client may request; a request without `scope` gets all of them (as Cognito).
    public var allowedScopes: [String] = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]
    /// Access and ID token lifetime, seconds (`expires_in`).
    public var accessTokenLifetime: Int = 3600
    /// Refresh token lifetime, seconds (Cognito's default is 30 days).
    public var refreshTokenLifetime: Int = 30 * 24 * 3600
    /// Cognito's refresh token rotation (`RefreshTokenRotation.Feature = ENABLED`): every
    /// refresh returns a new refresh token and the submitted one stops working after
    /// `rotationGraceSeconds`; REFRESH_TOKEN_AUTH is then refused, as Cognito does.
    /// Off: a refresh returns new access and ID tokens only.
    public var refreshTokenRotation: Bool = false
    /// `RetryGracePeriodSeconds`, 0...60: how long a rotated-out refresh token still works
    /// (for client retries). 0 = invalid at once.
    public var rotationGraceSeconds: Int = 0
    /// The app client's `EnableTokenRevocation` (on by default, as for clients created since
    /// 2021). Off: `/oauth2/revoke` answers 400 `invalid_request` and `RevokeToken`
    /// `UnsupportedOperationException`, as Cognito does for such a client
    /// (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html).
    public var tokenRevocation: Bool = true
    /// Authorization code lifetime, seconds (Cognito: 5 minutes).
    public var authorizationCodeLifetime: Int = 300
    /// Users of the pool; the built-in demo user by default.
    public var users: [EmulatorUser] = [.demo]
    /// One or two RSA private keys in PEM (first: access tokens, second: ID tokens). `nil` = fresh keys.
    public var signingKeysPEM: String? = nil
    /// Clock override (seconds since 1970) for replayable tokens; `nil` = wall clock.
    /// The control endpoint `/_emulator/clock` can shift it further at run time.
    public var now: (@Sendable () -> Double)? = nil
    public var logger: Logger = Logger(label: "cognito-emulator")
    /// Receives start-up warnings, one line each without the newline (e.g. a bind that other
    /// machines can reach). Standard error by default; tests capture it.
    public var warningHandler: @Sendable (String) -> Void = EmulatorOptions.writeToStandardError

    public init() {}

    /// The AWS-form issuer the emulator puts in every token (only the endpoints are local).
    public var issuer: String {
        let issuerRegion = issuerRegion ?? region
        switch issuerForm {
        case .original: return "https://cognito-idp.\(issuerRegion).amazonaws.com/\(userPoolId)"
        case .updated: return "https://issuer-cognito-idp.\(issuerRegion).amazonaws.com/\(userPoolId)"
        }
    }

    public enum IssuerForm: String, Sendable, CaseIterable {
        case original, updated
    }

    /// Every app client: the main one first.
    public var appClients: [EmulatorAppClient] {
        [EmulatorAppClient(clientId: clientId, clientSecret: clientSecret, allowedScopes: allowedScopes)] + otherClients
    }

    /// Writes `line` and a newline to file descriptor 2 in one `write`.
    @Sendable public static func writeToStandardError(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

/// One app client of the emulated pool.
public struct EmulatorAppClient: Sendable, Hashable {
    public var clientId: String
    /// A confidential client's secret (HTTP Basic or `client_secret` at the token endpoint).
    public var clientSecret: String?
    /// Scopes the client may request; a request without `scope` gets all of them.
    public var allowedScopes: [String]
    /// The client-credentials grant (`AllowedOAuthFlows` = `client_credentials`, which Cognito
    /// does not combine with `code`): machine tokens only, no user sign-in.
    public var clientCredentials: Bool

    public init(clientId: String, clientSecret: String? = nil, allowedScopes: [String], clientCredentials: Bool = false) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.allowedScopes = allowedScopes
        self.clientCredentials = clientCredentials
    }

    public static let userScopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]

    /// A second public user client (a mobile app of the same pool).
    public static let mobile = EmulatorAppClient(clientId: "emulatorlocalclient0000002", allowedScopes: userScopes)
    /// A public user client the product is not configured to accept.
    public static let unlisted = EmulatorAppClient(clientId: "emulatorlocalclient0000003", allowedScopes: userScopes)
    /// A confidential client-credentials client with the `reports` resource server's scopes.
    public static let service = EmulatorAppClient(
        clientId: "emulatorlocalservice000004", clientSecret: "emulatorlocalservicesecret0000000000004",
        allowedScopes: EmulatorResourceServer.reports.scopes, clientCredentials: true)

    public static let defaults = [mobile, unlisted, service]
}

/// A resource server: `identifier` (what `resource` names and `aud` then carries) and its scopes.
public struct EmulatorResourceServer: Sendable, Hashable {
    public var identifier: String
    public var scopeNames: [String]

    public init(identifier: String, scopeNames: [String]) {
        self.identifier = identifier
        self.scopeNames = scopeNames
    }

    /// Custom scopes as tokens carry them: `{identifier}/{name}`.
    public var scopes: [String] { scopeNames.map { "\(identifier)/\($0)" } }

    public static let reports = EmulatorResourceServer(identifier: "https://api.example.com", scopeNames: ["reports.read", "reports.write"])
}

/// One user of the emulated pool. JSON shape (users file):
/// `{"username": "...", "password": "...", "attributes": {"email": "..."}, "groups": ["..."], "claims": {"custom:tenant": "acme"}}`.
public struct EmulatorUser: Sendable, Codable, Hashable {
    public var username: String
    public var password: String
    /// User attributes as Cognito returns them from GetUser (all strings). `sub` is derived
    /// from the username when absent, so it is stable across restarts.
    public var attributes: [String: String]
    public var groups: [String]
    /// String claims a pre token generation trigger adds to the user's access and ID tokens
    /// (`claimsToAddOrOverride`), e.g. a tenant id; in name order, after Cognito's own.
    public var claims: [String: String]

    public init(username: String, password: String, attributes: [String: String] = [:], groups: [String] = [], claims: [String: String] = [:]) {
        self.username = username
        self.password = password
        self.attributes = attributes
        self.groups = groups
        self.claims = claims
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        username = try container.decode(String.self, forKey: .username)
        password = try container.decode(String.self, forKey: .password)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        groups = try container.decodeIfPresent([String].self, forKey: .groups) ?? []
        claims = try container.decodeIfPresent([String: String].self, forKey: .claims) ?? [:]
    }

    /// Username `demo`, password `Passw0rd!`, email demo@example.com (verified), group `users`.
    public static let demo = EmulatorUser(
        username: "demo",
        password: "Passw0rd!",
        attributes: ["email": "demo@example.com", "email_verified": "true", "name": "Demo User"],
        groups: ["users"]
    )

    /// Reads a users file: a JSON array of users.
    public static func load(fromFile path: String) throws -> [EmulatorUser] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let users = try JSONDecoder().decode([EmulatorUser].self, from: data)
        // Byte-exact, as the store looks users up.
        var seen = Set<[UInt8]>()
        for user in users where !seen.insert(Exact.key(user.username)).inserted {
            throw EmulatorConfigurationError("duplicate username in users file: \(user.username)")
        }
        return users
    }
}

public struct EmulatorConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
