import AsyncHTTPClient
import Foundation
import LocalHarness
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import CognitoEmulator

@Suite("Peer access: control API and query-string logins for loopback peers only")
struct PeerAccessTests {
    static func address(_ ip: String) throws -> SocketAddress { try SocketAddress(ipAddress: ip, port: 40000) }
    static let json = [("Content-Type", "application/json")]

    @Test("a loopback Host is localhost, 127/8 in four plain octets or [::1], with an optional port; nothing else")
    func loopbackAuthority() {
        for host in ["localhost", "localhost:9229", "127.0.0.1", "127.0.0.1:3000", "127.1.2.3:1", "127.255.255.255", "[::1]", "[::1]:9229"] {
            #expect(LoopbackAuthority.isLoopback(host), "\(host)")
        }
        for host in [
            "evil.example", "evil.example:9229", "localhost.", "LOCALHOST", "localhost.evil.example", "127.0.0.1.evil.example", "127.1",
            "127.0.0.01", "127.0.0.256", "0x7f.0.0.1", "128.0.0.1", "[::2]", "[::ffff:127.0.0.1]", "::1", "localhost:", "localhost:abc",
            "localhost:123456", "", " localhost", "localhost ", "user@localhost",
        ] {
            #expect(!LoopbackAuthority.isLoopback(host), "\(host)")
        }
        #expect(!LoopbackAuthority.isLoopback(nil))
        #expect(PeerAccessPolicy(unsafeExpose: false).refusal(host: "evil.example:9229") != nil)
        #expect(PeerAccessPolicy(unsafeExpose: true).refusal(host: "evil.example:9229") == nil)
    }

    /// Issue 24 item 15: a web page the developer visits is a loopback peer too. DNS rebinding
    /// (its own name, re-pointed at 127.0.0.1, in Host) and cross-site form POSTs or navigations
    /// must not drive the control API or the query-string login.
    @Test("a loopback peer from a web page: a foreign Host, a non-JSON control POST and a cross-site login are refused")
    func webPagesCannotDriveTheEmulator() async throws {
        try await EmulatorFixture.withTestAppClient { (h: EmulatorFixture) async throws -> Void in
            let rebound = [("Host", "attacker.example:\(h.server.port)")]
            for (method, path) in [(HTTPMethod.GET, "/_emulator/health"), (.GET, "/_emulator/faults"), (.DELETE, "/_emulator/faults"), (.GET, "/_emulator/clock")] {
                #expect(try await h.send(method, path, headers: rebound).status == 403, "\(method) \(path)")
            }
            let fault = #"{"operation":"GetUser","kind":"throttle"}"#
            #expect(try await h.send(.POST, "/_emulator/faults", headers: rebound + Self.json, body: fault).status == 403)
            // What a cross-site <form> or a no-cors fetch can send without a preflight.
            for contentType in [nil, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"] {
                let headers = contentType.map { [("Content-Type", $0)] } ?? []
                #expect(try await h.send(.POST, "/_emulator/faults", headers: headers, body: fault).status == 415, "\(contentType ?? "none")")
                #expect(try await h.send(.POST, "/_emulator/clock", headers: headers, body: #"{"advanceSeconds":3600}"#).status == 415)
            }
            #expect(try await h.send(.GET, "/_emulator/faults").json?["faults"]?.arrayValue?.isEmpty == true, "no refused call added a fault")
            #expect(try await h.send(.POST, "/_emulator/faults", headers: [("Content-Type", "Application/JSON; charset=utf-8")], body: fault).status == 201)
            #expect(try await h.send(.DELETE, "/_emulator/faults").status == 204)
            #expect(try await h.send(.GET, "/_emulator/health", headers: [("Host", "localhost:\(h.server.port)")]).status == 200)

            let login = "/oauth2/authorize?" + EmulatorFixture.form([
                ("response_type", "code"), ("client_id", h.options.clientId), ("redirect_uri", EmulatorFixture.redirect),
                ("username", "demo"), ("password", "Passw0rd!"),
            ])
            #expect(try await h.send(.GET, login, headers: rebound).status == 403)
            #expect(try await h.send(.GET, login, headers: [("Origin", "https://attacker.example")]).status == 403)
            for site in ["cross-site", "same-site", "same-origin"] {
                #expect(try await h.send(.GET, login, headers: [("Sec-Fetch-Site", site)]).status == 403, "\(site)")
            }
            // Typed into the address bar (Sec-Fetch-Site: none), or a script: the login goes through.
            #expect(try await h.send(.GET, login, headers: [("Sec-Fetch-Site", "none")]).status == 302)
            #expect(try await h.send(.GET, login).status == 302)
            // The login form (credentials in a POST body) is a hosted UI page, open to browsers.
            let form = EmulatorFixture.form([
                ("response_type", "code"), ("client_id", h.options.clientId), ("redirect_uri", EmulatorFixture.redirect),
                ("username", "demo"), ("password", "Passw0rd!"),
            ])
            #expect(try await h.send(.POST, "/oauth2/authorize", headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Sec-Fetch-Site", "same-origin")], body: form).status == 302)
        }
    }

