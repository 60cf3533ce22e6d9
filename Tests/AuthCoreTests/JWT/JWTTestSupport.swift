import Crypto
import JSONValue
import NIOCore
import _CryptoExtras
import WireCoding

@testable import AuthCore

/// The tests' keys (fixed, see `TestKeys`) and the test-side token signer.
enum JWTTestSupport {
    static let primary: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(pemRepresentation: TestKeys.primaryPEM)
    /// A second key: rotation target, or the attacker's key presented under the real kid.
    static let other: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(pemRepresentation: TestKeys.otherPEM)
    static let small: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(unsafePEMRepresentation: TestKeys.smallPEM)

    static let region = "us-east-1"
    static let poolId = "us-east-1_TestPool"
    /// Where Cognito serves a pool's JWKS.
    static let jwksPath = "/us-east-1_TestPool/.well-known/jwks.json"
    static let clientId = "5abc6defghijk7lmnop8qrstu9"
    static let issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"
    static let kid = "primary-kid"
    static let now: Double = 1_780_000_000

    static func base64url(_ bytes: some Sequence<UInt8>) -> String { Base64URL.encode(Array(bytes)) }
    static func base64url(_ string: String) -> String { Base64URL.encode(Array(string.utf8)) }

    /// The public JWK of `key` as a JSON object text; `extra` members are added or replace.
    static func jwk(_ key: _RSA.Signing.PrivateKey, kid: String, alg: String? = "RS256", use: String? = "sig", extra: String = "") -> String {
        let primitives = try! key.publicKey.getKeyPrimitives()
        var members = [#""kty":"RSA""#, #""kid":"\#(kid)""#]
        if let alg { members.append(#""alg":"\#(alg)""#) }
        if let use { members.append(#""use":"\#(use)""#) }
        members.append(#""n":"\#(base64url(primitives.modulus))""#)
        members.append(#""e":"\#(base64url(primitives.publicExponent))""#)
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func jwks(_ keys: String...) -> String {
        #"{"keys":["# + keys.joined(separator: ",") + "]}"
    }

    static var defaultJWKS: String { jwks(jwk(primary, kid: kid)) }

    /// Cognito access-token claims (the shape Cognito sends), valid at `now`.
    static func claims(
        exp: Double = now + 3600,
        iat: Double = now - 60,
        overrides: [String: String] = [:],
        removing: Set<String> = []
    ) -> String {
        var members: [(String, String)] = [
            ("sub", #""aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee""#),
            ("cognito:groups", #"["admins","readers"]"#),
            ("iss", #""\#(issuer)""#),
            ("version", "2"),
            ("client_id", #""\#(clientId)""#),
            ("origin_jti", #""11111111-2222-4333-8444-555555555555""#),
            ("event_id", #""66666666-7777-4888-9999-000000000000""#),
            ("token_use", #""access""#),
            ("scope", #""aws.cognito.signin.user.admin openid""#),
            ("auth_time", "\(Int64(iat))"),
            ("exp", exp == exp.rounded() ? "\(Int64(exp))" : "\(exp)"),
            ("iat", "\(Int64(iat))"),
            ("jti", #""99999999-8888-4777-a666-555555555555""#),
            ("username", #""alice""#),
        ]
        members.removeAll { removing.contains($0.0) }
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1 = value
            } else {
                members.append((name, value))
            }
        }
        return "{" + members.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
    }

    static func header(alg: String = "RS256", kid: String? = JWTTestSupport.kid, extra: String = "") -> String {
        var members = [#""alg":"\#(alg)""#]
        if let kid { members.insert(#""kid":"\#(kid)""#, at: 0) }
        if !extra.isEmpty { members.append(extra) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// RS256 signature of `signingInput` with `key`.
    static func rs256(_ signingInput: String, key: _RSA.Signing.PrivateKey = primary) -> [UInt8] {
        let signature = try! key.signature(for: SHA256.hash(data: Array(signingInput.utf8)), padding: .insecurePKCS1v1_5)
        return Array(signature.rawRepresentation)
    }

    /// A compact token: `header` and `payload` JSON texts, signed RS256 by `key`.
    static func token(header: String = header(), payload: String = claims(), key: _RSA.Signing.PrivateKey = primary) -> String {
        let signingInput = base64url(header) + "." + base64url(payload)
        return signingInput + "." + base64url(rs256(signingInput, key: key))
    }

    /// A verifier whose cache has `jwks` preloaded and refetches through `upstream` (by default an
    /// unreachable one, so a refetch fails at once as keysUnavailable).
    static func verifier(
        jwks: String = defaultJWKS,
        upstream: FakeUpstream = FakeUpstream(failing: .unreachable("connection refused")),
        leeway: Duration = .seconds(30),
        now: Double = JWTTestSupport.now
    ) -> AccessTokenVerifier {
        let cache = JWKSCache(url: upstream.baseURL + jwksPath, transport: upstream, preloaded: Array(jwks.utf8))
        return AccessTokenVerifier(config: config(leeway: leeway), keys: cache, now: { now })
    }

    static func config(leeway: Duration = .seconds(30)) -> CognitoConfig {
        CognitoConfig(region: region, userPoolId: poolId, clientId: clientId, leeway: leeway)
    }

    static func deadline(_ seconds: Int64 = 60) -> NIODeadline { .now() + .seconds(seconds) }  // a minute: no stall of a loaded machine reaches it

    /// The error `verify` throws, or nil when the token verified.
    static func failure(of token: String, with verifier: AccessTokenVerifier) async -> TokenVerificationError? {
        do {
            _ = try await verifier.verify(token, deadline: deadline())
            return nil
        } catch {
            return error
        }
    }
}
