import AsyncHTTPClient
import Foundation
import LocalHarness
import NIOCore
import Synchronization
import Testing

@testable import CognitoEmulator

@Suite("Peer access: control API and query-string logins for loopback peers only")
struct PeerAccessTests {
    static func address(_ ip: String) throws -> SocketAddress { try SocketAddress(ipAddress: ip, port: 40000) }

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
            #expect(try await h.send(.POST, "/_emulator/faults", body: #"{"operation":"GetUser","kind":"throttle"}"#).status == 201)
            #expect(try await h.send(.GET, "/_emulator/faults").status == 200)
            #expect(try await h.send(.DELETE, "/_emulator/faults").status == 204)
            #expect(try await h.send(.POST, "/_emulator/clock", body: #"{"advanceSeconds":1}"#).status == 200)
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
