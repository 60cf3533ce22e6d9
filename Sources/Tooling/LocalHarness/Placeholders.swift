import Foundation
import WireCoding

/// Fills `{{NAME}}` placeholders in events, set-ups and expected responses with values minted
/// from the emulator for this one run, so recorded events stay replayable forever.
///
/// | placeholder | value |
/// |---|---|
/// | `{{ACCESS_TOKEN}}`, `{{ID_TOKEN}}` | fresh tokens of the demo user (`InitiateAuth`) |
/// | `{{EXPIRED_TOKEN}}` | an access token signed two hours ago (expired) |
/// | `{{REVOKED_TOKEN}}` | an access token revoked with `GlobalSignOut` |
/// | `{{NO_ADMIN_SCOPE_TOKEN}}` | an access token without `aws.cognito.signin.user.admin` (hosted UI, scope `openid email`) |
/// | `{{SECOND_CLIENT_TOKEN}}` | the demo user's access token from the pool's second app client (`emulatorlocalclient0000002`) |
/// | `{{UNLISTED_CLIENT_TOKEN}}` | the same from a third app client (`emulatorlocalclient0000003`) |
/// | `{{MACHINE_TOKEN}}` | a client-credentials token of `emulatorlocalservice000004` |
/// | `{{AUDIENCE_TOKEN}}` | the demo user's access token requested with `resource=https://api.example.com` (its `aud`) |
/// | `{{AUDIENCE_ARRAY_TOKEN}}`, `{{OTHER_AUDIENCE_TOKEN}}` | a demo token re-signed with the pool's key, `aud` `["https://other.example.com","https://api.example.com"]` / `"https://other.example.com"` |
/// | `{{TENANT_TOKEN}}`, `{{OTHER_TENANT_TOKEN}}` | a demo token re-signed with the pool's key, with `custom:tenant` `acme` / `initech` (as a pre token generation trigger adds it) |
/// | `{{FOREIGN_ISSUER_TOKEN}}` | a demo token re-signed with the pool's key, `iss` of a Region nobody configured (us-west-2) |
/// | `{{REFRESH_TOKEN}}` | a fresh refresh token of the demo user (`InitiateAuth`) |
/// | `{{REVOKED_REFRESH_TOKEN}}` | a refresh token revoked at `/oauth2/revoke` |
/// | `{{TAMPERED_TOKEN}}` | a real access token with its payload changed (bad signature) |
/// | `{{CODE}}`, `{{CODE_VERIFIER}}` | an authorization code from `/oauth2/authorize` with PKCE S256, and its verifier |
/// | `{{REDIRECT_URI}}` | the redirect URI the code was issued for |
/// | `{{JWKS}}` | the emulator's JWKS (for `COGNITO_JWKS`) |
/// | `{{CLOSED_PORT_URL}}` | a loopback URL nothing listens on |
/// | `{{DEMO_SUB}}` | the demo user's `sub` (expected responses) |
/// | `{{ANY}}` | expected responses only: any value |
public final class Placeholders {
    let fixture: EmulatorFixture
    private(set) public var values: [String: String] = [:]

    public init(fixture: EmulatorFixture) {
        self.fixture = fixture
    }

