import AuthCore
import Crypto
import Foundation
import LambdaKit
import Logging
import NIOCore
import Testing
import _CryptoExtras

@testable import AuthEndpoints

/// Tokens signed by the fixed test keys, a verifier that trusts the first of them, and a tiny
/// IAM evaluator (Allow needed, explicit Deny wins, `*` and `?` wildcards) to check the policies
/// the way API Gateway applies a cached one.
enum AuthorizerTestSupport {
    static let keys: [_RSA.Signing.PrivateKey] = TestSigningKeys.pem
        .components(separatedBy: "-----END PRIVATE KEY-----")
        .filter { $0.contains("BEGIN") }
        .map { try! _RSA.Signing.PrivateKey(pemRepresentation: $0.trimmingCharacters(in: .whitespacesAndNewlines) + "\n-----END PRIVATE KEY-----") }
    static let poolId = "us-east-1_AuthzTest"
    static let clientId = "authzclient000000000000001"
    static let issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AuthzTest"
    static let kid = "authz-kid"

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static var jwks: String {
        let primitives = try! keys[0].publicKey.getKeyPrimitives()
        return #"{"keys":[{"kty":"RSA","kid":"\#(kid)","alg":"RS256","use":"sig","n":"\#(base64url(Array(primitives.modulus)))","e":"\#(base64url(Array(primitives.publicExponent)))"}]}"#
    }

    static var environment: [String: String] {
        ["COGNITO_USER_POOL_ID": poolId, "COGNITO_CLIENT_ID": clientId, "COGNITO_REGION": "us-east-1",
         "COGNITO_IDP_ENDPOINT": "http://127.0.0.1:9", "COGNITO_JWKS": jwks,
         "COGNITO_ACCEPTED_CLIENT_IDS": mobileClientId, "COGNITO_MACHINE_CLIENT_IDS": serviceClientId]
    }

    /// A second app client whose users' tokens the test environment accepts.
    static let mobileClientId = "authzclient000000000000002"
    /// A client-credentials client whose machine tokens the test environment accepts.
    static let serviceClientId = "authzservice00000000000003"

    static func token(
        groups: [String] = ["users"], scope: String = "aws.cognito.signin.user.admin", tokenUse: String = "access",
        exp: Double = Date().timeIntervalSince1970 + 3600, key: Int = 0, client: String = clientId, extraClaims: String = ""
    ) -> String {
        let groupsJSON: String = "[" + groups.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let audience: String = tokenUse == "access" ? "\"client_id\":\"\(client)\"" : "\"aud\":\"\(client)\""
        let expiry = Int(exp)
        var payload = "{\"sub\":\"sub-1234\",\"cognito:groups\":" + groupsJSON + ",\"iss\":\"" + issuer + "\","
        payload += audience + ",\"token_use\":\"" + tokenUse + "\",\"scope\":\"" + scope + "\","
        payload += "\"exp\":\(expiry),\"iat\":\(expiry - 3600),\"username\":\"alice\",\"jti\":\"j-1\"" + extraClaims + "}"
        return signed(payload, key: key)
    }

    /// A client-credentials token as Cognito issues one: `sub` = `client_id`, no `username`, no groups.
    static func machineToken(client: String = serviceClientId, scope: String = "https://api.example.com/reports.read", extraClaims: String = "") -> String {
        let expiry = Int(Date().timeIntervalSince1970 + 3600)
        var payload = "{\"sub\":\"\(client)\",\"token_use\":\"access\",\"scope\":\"\(scope)\",\"auth_time\":\(expiry - 3600),"
        payload += "\"iss\":\"\(issuer)\",\"exp\":\(expiry),\"iat\":\(expiry - 3600),\"version\":2,\"jti\":\"j-m\",\"client_id\":\"\(client)\"" + extraClaims + "}"
        return signed(payload, key: 0)
    }

