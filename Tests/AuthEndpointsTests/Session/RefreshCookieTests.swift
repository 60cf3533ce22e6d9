import AuthCore
import LambdaKit
import NIOHTTP1
import Testing

@testable import AuthEndpoints

@Suite("The refresh cookie and the CSRF checks")
struct RefreshCookieTests {
    static let token = "eyJjdHkiOiJKV1QifQ.part2-_.part3.part4.part5"

    func request(cookies: [String] = [], headers: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(method: "POST", rawPath: "/auth/refresh", headers: HTTPHeaders(headers), cookies: cookies)
    }

    @Test("Set-Cookie: __Host- prefix, Path=/, Secure, HttpOnly, SameSite and Max-Age as configured; clearing matches it")
    func cookieAttributes() {
        let cookie = RefreshCookie(config: SessionConfig(cookieMaxAge: 600, sameSite: .lax))
        #expect(cookie.setting(Self.token) == "__Host-refresh_token=\(Self.token); Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax")
        #expect(cookie.clearing == "__Host-refresh_token=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax")
    }

    @Test("reading: the one cookie of that exact name; two are refused; other cookies are ignored")
    func reading() throws {
        #expect(RefreshCookie.read(request(cookies: ["a=b", "__Host-refresh_token=\(Self.token)"])) == .present(Self.token))
        #expect(RefreshCookie.read(request(cookies: [" __Host-refresh_token=\(Self.token)"])) == .present(Self.token))
        #expect(RefreshCookie.read(request(cookies: ["refresh_token=\(Self.token)", "__host-refresh_token=\(Self.token)"])) == .absent)
        #expect(RefreshCookie.read(request(cookies: ["__Host-refresh_token="])) == .absent)
        #expect(RefreshCookie.read(request()) == .absent)
        // A look-alike name (KELVIN SIGN is canonically "K"; none here, but a fullwidth one is not equal either).
        #expect(RefreshCookie.read(request(cookies: ["__Ηost-refresh_token=\(Self.token)"])) == .absent)
        for cookies in [["__Host-refresh_token=a", "__Host-refresh_token=b"], ["__Host-refresh_token=a", "__Host-refresh_token=a"]] {
            guard case .unusable(let failure) = RefreshCookie.read(request(cookies: cookies)) else {
                Issue.record("two cookies read as one")
                continue
            }
            let problem = ErrorTable.session(failure)
            #expect(problem.status == 400 && problem.code == "invalid_request")
        }
        for bad in ["a b", "\"quoted\"", "a%20b", "a+b/c=", "a;b", String(repeating: "a", count: 8193)] {
            guard case .unusable(let failure) = RefreshCookie.read(request(cookies: ["__Host-refresh_token=\(bad)"])) else {
                Issue.record("accepted \(bad.prefix(20))")
                continue
            }
            let problem = ErrorTable.session(failure)
            #expect(problem.status == 400 && problem.code == "invalid_refresh_token")
        }
    }

    @Test("Cognito's refresh token is written into Set-Cookie only when a browser would send it back and keep it")
    func storingCognitosToken() throws {
        #expect(RefreshCookie.canStore(Self.token))
        // 4096 bytes of name=value is the most RFC 6265 asks browsers to keep.
        let longest = String(repeating: "a", count: RefreshCookie.maximumCookieBytes - "__Host-refresh_token=".utf8.count)
        #expect(RefreshCookie.canStore(longest))
        #expect(!RefreshCookie.canStore(longest + "a"))
        for bad in ["", "tok; Domain=attacker.example", "tok\r\nSet-Cookie: x=y", "tok,x", "tok x", "tok\"", "tok=", "töken"] {
            #expect(!RefreshCookie.canStore(bad), "\(bad.debugDescription)")
        }
        let delivery = SessionDelivery(config: SessionConfig(allowedOrigins: ["http://localhost:3000"]))
        for config in [delivery, SessionDelivery(config: SessionConfig(delivery: .body))] {
            do {
                _ = try config.tokenResponse(accessToken: "a.b.c", expiresIn: 3600, refreshToken: "tok; Domain=attacker.example")
                Issue.record("wrote a refresh token that breaks Set-Cookie")
            } catch {
                let problem = ErrorTable.session(error)
                #expect(problem.status == 502 && problem.code == "upstream_malformed")
            }
        }
        let stored = try delivery.tokenResponse(accessToken: "a.b.c", expiresIn: 3600, refreshToken: Self.token)
        #expect(stored.headers["Set-Cookie"].count == 1)
        // Too long for a browser to keep as a cookie, but a body-delivery client can send it back.
        #expect(throws: SessionFailure.self) { try delivery.tokenResponse(accessToken: "a.b.c", expiresIn: 3600, refreshToken: longest + "a") }
        let native = try SessionDelivery(config: SessionConfig(delivery: .body)).tokenResponse(accessToken: "a.b.c", expiresIn: 3600, refreshToken: longest + "a")
        #expect(native.status == 200)
    }

    @Test("CSRF: X-Requested-With is required, Origin when present must be allowed byte for byte")
    func csrf() throws {
        let guardian = CSRFGuard(allowedOrigins: ["https://app.example.com", "http://localhost:3000"])
        try guardian.checkCookieRequest(request(headers: [("X-Requested-With", "XMLHttpRequest")]))
        try guardian.checkCookieRequest(request(headers: [("X-Requested-With", "fetch"), ("Origin", "https://app.example.com")]))
        let refusals: [([(String, String)], String)] = [
            ([], "csrf_check_failed"),
            ([("X-Requested-With", "")], "csrf_check_failed"),
            ([("X-Requested-With", "  ")], "csrf_check_failed"),
            ([("X-Requested-With", "a"), ("X-Requested-With", "b")], "csrf_check_failed"),
            ([("X-Requested-With", "x"), ("Origin", "https://evil.example")], "origin_not_allowed"),
            ([("X-Requested-With", "x"), ("Origin", "null")], "origin_not_allowed"),
            ([("X-Requested-With", "x"), ("Origin", "https://app.example.com/")], "origin_not_allowed"),
            ([("X-Requested-With", "x"), ("Origin", "https://APP.example.com")], "origin_not_allowed"),
            ([("X-Requested-With", "x"), ("Origin", "https://app.example.com.evil.example")], "origin_not_allowed"),
            ([("X-Requested-With", "x"), ("Origin", "https://app.example.com"), ("Origin", "https://evil.example")], "origin_not_allowed"),
        ]
        for (headers, code) in refusals {
            do {
                try guardian.checkCookieRequest(request(headers: headers))
                Issue.record("accepted \(headers)")
            } catch {
                let problem = ErrorTable.session(error)
                #expect(problem.status == 403)
                #expect(problem.code == code, "\(headers)")
            }
        }
    }

    @Test("the logout URL is Cognito's /logout with the client id and the sign-out URI form-encoded")
    func logoutURL() {
        #expect(LogoutEndpoint.logoutURL(domain: "https://auth.example.com", clientId: "abc123", logoutURI: "https://app.example.com/out?x=1")
            == "https://auth.example.com/logout?client_id=abc123&logout_uri=https%3A%2F%2Fapp.example.com%2Fout%3Fx%3D1")
    }
}
