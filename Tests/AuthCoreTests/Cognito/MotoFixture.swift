import AuthCore
import FoundationEssentials
import JSONValue
import NIOCore
import Testing

/// A moto server (`scripts/moto-server`) as a second, independent Cognito for interop tests.
/// Tests using it are enabled only when `MOTO_ENDPOINT` is set, e.g.
/// `MOTO_ENDPOINT=$(scripts/moto-server --pid-file /tmp/moto.pid) swift test ...`.
enum MotoFixture {
    static let region = "us-east-1"  // moto's region for unsigned requests
    static let skipReason: Comment = "MOTO_ENDPOINT is not set: run `export MOTO_ENDPOINT=$(scripts/moto-server)` to include the moto interop tests"

    /// The moto base URL from `MOTO_ENDPOINT`, without a trailing slash; nil when unset or empty.
    static var endpoint: String? {
        guard var value = ProcessInfo.processInfo.environment["MOTO_ENDPOINT"] else { return nil }
        value = String(value.filter { !$0.isWhitespace })
        while value.hasSuffix("/") { value.removeLast() }
        guard !value.isEmpty else { return nil }
        return value
    }

    static var isAvailable: Bool { endpoint != nil }

    /// A fresh user pool + public app client + confirmed user on moto, signed in with
    /// `USER_PASSWORD_AUTH`: real moto-minted tokens for this pool.
    struct SignedInUser: Sendable {
        var endpoint: String
        var poolId: String
        var clientId: String
        var username: String
        var email: String
        var accessToken: String
        var idToken: String
        var refreshToken: String

        /// The product configuration pointing at moto (JSON API, JWKS; moto has no OAuth2 endpoints).
        var config: CognitoConfig {
            CognitoConfig(region: MotoFixture.region, userPoolId: poolId, clientId: clientId, idpEndpoint: endpoint)
        }

        var jwksURL: String { "\(endpoint)/\(poolId)/.well-known/jwks.json" }
    }

    struct MotoError: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates a pool, a client and a user, and signs the user in. Every call makes its own pool,
    /// so tests never share state.
    static func signedInUser(username: String = "alice", password: String = "Corr3ct-Horse!Battery") async throws -> SignedInUser {
        guard let endpoint else { throw MotoError(description: "MOTO_ENDPOINT is not set") }
        let pool = try await call("CreateUserPool", ["PoolName": .string("authcore-\(UInt32.random(in: 0...UInt32.max))")])
        guard let poolId = pool["UserPool"]?["Id"]?.stringValue else { throw MotoError(description: "CreateUserPool: no Id") }
        let client = try await call("CreateUserPoolClient", [
            "UserPoolId": .string(poolId), "ClientName": .string("authcore-tests"),
            "ExplicitAuthFlows": .array([.string("ALLOW_USER_PASSWORD_AUTH"), .string("ALLOW_REFRESH_TOKEN_AUTH")]),
        ])
        guard let clientId = client["UserPoolClient"]?["ClientId"]?.stringValue else {
            throw MotoError(description: "CreateUserPoolClient: no ClientId")
        }
        let email = "\(username)@example.com"
        _ = try await call("AdminCreateUser", [
            "UserPoolId": .string(poolId), "Username": .string(username), "MessageAction": .string("SUPPRESS"),
            "UserAttributes": .array([
                .object(["Name": .string("email"), "Value": .string(email)]),
                .object(["Name": .string("email_verified"), "Value": .string("true")]),
            ]),
        ])
        _ = try await call("AdminSetUserPassword", [
            "UserPoolId": .string(poolId), "Username": .string(username), "Password": .string(password), "Permanent": .bool(true),
        ])
        let auth = try await call("InitiateAuth", [
            "ClientId": .string(clientId), "AuthFlow": .string("USER_PASSWORD_AUTH"),
            "AuthParameters": .object(["USERNAME": .string(username), "PASSWORD": .string(password)]),
        ])
        guard let result = auth["AuthenticationResult"], let access = result["AccessToken"]?.stringValue,
            let id = result["IdToken"]?.stringValue, let refresh = result["RefreshToken"]?.stringValue
        else { throw MotoError(description: "InitiateAuth: no AuthenticationResult") }
        return SignedInUser(
            endpoint: endpoint, poolId: poolId, clientId: clientId, username: username, email: email,
            accessToken: access, idToken: id, refreshToken: refresh
        )
    }

    /// One unsigned JSON API call (moto accepts unsigned admin calls).
    @discardableResult
    static func call(_ operation: String, _ body: [String: JSONValue]) async throws -> JSONValue {
        guard let endpoint else { throw MotoError(description: "MOTO_ENDPOINT is not set") }
        var request = UpstreamRequest(method: .POST, url: endpoint + "/")
        request.headers.add(name: "Content-Type", value: "application/x-amz-json-1.1")
        request.headers.add(name: "X-Amz-Target", value: "AWSCognitoIdentityProviderService.\(operation)")
        request.body = JSONWriter.serialize(.object(body))
        let response = try await UpstreamHTTP.shared.send(request, deadline: .now() + .seconds(60), maxBodyBytes: 1 << 20)
        guard response.status == 200 else {
            throw MotoError(description: "\(operation): HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return try JSONValue.parse(response.body)
    }

    /// GET a URL on moto (e.g. the JWKS) and return the body.
    static func get(_ url: String) async throws -> (status: Int, body: [UInt8]) {
        let response = try await UpstreamHTTP.shared.send(UpstreamRequest(url: url), deadline: .now() + .seconds(60), maxBodyBytes: 1 << 20)
        return (response.status, response.body)
    }

    /// The decoded header and payload of a compact JWT (no verification: for inspecting claims).
    static func unverifiedParts(_ jwt: String) throws -> (header: JSONValue, payload: JSONValue) {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw MotoError(description: "not a compact JWT") }
        func decode(_ part: Substring) throws -> JSONValue {
            var base64 = String(part.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64) else { throw MotoError(description: "bad base64url") }
            return try JSONValue.parse(Array(data))
        }
        return (try decode(parts[0]), try decode(parts[1]))
    }
}