    static func signed(_ payload: String, key: Int) -> String {
        let input = base64url(Array(#"{"kid":"\#(kid)","alg":"RS256"}"#.utf8)) + "." + base64url(Array(payload.utf8))
        let signature = try! keys[key].signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + base64url(Array(signature.rawRepresentation))
    }

    static func endpoint(_ extra: [String: String] = [:]) throws -> AuthorizerEndpoint {
        try EndpointFactory.authorizerEndpoint(environment: environment.merging(extra) { $1 }, logger: Logger(label: "authz-tests"))
    }

    /// Whether the handler answers `event` with the function error `Unauthorized` (API Gateway's 401).
    static func isUnauthorized(_ endpoint: AuthorizerEndpoint, _ event: [UInt8]) async -> Bool {
        do {
            _ = try await endpoint.handle(event, context: context())
            return false
        } catch let error as FunctionError {
            return error == .unauthorized
        } catch {
            return false
        }
    }

    static func context() -> LambdaContext {
        LambdaContext(requestId: "test", deadline: NIODeadline.now() + .seconds(60), logger: Logger(label: "authz-tests"))
    }

    static let base = "arn:aws:execute-api:us-east-1:123456789012:api1/prod/"

    static func tokenEvent(_ token: String?, method: String, path: String) -> [UInt8] {
        let value = token.map { "Bearer \($0)" } ?? ""
        return Array(#"{"type":"TOKEN","authorizationToken":"\#(value)","methodArn":"\#(base)\#(method)\#(path)"}"#.utf8)
    }

    static func v2Event(_ token: String?, method: String, path: String) -> [UInt8] {
        let header = token.map { #","authorization":"Bearer \#($0)""# } ?? ""
        return Array(#"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:api1/$default/\#(method)\#(path)","rawPath":"\#(path)","headers":{"host":"x"\#(header)},"requestContext":{"http":{"method":"\#(method)","path":"\#(path)"},"stage":"$default"}}"#.utf8)
    }

    /// IAM's evaluation of an authorizer policy for one method ARN.
    static func iamAllows(_ answer: [UInt8], arn: String) throws -> Bool {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any])
        let document = try #require(object["policyDocument"] as? [String: Any])
        let statements = try #require(document["Statement"] as? [[String: Any]])
        var allowed = false
        for statement in statements {
            let resources = try #require(statement["Resource"] as? [String])
            guard resources.contains(where: { wildcardMatch($0, arn) }) else { continue }
            if statement["Effect"] as? String == "Deny" { return false }
            allowed = true
        }
        return allowed
    }

    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var memo = [[Bool?]](repeating: [Bool?](repeating: nil, count: t.count + 1), count: p.count + 1)
        func match(_ i: Int, _ j: Int) -> Bool {
            if let known = memo[i][j] { return known }
            let result: Bool
            if i == p.count {
                result = j == t.count
            } else if p[i] == UInt8(ascii: "*") {
                result = match(i + 1, j) || (j < t.count && match(i, j + 1))
            } else {
                result = j < t.count && (p[i] == UInt8(ascii: "?") || p[i] == t[j]) && match(i + 1, j + 1)
            }
            memo[i][j] = result
            return result
        }
        return match(0, 0)
    }
}

/// The user-token shorthands the rule tests were written with: a user token of client `c`.
extension AuthorizerRules {
    func decide(method: ArraySlice<UInt8>, path: ArraySlice<UInt8>, groups: [String], scopes: [String]) -> AuthorizerDecision {
        decide(method: method, path: path, AuthorizerSubject(clientId: "c", groups: groups, scopes: scopes))
    }

    func policy(base: String, groups: [String], scopes: [String]) -> (allow: [String], deny: [String]) {
        policy(base: base, AuthorizerSubject(clientId: "c", groups: groups, scopes: scopes))
    }
}

extension AuthorizerAnswer {
    static func policy(
        base: String, rules: AuthorizerRules, sub: String, username: String, clientId: String, scopes: [String], groups: [String]
    ) -> [UInt8] {
        policy(base: base, rules: rules, subject: AuthorizerSubject(clientId: clientId, groups: groups, scopes: scopes), sub: sub, username: username)
    }

    /// The policy for `subject`: it depends on the token's part of the decision only, so any
    /// request's decision gives the same bytes.
    static func policy(base: String, rules: AuthorizerRules, subject: AuthorizerSubject, sub: String, username: String?) -> [UInt8] {
        let decision = rules.decide(method: ArraySlice("GET".utf8), path: ArraySlice("/".utf8), subject)
        return policy(base: base, rules: rules, decision: decision, subject: subject, sub: sub, username: username)
    }

    /// The simple answer of an allowed user token of `clientId`.
    static func simpleAllowed(sub: String, username: String?, clientId: String, scopes: [String], groups: [String]) -> [UInt8] {
        let allowed = AuthorizerDecision(admitted: .init(), defaultAllows: true, allowed: true, rule: nil)
        return simple(allowed, sub: sub, username: username, subject: AuthorizerSubject(clientId: clientId, groups: groups, scopes: scopes))
    }
}

extension AuthorizerAnswer.Context {
    /// A user token's context.
    init(sub: String, username: String, clientId: String, scope: String, groups: String, tokenUse: String) {
        self.init(sub: sub, username: username, clientId: clientId, scope: scope, groups: groups, tokenUse: tokenUse, principalType: "user")
    }
}