    /// Every placeholder name in `text`.
    public static func names(in text: String) -> Set<String> {
        var names = Set<String>()
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            names.insert(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Every placeholder name in an event's JSON text, including inside a base64-encoded body.
    public static func names(inEvent text: String) -> Set<String> {
        var found = names(in: text)
        if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            (object["isBase64Encoded"] as? Bool) == true, let body = object["body"] as? String,
            let decoded = Base64.decode(body), let bodyText = String(validating: decoded, as: UTF8.self) {
            found.formUnion(names(in: bodyText))
        }
        return found
    }

    /// Mints the values for `names` (each only once per `Placeholders`).
    public func prepare(_ names: Set<String>) async throws {
        for name in names.sorted() where values[name] == nil && name != "ANY" {
            try await mint(name)
        }
    }

    private func mint(_ name: String) async throws {
        switch name {
        case "ACCESS_TOKEN", "ID_TOKEN":
            let tokens = try await fixture.signIn()
            values["ACCESS_TOKEN"] = tokens.accessToken
            values["ID_TOKEN"] = tokens.idToken
        case "EXPIRED_TOKEN":
            values[name] = try await fixture.expiredAccessToken()
        case "REVOKED_TOKEN":
            values[name] = try await fixture.revokedAccessToken()
        case "NO_ADMIN_SCOPE_TOKEN":
            values[name] = try await fixture.accessTokenWithoutAdminScope()
        case "SECOND_CLIENT_TOKEN":
            values[name] = try await fixture.signIn(clientId: "emulatorlocalclient0000002").accessToken
        case "UNLISTED_CLIENT_TOKEN":
            values[name] = try await fixture.signIn(clientId: "emulatorlocalclient0000003").accessToken
        case "MACHINE_TOKEN":
            values[name] = try await fixture.clientCredentialsToken()
        case "AUDIENCE_TOKEN":
            values[name] = try await fixture.hostedUIAccessToken(resource: "https://api.example.com")
        case "AUDIENCE_ARRAY_TOKEN":
            values[name] = try fixture.server.resigned(
                try await fixture.signIn().accessToken, replacing: ["aud": #"["https://other.example.com","https://api.example.com"]"#])
        case "OTHER_AUDIENCE_TOKEN":
            values[name] = try fixture.server.resigned(try await fixture.signIn().accessToken, replacing: ["aud": #""https://other.example.com""#])
        case "TENANT_TOKEN":
            values[name] = try fixture.server.resigned(try await fixture.signIn().accessToken, replacing: ["custom:tenant": #""acme""#])
        case "OTHER_TENANT_TOKEN":
            values[name] = try fixture.server.resigned(try await fixture.signIn().accessToken, replacing: ["custom:tenant": #""initech""#])
        case "FOREIGN_ISSUER_TOKEN":
            let issuer = "https://cognito-idp.us-west-2.amazonaws.com/\(fixture.options.userPoolId)"
            values[name] = try fixture.server.resigned(try await fixture.signIn().accessToken, replacing: ["iss": "\"\(issuer)\""])
        case "REFRESH_TOKEN":
            values[name] = try await fixture.signIn().refreshToken
        case "REVOKED_REFRESH_TOKEN":
            let token = try await fixture.signIn().refreshToken
            try await fixture.revoke(refreshToken: token)
            values[name] = token
        case "TAMPERED_TOKEN":
            values[name] = try Self.tamper(try await fixture.signIn().accessToken)
        case "CODE", "CODE_VERIFIER":
            let verifier = EmulatorFixture.makeCodeVerifier()
            values["CODE"] = try await fixture.authorizationCode(codeVerifier: verifier)
            values["CODE_VERIFIER"] = verifier
        case "REDIRECT_URI":
            values[name] = fixture.redirectURI
        case "JWKS":
            values[name] = fixture.server.jwksJSON
        case "CLOSED_PORT_URL":
            values[name] = "http://127.0.0.1:\(try Self.closedPort())"
        case "DEMO_SUB":
            let token = try await fixture.signIn().accessToken
            values[name] = try Self.claims(of: token)["sub"] as? String
        default:
            throw HarnessError("unknown placeholder {{\(name)}}")
        }
    }

    /// Replaces every known placeholder in `text`.
    public func fill(_ text: String) -> String {
        var text = text
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{{\(name)}}", with: value)
        }
        return text
    }

    /// Fills the placeholders inside the string values of a parsed JSON document, decoding and
    /// re-encoding a base64 `body` when the event says `isBase64Encoded`.
    public func fill(json: Any) -> Any {
        if var object = json as? [String: Any] {
            let base64 = (object["isBase64Encoded"] as? Bool) == true
            for (key, value) in object {
                if key == "body", base64, let encoded = value as? String,
                    let decoded = Base64.decode(encoded), let text = String(validating: decoded, as: UTF8.self) {
                    object[key] = Base64.encode(fill(text).utf8)
                } else {
                    object[key] = fill(json: value)
                }
            }
            return object
        }
        if let array = json as? [Any] { return array.map { fill(json: $0) } }
        if let string = json as? String { return fill(string) }
        return json
    }

    static func claims(of token: String) throws -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let payload = Base64URL.decode(String(parts[1])),
            let claims = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
        else { throw HarnessError("not a JWT") }
        return claims
    }

    /// The same token with one claim changed and the original signature kept.
    static func tamper(_ token: String) throws -> String {
        let parts = token.split(separator: ".").map(String.init)
        var claims = try claims(of: token)
        claims["username"] = "admin"
        let payload = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        return [parts[0], Base64URL.encode(Array(payload)), parts[2]].joined(separator: ".")
    }

    /// A loopback port that was free a moment ago and has nothing listening on it now.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw HarnessError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
