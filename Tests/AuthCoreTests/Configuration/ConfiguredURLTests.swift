import Testing

@testable import AuthCore

/// Issue 9.2: every configured URL is parsed, and "loopback" means exactly 127.0.0.0/8, [::1] or
/// localhost. Each row would have passed the old prefix checks (`host.hasPrefix("127.")`, a
/// split on the first `://`) or is a spelling two parsers read differently.
@Suite("Configured URLs: parsed, no userinfo, plain http to loopback only")
struct ConfiguredURLTests {
    static let acceptedEndpoints = [
        "https://cognito-idp.us-east-1.amazonaws.com",
        "https://app.auth.us-east-1.amazoncognito.com/",
        "https://cognito-idp.us-east-1.amazonaws.com:443/prefix",
        "http://127.0.0.1:9229",
        "http://127.255.255.254:1/",
        "http://localhost:3000",
        "http://[::1]:5000/",
    ]

    static let refusedEndpoints: [(url: String, because: String)] = [
        ("http://127.0.0.1.evil.example", "look-alike host starting with a loopback address"),
        ("http://127.evil.example/", "look-alike host starting with 127."),
        ("http://localhost.evil.example/", "look-alike host starting with localhost"),
        ("http://evil.example#@127.0.0.1/", "fragment trick"),
        ("http://user@127.0.0.1/", "userinfo"),
        ("http://@127.0.0.1/", "empty userinfo"),
        ("https://cognito-idp.us-east-1.amazonaws.com@evil.example/", "userinfo hiding the real host"),
        ("https://user:secret@cognito-idp.us-east-1.amazonaws.com/", "password"),
        ("http://evil.example\\@127.0.0.1/", "backslash: RFC 3986 and WHATWG disagree"),
        ("http://evil.example:80@127.0.0.1/", "userinfo that looks like a port"),
        ("http://%6cocalhost/", "percent-encoded host"),
        ("http://[::1%25lo]/", "IPv6 zone id"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped IPv6"),
        ("http://[0:0:0:0:0:0:0:1]/", "another spelling of ::1"),
        ("http://127.1/", "shorthand IPv4"),
        ("http://0x7f.0.0.1/", "hex IPv4"),
        ("http://2130706433/", "integer IPv4"),
        ("http://0177.0.0.1/", "octal-looking octet"),
        ("http://127.0.0.01/", "leading zero"),
        ("http://127.0.0.256/", "octet out of range"),
        ("http://127.0.0.1./", "trailing dot"),
        ("http://localhost./", "trailing dot on localhost"),
        ("http://LOCALHOST.evil.example/", "upper-case look-alike"),
        ("http://10.0.0.1/", "private address is not loopback"),
        ("http://0.0.0.0/", "the any-address is not loopback"),
        ("http://127.0.0.1:99999/", "port out of range"),
        ("http://127.0.0.1:0/", "port zero"),
        ("http://127.0.0.1:/", "empty port"),
        ("http://127.0.0.1:09229/", "port with a leading zero"),
        ("http://127.0.0.1 /", "space"),
        ("http://127.0.0.1/caf\u{e9}", "non-ASCII"),
        ("https://cognito-idp.us-east-1.amazonaws.com/?x=1", "query"),
        ("https://cognito-idp.us-east-1.amazonaws.com/#x", "fragment"),
        ("ftp://example.com", "scheme"),
        ("HTTPS://cognito-idp.us-east-1.amazonaws.com", "upper-case scheme"),
        ("http:/127.0.0.1", "no authority"),
        ("//127.0.0.1", "no scheme"),
        ("http://", "no host"),
    ]

    @Test("accepted endpoints", arguments: acceptedEndpoints)
    func acceptedEndpoint(_ url: String) {
        #expect(ConfiguredURL.problem(url, kind: .endpoint) == nil)
    }

    @Test("refused endpoints", arguments: refusedEndpoints)
    func refusedEndpoint(_ row: (url: String, because: String)) {
        #expect(ConfiguredURL.problem(row.url, kind: .endpoint) != nil, "\(row.url) (\(row.because)) was accepted")
    }

    @Test("redirect URIs: app schemes allowed, the same host rules, no fragment")
    func redirectURIs() {
        for url in ["https://app.example.com/callback?x=1", "myapp://callback", "com.example.app://oauth", "http://localhost:3000/cb", "http://127.0.0.1:8080/"] {
            #expect(ConfiguredURL.problem(url, kind: .redirect) == nil, "\(url)")
        }
        for row in Self.refusedEndpoints where !row.url.contains("?") && !row.url.hasPrefix("ftp") && !row.url.hasPrefix("HTTPS") {
            #expect(ConfiguredURL.problem(row.url, kind: .redirect) != nil, "\(row.url) (\(row.because)) was accepted")
        }
        #expect(ConfiguredURL.problem("https://app.example.com/cb#x", kind: .redirect) != nil)
        #expect(ConfiguredURL.problem("myapp://user@callback", kind: .redirect) != nil)
        #expect(ConfiguredURL.problem("HTTP://evil.example/cb", kind: .redirect) != nil)
    }

    @Test("every configuration variable that holds a URL goes through the parser")
    func environment() throws {
        let base = [
            "AWS_REGION": "us-east-1", "COGNITO_USER_POOL_ID": "us-east-1_AbC123", "COGNITO_CLIENT_ID": "client1",
        ]
        for name in ["COGNITO_DOMAIN", "COGNITO_IDP_ENDPOINT", "COGNITO_ISSUER", "COGNITO_REDIRECT_URI"] {
            for bad in ["http://127.0.0.1.evil.example", "https://user@cognito-idp.us-east-1.amazonaws.com/x", "http://127.1"] {
                var env = base
                env[name] = bad
                #expect(throws: ConfigurationError.self, "\(name)=\(bad)") { try CognitoConfig.fromEnvironment(env) }
            }
        }
    }
}
