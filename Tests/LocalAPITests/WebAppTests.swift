import Foundation
import LocalAPI
import NIOHTTP1
import Testing

/// The dev web app and /openapi.json served by the local API, and the logout_url its sign-out follows.
@Suite("Local API: the demo web app", .serialized)
struct WebAppTests {
    @Test func pageScriptConfigAndContract() async throws {
        try await LocalAPIFixture.with { fixture in
            for path in ["/", "/callback"] {
                let page = try await fixture.send(.GET, path + "?code=x&state=y")
                #expect(page.status == 200, "\(path)")
                #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
                #expect(page.text.contains(#"<script type="module" src="/app.js">"#))
                let csp = try #require(page.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"))
                #expect(page.headers.first(name: "Referrer-Policy") == "no-referrer")
                #expect(fixture.logLines.all.last?.contains("(web app)") == true)
            }
            let script = try await fixture.send(.GET, "/app.js")
            #expect(script.status == 200)
            #expect(script.headers.first(name: "Content-Type") == "text/javascript; charset=utf-8")
            #expect(!script.text.contains("localStorage.setItem"))

            let config = try await fixture.send(.GET, "/config.json")
            let emulator = try #require(fixture.api.emulator)
            #expect(try config.json()["authorizeUrl"] as? String == emulator.baseURL + "/oauth2/authorize")
            #expect(try config.json()["clientId"] as? String == emulator.options.clientId)

            let contract = try await fixture.send(.GET, "/openapi.json")
            #expect(contract.status == 200)
            #expect(try contract.json()["openapi"] as? String == "3.1.0")
            let head = try await fixture.send(.HEAD, "/openapi.json")
            #expect(head.status == 200 && head.body.isEmpty)

            // Only GET/HEAD of the app's paths: anything else is still API Gateway's 404.
            #expect(try await fixture.send(.POST, "/").status == 404)
            #expect(try await fixture.send(.GET, "/app.js.map").status == 404)
            #expect(try await fixture.send(.GET, "/../Package.swift").status == 404)
        }
    }

    @Test func logoutReturnsTheLogoutURLOfThePage() async throws {
        try await LocalAPIFixture.with { fixture in
            let origin = "http://localhost:\(fixture.api.port)"
            let token = try await fixture.signIn().accessToken
            let logout = try await fixture.send(.POST, "/auth/logout", headers: [("Authorization", "Bearer \(token)")])
            #expect(logout.status == 200, "\(logout.text)")
            let url = try #require(try logout.json()["logout_url"] as? String)
            let emulator = try #require(fixture.api.emulator)
            #expect(url.hasPrefix(emulator.baseURL + "/logout?"))
            // The emulator accepts it: back to the page.
            let back = try await fixture.send(.GET, "", base: url)
            #expect(back.status == 302)
            #expect(back.headers.first(name: "Location") == origin + "/")
        }
    }

    /// Issue 24 item 15: a web page can re-point its own name at 127.0.0.1 (DNS rebinding) and
    /// then call the local API same-origin; its requests carry that name in Host. Only loopback
    /// names are served (API Gateway's 403 for a name it does not serve), before any function runs.
    @Test func onlyLoopbackHostNamesAreServed() async throws {
        try await LocalAPIFixture.with { fixture in
            let port = fixture.api.port
            for host in ["attacker.example:\(port)", "attacker.example", "localhost.:\(port)", "127.0.0.1.attacker.example:\(port)"] {
                for (method, path) in [(HTTPMethod.GET, "/"), (.GET, "/config.json"), (.GET, "/auth/me"), (.POST, "/auth/refresh")] {
                    let answer = try await fixture.send(method, path, headers: [("Host", host)])
                    #expect(answer.status == 403, "\(host) \(method) \(path)")
                    #expect(answer.text == #"{"message":"Forbidden"}"#)
                }
            }
            #expect(!fixture.logLines.all.contains { $0.contains("/auth/") }, "no function ran for a foreign Host")
            for host in ["localhost:\(port)", "127.0.0.1:\(port)"] {
                #expect(try await fixture.send(.GET, "/config.json", headers: [("Host", host)]).status == 200, "\(host)")
            }
        }
    }
}
