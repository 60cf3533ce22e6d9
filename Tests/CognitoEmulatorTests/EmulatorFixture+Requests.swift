import CognitoEmulator
import Crypto
import Foundation
import JSONValue
import LocalHarness
import NIOCore
import NIOHTTP1
import _CryptoExtras

/// What the emulator's own tests add to the shared fixture: a confidential test app client, raw
/// requests to each endpoint, and JWT checks written independently of the emulator's code.
extension EmulatorFixture {
    static let secret = "s3cr3t-client-secret-value-0123456789"
    static let redirect = "http://localhost:3000/callback"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  // RFC 7636 appendix B
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    /// RSA key generation is slow in debug builds; most tests share one fixed key pair. Tests
    /// that check generation itself set `signingKeysPEM = nil`.
    static let sharedPEM: String = TestSigningKeys.pem

    /// Runs `body` with an emulator whose app client has `secret` and two redirect URIs, and the
    /// shared keys, after `configure`; shut down however `body` ends.
    static func withTestAppClient<T>(
        secret: String? = EmulatorFixture.secret,
        configure: (inout EmulatorOptions) -> Void = { _ in },
        _ body: (EmulatorFixture) async throws -> T
    ) async throws -> T {
        var options = EmulatorFixture.makeOptions(clientSecret: secret, signingKeysPEM: sharedPEM)
        options.redirectURIs = [redirect, "http://localhost:3000/other"]
        configure(&options)
        return try await with(options, body)
    }

    // MARK: JSON API

    func api(_ operation: String, _ body: JSONValue, timeout: TimeAmount = .seconds(20)) async throws -> Reply {
        let text = String(decoding: JSONWriter.serialize(body), as: UTF8.self)
        return try await send(
            .POST, "/",
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSCognitoIdentityProviderService.\(operation)")],
            body: text, timeout: timeout
        )
    }

