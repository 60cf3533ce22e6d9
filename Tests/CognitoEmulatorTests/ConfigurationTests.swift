import CognitoEmulator
import Foundation
import LocalHarness
import Testing

@Suite("Options, users file, key file, environment")
struct ConfigurationTests {
    @Test("environment points the product at the emulator, secret only when set")
    func environment() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let env = h.server.environment
            #expect(env["COGNITO_USER_POOL_ID"] == h.options.userPoolId)
            #expect(env["COGNITO_CLIENT_ID"] == h.options.clientId)
            #expect(env["COGNITO_CLIENT_SECRET"] == EmulatorFixture.secret)
            #expect(env["COGNITO_DOMAIN"] == h.baseURL)
            #expect(env["COGNITO_IDP_ENDPOINT"] == h.baseURL)
            #expect(env["COGNITO_REGION"] == "us-east-1")
            #expect(env["COGNITO_REDIRECT_URI"] == "\(EmulatorFixture.redirect),http://localhost:3000/other")
            #expect(h.baseURL.hasPrefix("http://127.0.0.1:"))
            #expect(h.server.port > 0)
            #expect(h.server.exportLines.contains("export COGNITO_DOMAIN='\(h.baseURL)'\n"))
        }
        try await EmulatorFixture.withTestAppClient(secret: nil) { h in
            #expect(h.server.environment["COGNITO_CLIENT_SECRET"] == nil)
        }
    }

    @Test("users file: users, attributes and groups; sub stable across restarts")
    func usersFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("users.json")
        try Data(#"[{"username":"alice","password":"Al1ce-pw!","attributes":{"email":"alice@example.com","custom:team":"blue"},"groups":["admins","users"]},{"username":"bob","password":"b0b-pw!!"}]"#.utf8).write(to: file)
        let users = try EmulatorUser.load(fromFile: file.path)
        #expect(users.map(\.username) == ["alice", "bob"])
        var subs: [String] = []
        for _ in 0..<2 {
            try await EmulatorFixture.withTestAppClient(configure: { $0.users = users }) { h in
                #expect(try await h.initiateAuth().json?["__type"]?.stringValue == "NotAuthorizedException")  // demo absent
                let reply = try await h.initiateAuth(username: "alice", password: "Al1ce-pw!")
                let access = try #require(reply.json?["AuthenticationResult"]?["AccessToken"]?.stringValue)
                let claims = try EmulatorFixture.decode(access).claims
                #expect(claims["cognito:groups"]?.arrayValue == [.string("admins"), .string("users")])
                subs.append(try #require(claims["sub"]?.stringValue))
                let user = try await h.getUser(access)
                let attributes = try #require(user.json?["UserAttributes"]?.arrayValue)
                #expect(attributes.contains(where: { $0["Name"]?.stringValue == "custom:team" && $0["Value"]?.stringValue == "blue" }))
                let bob = try await h.initiateAuth(username: "bob", password: "b0b-pw!!")
                let bobClaims = try EmulatorFixture.decode(try #require(bob.json?["AuthenticationResult"]?["AccessToken"]?.stringValue)).claims
                #expect(bobClaims["cognito:groups"] == nil)
            }
        }
        #expect(subs[0] == subs[1])
        try Data("not json".utf8).write(to: file)
        #expect(throws: (any Error).self) { _ = try EmulatorUser.load(fromFile: file.path) }
    }

    @Test("key file: created with owner-only permissions, then reused")
    func keyFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emu-keys-\(UUID().uuidString).pem").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try EmulatorSigningKeys.loadOrCreatePEM(path: path)
        let second = try EmulatorSigningKeys.loadOrCreatePEM(path: path)
        #expect(first == second)
        #expect(first.components(separatedBy: "-----BEGIN").count - 1 == 2)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test("bad options are refused at start, not at the first request")
    func badOptions() async throws {
        var options = EmulatorOptions()
        options.signingKeysPEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
        await #expect(throws: EmulatorConfigurationError.self) { _ = try await CognitoEmulatorServer.start(options) }
        options = EmulatorOptions()
        options.redirectURIs = []
        await #expect(throws: EmulatorConfigurationError.self) { _ = try await CognitoEmulatorServer.start(options) }
    }

    @Test("the emulator's clock endpoint expires tokens without waiting")
    func clockEndpoint() async throws {
        try await EmulatorFixture.withTestAppClient { h in
            let access = try #require(try await h.initiateAuth().json?["AuthenticationResult"]?["AccessToken"]?.stringValue)
            let moved = try await h.send(.POST, "/_emulator/clock", headers: [("Content-Type", "application/json")], body: #"{"advanceSeconds":7200}"#)
            #expect(moved.status == 200)
            #expect(try await h.getUser(access).json?["message"]?.stringValue == "Access Token has expired")
            #expect(try await h.send(.GET, "/_emulator/health").status == 200)
        }
    }
}