    @Test("loopback is 127.0.0.0/8, ::1 and IPv4-mapped 127/8, judged on the address bytes")
    func loopbackDecision() throws {
        for ip in ["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1", "::ffff:127.1.2.3"] {
            #expect(PeerAccessPolicy.isLoopback(try Self.address(ip)), "\(ip)")
        }
        // ::ffff:10.0.0.1 is IPv4-mapped but not 127/8; ::2, ::127.0.0.1 (IPv4-compatible,
        // deprecated) and fe80::1 are not loopback.
        for ip in ["10.0.0.1", "192.168.1.2", "0.0.0.0", "128.0.0.1", "126.255.255.255", "::", "::2", "::127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "2001:db8::1"] {
            #expect(!PeerAccessPolicy.isLoopback(try Self.address(ip)), "\(ip)")
        }
        #expect(!PeerAccessPolicy.isLoopback(nil))
        #expect(!PeerAccessPolicy.isLoopback(try SocketAddress(unixDomainSocketPath: "/tmp/emu-peer-test.sock")))
    }

    @Test("non-loopback peers are refused unless --unsafe-expose")
    func policy() throws {
        let strict = PeerAccessPolicy(unsafeExpose: false), open = PeerAccessPolicy(unsafeExpose: true)
        for ip in ["10.0.0.1", "192.168.1.2"] {
            #expect(!strict.allowsPrivileged(peer: try Self.address(ip)), "\(ip)")
            #expect(open.allowsPrivileged(peer: try Self.address(ip)), "\(ip)")
        }
        for ip in ["127.0.0.2", "::1", "::ffff:127.0.0.1"] {
            #expect(strict.allowsPrivileged(peer: try Self.address(ip)), "\(ip)")
        }
        #expect(!strict.allowsPrivileged(peer: nil))
    }

    @Test("a loopback-bound server answers control calls and query-string logins, and warns about nothing")
    func loopbackServer() async throws {
        let warnings = WarningRecorder()
        try await EmulatorFixture.withTestAppClient(configure: { $0.warningHandler = warnings.record }) { (h: EmulatorFixture) async throws -> Void in
            #expect(try await h.send(.GET, "/_emulator/health").status == 200)
            #expect(try await h.send(.POST, "/_emulator/faults", headers: Self.json, body: #"{"operation":"GetUser","kind":"throttle"}"#).status == 201)
            #expect(try await h.send(.GET, "/_emulator/faults").status == 200)
            #expect(try await h.send(.DELETE, "/_emulator/faults").status == 204)
            #expect(try await h.send(.POST, "/_emulator/clock", headers: Self.json, body: #"{"advanceSeconds":1}"#).status == 200)
            #expect(try await h.authorize().reply.status == 302)
        }
        #expect(warnings.lines.isEmpty)
    }

    @Test("binding 0.0.0.0 warns once: reachable from other machines, no TLS, control API loopback-only")
    func wildcardBindWarns() async throws {
        let warnings = WarningRecorder()
        var options = EmulatorOptions()
        options.host = "0.0.0.0"
        options.signingKeysPEM = EmulatorFixture.sharedPEM
        options.logger.logLevel = .warning
        options.warningHandler = warnings.record
        let health = try await EmulatorFixture.with(options) { fixture in
            let lines = warnings.lines
            #expect(lines.count == 1)
            let line = try #require(lines.first)
            #expect(line.contains("WARNING"))
            #expect(line.contains("reachable from other machines"))
            #expect(line.contains("no TLS"))
            #expect(line.contains("disabled for non-loopback peers"))
            #expect(!line.contains("\n"))
            // Reached over 127.0.0.1 (a loopback peer), the control API still answers.
            return try await Self.status(of: "http://127.0.0.1:\(fixture.server.port)/_emulator/health")
        }
        #expect(health == 200)

        let exposedWarnings = WarningRecorder()
        options.warningHandler = exposedWarnings.record
        options.unsafeExpose = true
        try await EmulatorFixture.with(options) { _ in
            #expect(exposedWarnings.lines.count == 1)
            #expect(exposedWarnings.lines.first?.contains("--unsafe-expose is set") == true)
        }
    }

    @Test("the CLI prints the warning on stderr for --host 0.0.0.0", .enabled(if: CLIProcess.binary != nil, "cognito-emulator is not built next to the tests"))
    func cliWarning() async throws {
        let process = try CLIProcess(arguments: ["--host", "0.0.0.0", "--port", "0"])
        defer { process.stop() }
        let stderrLine = try #require(await process.firstStderrLine(containing: "WARNING"))
        #expect(stderrLine.contains("reachable from other machines"))
        #expect(stderrLine.contains("no TLS"))
        let listening = try #require(await process.firstStdoutLine(containing: "listening on"))
        let port = try #require(listening.split(separator: ":").last.flatMap { Int($0) })
        #expect(try await Self.status(of: "http://127.0.0.1:\(port)/_emulator/health") == 200)
    }

    /// Status of a GET; the URL is always a 127.0.0.1 one (no traffic leaves this machine).
    static func status(of url: String) async throws -> Int {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(20))
            _ = try await response.body.collect(upTo: 1 << 16)
            try await client.shutdown()
            return Int(response.status.code)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// Collects the emulator's start-up warnings.
final class WarningRecorder: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    @Sendable func record(_ line: String) { storage.withLock { $0.append(line) } }
}
