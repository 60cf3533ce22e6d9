import AsyncHTTPClient
import Crypto
import Foundation
import LocalAPI
import LocalHarness
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// Starts the local API on free ports against the in-process emulator, gives the test an HTTP
/// client on loopback, and shuts everything down even when the test fails.
struct LocalAPIFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The directory of the built products: the running test binary sits in it.
    static let binDirectory: String = {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
            while url.pathExtension == "xctest" { url = url.deletingLastPathComponent() }
            return url.path
        }
        return packageRoot.appendingPathComponent(".build/debug").path
    }()

    let api: LocalAPI
    let http: HTTPClient
    let logLines: LogLines

    var base: String { api.baseURL }

    final class LogLines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A temporary bin directory: the real handler executables plus the test-only Python functions.
    static func fixtureBinDirectory() async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("local-api-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["me", "sign-in", "logout", "refresh"] {
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(name).path, withDestinationPath: binDirectory + "/" + name)
        }
        // The functions get Lambda's small environment (no HOME): a version-manager shim such as
        // pyenv's would fail there, so the interpreter's real path goes into the shebang.
        let interpreter = try await pythonInterpreter.value
        // Named as FunctionExecutable names the fixture template's functions: TestFunction is
        // `test`, TestAuthorizerFunction `test-authorizer`.
        for (name, script) in [("test", "test-function.py"), ("test-authorizer", "test-authorizer.py")] {
            let target = directory.appendingPathComponent(name).path
            var text = try String(contentsOf: fixtures.appendingPathComponent(script), encoding: .utf8)
            text = text.replacingOccurrences(of: "#!/usr/bin/env python3", with: "#!" + interpreter)
            try text.write(toFile: target, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target)
        }
        return directory.path
    }

    /// Asked once per test process, not once per fixture stack.
    static let pythonInterpreter = Task<String, any Error> {
        let result = try await ProcessRunner(executable: "/usr/bin/env", arguments: ["python3", "-c", "import sys; print(sys.executable)"])
            .run(stdin: [], environment: ProcessInfo.processInfo.environment)
        let output = result.stdout
        let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard result.exitCode == 0, !path.isEmpty else { throw LocalAPIError("python3 is needed for the fixture functions") }
        return path
    }

    /// The project's own template, or the fixture stack (`fixture: true`).
    static func with(
        fixture: Bool = false, template: String? = nil, concurrency: Int = 4, parameterOverrides: [String: String] = [:],
        _ body: (LocalAPIFixture) async throws -> Void
    ) async throws {
        let bin = fixture ? try await fixtureBinDirectory() : binDirectory
        var options = LocalAPIOptions(
            templatePath: template ?? (fixture ? fixtures.appendingPathComponent("fixture-template.yaml").path : packageRoot.appendingPathComponent("template.yaml").path),
            binDirectory: bin)
        options.port = 0
        options.cognitoPort = 0
        options.concurrency = concurrency
        options.parameterOverrides = parameterOverrides
        options.functionOutput = FileHandle.nullDevice
        let lines = LogLines()
        options.log = { lines.append($0) }
        let api = try await LocalAPI.start(options)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let fixture = LocalAPIFixture(api: api, http: http, logLines: lines)
        do {
            try await body(fixture)
        } catch {
            try? await http.shutdown()
            await api.shutdown()
            if bin != binDirectory { try? FileManager.default.removeItem(atPath: bin) }
            throw error
        }
        try? await http.shutdown()
        await api.shutdown()
        if bin != binDirectory { try? FileManager.default.removeItem(atPath: bin) }
    }

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        }
    }

    func send(
        _ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, base: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: (base ?? self.base) + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    /// An access token for the demo user (InitiateAuth USER_PASSWORD_AUTH at the emulator).
    func accessToken() async throws -> String {
        let emulator = try #require(api.emulator)
        let body = try JSONSerialization.data(withJSONObject: [
            "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": emulator.options.clientId,
            "AuthParameters": ["USERNAME": "demo", "PASSWORD": "Passw0rd!"],
        ])
        let answer = try await send(
            .POST, "/", headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")],
            body: Array(body), base: emulator.baseURL)
        let result = try #require(try answer.json()["AuthenticationResult"] as? [String: Any])
        return try #require(result["AccessToken"] as? String)
    }

    /// `POST /auth/sign-in` from the page origin `http://localhost:P` with a fresh code from the
    /// hosted-UI login: the answer and its access token.
    func signIn() async throws -> (answer: Answer, accessToken: String) {
        let origin = "http://localhost:\(api.port)"
        let verifier = PKCEVerifier.make()
        let code = try await authorizationCode(verifier: verifier, redirectURI: origin + "/callback")
        let answer = try await send(
            .POST, "/auth/sign-in", headers: [("Content-Type", "application/json"), ("X-Requested-With", "fetch"), ("Origin", origin)],
            body: Array(#"{"code":"\#(code)","code_verifier":"\#(verifier)"}"#.utf8))
        #expect(answer.status == 200, "\(answer.text)")
        return (answer, try #require(try answer.json()["access_token"] as? String))
    }

    /// The hosted-UI login by URL (username/password query on loopback) with PKCE S256: the code.
    func authorizationCode(verifier: String, redirectURI: String) async throws -> String {
        let emulator = try #require(api.emulator)
        let challenge = Data(SHA256.hash(data: Array(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        var components = URLComponents(string: emulator.baseURL + "/oauth2/authorize")!
        components.queryItems = [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: emulator.options.clientId),
            .init(name: "redirect_uri", value: redirectURI), .init(name: "scope", value: "openid email aws.cognito.signin.user.admin"),
            .init(name: "state", value: "t"), .init(name: "code_challenge", value: challenge),
            .init(name: "code_challenge_method", value: "S256"),
            .init(name: "username", value: "demo"), .init(name: "password", value: "Passw0rd!"),
        ]
        let answer = try await send(.GET, "", base: components.url!.absoluteString)
        #expect(answer.status == 302)
        let location = try #require(answer.headers.first(name: "Location"))
        #expect(location.hasPrefix(redirectURI + "?"))
        return try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
    }
}

/// A PKCE verifier: 43 unreserved characters, fresh each time.
enum PKCEVerifier {
    static func make() -> String {
        String((0..<43).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".randomElement()! })
    }
}