    func secretHash(_ username: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array((username + options.clientId).utf8), using: SymmetricKey(data: Array((options.clientSecret ?? "").utf8))
        )
        return Data(mac.withUnsafeBytes { Array($0) }).base64EncodedString()
    }

    func initiateAuth(username: String = "demo", password: String = "Passw0rd!") async throws -> Reply {
        var parameters: [String: JSONValue] = ["USERNAME": .string(username), "PASSWORD": .string(password)]
        if options.clientSecret != nil { parameters["SECRET_HASH"] = .string(secretHash(username)) }
        return try await api(
            "InitiateAuth",
            .object(["AuthFlow": .string("USER_PASSWORD_AUTH"), "ClientId": .string(options.clientId), "AuthParameters": .object(parameters)])
        )
    }

    func getUser(_ accessToken: String) async throws -> Reply {
        try await api("GetUser", .object(["AccessToken": .string(accessToken)]))
    }

    // MARK: hosted UI

    /// Runs the scriptable login; returns the redirect's query parameters.
    func authorize(
        _ extra: [(String, String)] = [], username: String = "demo", password: String = "Passw0rd!",
        redirect: String = EmulatorFixture.redirect, state: String = "st-123"
    ) async throws -> (reply: Reply, query: [String: String]) {
        var pairs: [(String, String)] = [
            ("response_type", "code"), ("client_id", options.clientId), ("redirect_uri", redirect), ("state", state),
            ("username", username), ("password", password),
        ]
        pairs += extra
        let reply = try await send(.GET, "/oauth2/authorize?" + Self.form(pairs))
        return (reply, Self.query(of: reply.header("Location") ?? ""))
    }

    static func query(of location: String) -> [String: String] {
        var query: [String: String] = [:]
        guard let mark = location.firstIndex(of: "?") else { return query }
        for pair in location[location.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            query[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return query
    }

    func code(pkce: (String, String)? = (EmulatorFixture.challenge, "S256"), scope: String? = nil) async throws -> String {
        var extra: [(String, String)] = []
        if let pkce { extra += [("code_challenge", pkce.0), ("code_challenge_method", pkce.1)] }
        if let scope { extra.append(("scope", scope)) }
        let (reply, query) = try await authorize(extra)
        guard reply.status == 302, let code = query["code"] else { throw HarnessError("authorize did not redirect with a code: \(reply.status)") }
        return code
    }

    enum ClientAuth { case basic, post, none, basicWithSecret(String), postWithSecret(String) }

    func token(_ pairs: [(String, String)], auth: ClientAuth = .basic) async throws -> Reply {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        var pairs = pairs
        switch auth {
        case .basic:
            headers.append(("Authorization", "Basic " + Data("\(options.clientId):\(options.clientSecret ?? "")".utf8).base64EncodedString()))
        case .basicWithSecret(let secret):
            headers.append(("Authorization", "Basic " + Data("\(options.clientId):\(secret)".utf8).base64EncodedString()))
        case .post:
            pairs.append(("client_id", options.clientId))
            if let secret = options.clientSecret { pairs.append(("client_secret", secret)) }
        case .postWithSecret(let secret):
            pairs += [("client_id", options.clientId), ("client_secret", secret)]
        case .none:
            pairs.append(("client_id", options.clientId))
        }
        return try await send(.POST, "/oauth2/token", headers: headers, body: Self.form(pairs))
    }

    func exchange(_ code: String, verifier: String? = EmulatorFixture.verifier, redirect: String = EmulatorFixture.redirect, auth: ClientAuth = .basic) async throws -> Reply {
        var pairs = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect)]
        if let verifier { pairs.append(("code_verifier", verifier)) }
        return try await token(pairs, auth: auth)
    }

    /// Signs in through the hosted UI and returns the token response JSON.
    func hostedUISignIn(scope: String? = nil) async throws -> JSONValue {
        let reply = try await exchange(try await code(scope: scope))
        guard reply.status == 200, let json = reply.json else { throw HarnessError("token exchange failed: \(reply.status) \(reply.text)") }
        return json
    }

    static func form(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }

    // MARK: JWT checks (independent of the emulator's code)

    struct DecodedJWT {
        var header: [String: JSONValue]
        var claims: [String: JSONValue]
        var signingInput: [UInt8]
        var signature: [UInt8]
    }

    static func decode(_ token: String) throws -> DecodedJWT {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = b64url(parts[0]), let payload = b64url(parts[1]), let signature = b64url(parts[2]),
            case .object(let h) = try JSONValue.parse(header),
            case .object(let c) = try JSONValue.parse(payload)
        else { throw HarnessError("not a JWS") }
        return DecodedJWT(header: h, claims: c, signingInput: Array("\(parts[0]).\(parts[1])".utf8), signature: signature)
    }

    static func b64url(_ text: Substring) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { Array($0) }
    }

    /// Fetches the served JWKS and verifies the token's RS256 signature with the key its `kid` names.
    func verifySignature(_ token: String) async throws -> Bool {
        let jwt = try Self.decode(token)
        let jwks = try await send(.GET, "/\(options.userPoolId)/.well-known/jwks.json")
        guard let keys = jwks.json?["keys"]?.arrayValue,
            let key = keys.first(where: { $0["kid"]?.stringValue == jwt.header["kid"]?.stringValue }),
            let n = key["n"]?.stringValue.flatMap({ Self.b64url(Substring($0)) }),
            let e = key["e"]?.stringValue.flatMap({ Self.b64url(Substring($0)) })
        else { return false }
        let publicKey = try _RSA.Signing.PublicKey(n: n, e: e)
        return publicKey.isValidSignature(.init(rawRepresentation: jwt.signature), for: jwt.signingInput, padding: .insecurePKCS1v1_5)
    }
}

extension EmulatorFixture.Reply {
    var json: JSONValue? { try? JSONValue.parse(body) }
}
