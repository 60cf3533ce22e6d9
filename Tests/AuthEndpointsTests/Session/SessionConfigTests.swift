import AuthCore
import Testing

@testable import AuthEndpoints

@Suite("SessionConfig: AUTH_* and COGNITO_LOGOUT_URI")
struct SessionConfigTests {
    static let origins = ["AUTH_ALLOWED_ORIGINS": "https://app.example.com"]

    static func problems(_ env: [String: String]) -> [String] {
        do {
            _ = try SessionConfig.fromEnvironment(env)
            return []
        } catch {
            return error.problems
        }
    }

    @Test("defaults: cookie delivery, 30 days, SameSite=Strict; the allowed origins are required for cookies")
    func defaults() throws {
        let config = try SessionConfig.fromEnvironment(Self.origins)
        #expect(config.delivery == .cookie)
        #expect(config.cookieMaxAge == 2_592_000)
        #expect(config.sameSite == .strict)
        #expect(config.allowedOrigins == ["https://app.example.com"])
        #expect(config.logoutURI == nil)
        #expect(Self.problems([:]).count == 1)
        #expect(Self.problems([:])[0].hasPrefix("AUTH_ALLOWED_ORIGINS is required"))
        // Body delivery (native apps) has no cookie and needs no origins.
        #expect(try SessionConfig.fromEnvironment(["AUTH_REFRESH_TOKEN_DELIVERY": "body"]).delivery == .body)
    }

    @Test("every value is read exactly; near misses are problems, not guesses")
    func exactSpellings() throws {
        let config = try SessionConfig.fromEnvironment(Self.origins.merging([
            "AUTH_REFRESH_COOKIE_MAX_AGE": "60", "AUTH_REFRESH_COOKIE_SAMESITE": "None",
            "COGNITO_LOGOUT_URI": "https://app.example.com/signed-out",
            "AUTH_ALLOWED_ORIGINS": " https://app.example.com , http://localhost:3000,https://app.example.com",
        ]) { _, new in new })
        #expect(config.cookieMaxAge == 60)
        #expect(config.sameSite == SessionConfig.SameSite.none)
        #expect(config.allowedOrigins == ["https://app.example.com", "http://localhost:3000"])
        #expect(config.logoutURI == "https://app.example.com/signed-out")
        for (name, value) in [
            ("AUTH_REFRESH_TOKEN_DELIVERY", "Cookie"), ("AUTH_REFRESH_TOKEN_DELIVERY", "header"),
            ("AUTH_REFRESH_COOKIE_MAX_AGE", "59"), ("AUTH_REFRESH_COOKIE_MAX_AGE", "315360001"), ("AUTH_REFRESH_COOKIE_MAX_AGE", "+60"),
            ("AUTH_REFRESH_COOKIE_MAX_AGE", "1e3"), ("AUTH_REFRESH_COOKIE_SAMESITE", "strict"), ("AUTH_REFRESH_COOKIE_SAMESITE", "Lax "),
            ("COGNITO_LOGOUT_URI", "http://evil.example/out"), ("COGNITO_LOGOUT_URI", "https://app.example.com/out#x"),
        ] {
            let problems = Self.problems(Self.origins.merging([name: value]) { _, new in new })
            if value == "Lax " {
                #expect(problems.isEmpty, "values are trimmed")
            } else {
                #expect(problems.count == 1 && problems[0].hasPrefix(name), "\(name)=\(value): \(problems)")
            }
        }
    }

    @Test("allowed origins are origins exactly as browsers send them", arguments: [
        "https://app.example.com/", "https://app.example.com/path", "https://APP.example.com", "https://app.example.com:443",
        "http://app.example.com", "https://user@app.example.com", "*", "null", "app.example.com", "https://app.example.com?x",
    ])
    func refusedOrigins(_ origin: String) {
        let problems = Self.problems(["AUTH_ALLOWED_ORIGINS": origin])
        #expect(problems.count == 1 && problems[0].hasPrefix("AUTH_ALLOWED_ORIGINS entry"), "\(origin): \(problems)")
    }

    @Test("accepted origins", arguments: ["https://app.example.com", "https://app.example.com:8443", "http://localhost:3000", "http://127.0.0.1:5173"])
    func acceptedOrigins(_ origin: String) throws {
        #expect(try SessionConfig.fromEnvironment(["AUTH_ALLOWED_ORIGINS": origin]).allowedOrigins == [origin])
    }
}
