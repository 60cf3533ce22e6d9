import FoundationEssentials
import Testing

@testable import AuthCore

@Suite("CognitoConfig.fromEnvironment")
struct CognitoConfigTests {
    static let minimal = [
        "COGNITO_USER_POOL_ID": "us-east-1_AbC123",
        "COGNITO_CLIENT_ID": "5abc6defghijk7lmnop8qrstu9",
        "AWS_REGION": "us-east-1",
    ]

    static func problems(_ env: [String: String]) -> [String] {
        do {
            _ = try CognitoConfig.fromEnvironment(env)
            return []
        } catch {
            return error.problems
        }
    }

    static func merged(_ extra: [String: String]) -> [String: String] {
        minimal.merging(extra) { $1 }
    }

    @Test("minimal environment: everything derived")
    func minimal() throws {
        let config = try CognitoConfig.fromEnvironment(Self.minimal)
        #expect(config.region == "us-east-1")
        #expect(config.userPoolId == "us-east-1_AbC123")
        #expect(config.clientId == "5abc6defghijk7lmnop8qrstu9")
        #expect(config.clientSecret == nil)
        #expect(config.domain == nil)
        #expect(config.redirectURIs == [])
        #expect(config.idpEndpoint == "https://cognito-idp.us-east-1.amazonaws.com")
        #expect(config.issuers == ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123", "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"])
        #expect(config.jwksURL == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json")
        #expect(config.preloadedJWKS == nil)
        #expect(config.leeway == .seconds(30))
    }

    @Test("every variable set: endpoints without trailing slash, redirect allow-list, issuer override, leeway")
    func full() throws {
        let config = try CognitoConfig.fromEnvironment(Self.merged([
            "COGNITO_REGION": "eu-west-1",
            "AWS_REGION": "us-east-1",
            "COGNITO_USER_POOL_ID": "eu-west-1_Pool9",
            "COGNITO_CLIENT_SECRET": "s3cr3t-value",
            "COGNITO_DOMAIN": "https://app.auth.eu-west-1.amazoncognito.com/",
            "COGNITO_REDIRECT_URI": "https://app.example.com/callback, myapp://signed-in ,http://localhost:3000/cb",
            "COGNITO_IDP_ENDPOINT": "http://127.0.0.1:9229/",
            "COGNITO_ISSUER": "https://issuer.example.com/pool",
            "COGNITO_TOKEN_LEEWAY_SECONDS": "5",
        ]))
        #expect(config.region == "eu-west-1")
        #expect(config.clientSecret == "s3cr3t-value")
        #expect(config.domain == "https://app.auth.eu-west-1.amazoncognito.com")
        #expect(config.redirectURIs == ["https://app.example.com/callback", "myapp://signed-in", "http://localhost:3000/cb"])
        #expect(config.idpEndpoint == "http://127.0.0.1:9229")
        #expect(config.jwksURL == "http://127.0.0.1:9229/eu-west-1_Pool9/.well-known/jwks.json")
        #expect(config.issuers == ["https://issuer.example.com/pool"])
        #expect(config.leeway == .seconds(5))
    }

    @Test("the emulator's environment: loopback endpoints, AWS-form issuer")
    func emulatorShape() throws {
        let config = try CognitoConfig.fromEnvironment(Self.merged([
            "COGNITO_DOMAIN": "http://127.0.0.1:9229",
            "COGNITO_IDP_ENDPOINT": "http://127.0.0.1:9229",
        ]))
        #expect(config.issuers == ["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123", "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"])
        #expect(config.jwksURL == "http://127.0.0.1:9229/us-east-1_AbC123/.well-known/jwks.json")
    }

    @Test("missing required variables: one message each, all at once")
    func missing() {
        let problems = Self.problems([:])
        #expect(problems == [
            "COGNITO_REGION is not set (and neither is AWS_REGION)",
            "COGNITO_USER_POOL_ID is not set",
            "COGNITO_CLIENT_ID is not set",
        ])
        // Whitespace-only counts as unset.
        #expect(Self.problems(Self.merged(["COGNITO_CLIENT_ID": "  "])) == ["COGNITO_CLIENT_ID is not set"])
    }

    @Test("malformed values name the variable")
    func malformed() {
        let problems = Self.problems([
            "COGNITO_REGION": "mars",
            "COGNITO_USER_POOL_ID": "not a pool",
            "COGNITO_CLIENT_ID": "bad/id",
            "COGNITO_DOMAIN": "app.example.com",
            "COGNITO_REDIRECT_URI": "https://ok.example.com/cb,,http://evil.example.com/cb,https://x.example.com/#frag",
            "COGNITO_IDP_ENDPOINT": "ftp://example.com",
            "COGNITO_ISSUER": "not a url",
            "COGNITO_TOKEN_LEEWAY_SECONDS": "600",
        ])
        #expect(problems.count == 10)
        for (index, name) in [
            "COGNITO_REGION", "COGNITO_USER_POOL_ID", "COGNITO_CLIENT_ID", "COGNITO_DOMAIN", "COGNITO_REDIRECT_URI",
            "COGNITO_REDIRECT_URI", "COGNITO_REDIRECT_URI", "COGNITO_IDP_ENDPOINT", "COGNITO_ISSUER", "COGNITO_TOKEN_LEEWAY_SECONDS",
        ].enumerated() {
            #expect(problems[index].hasPrefix(name), "\(problems[index])")
        }
        #expect(Self.problems(Self.merged(["COGNITO_TOKEN_LEEWAY_SECONDS": "-1"])).count == 1)
        #expect(Self.problems(Self.merged(["COGNITO_TOKEN_LEEWAY_SECONDS": "abc"])).count == 1)
        #expect(Self.problems(Self.merged(["COGNITO_TOKEN_LEEWAY_SECONDS": "60"])).isEmpty)
        #expect(Self.problems(Self.merged(["COGNITO_TOKEN_LEEWAY_SECONDS": "0"])).isEmpty)
    }

    @Test("plain http is refused for non-loopback endpoints (credentials would travel in clear)")
    func plainHTTP() {
        #expect(Self.problems(Self.merged(["COGNITO_DOMAIN": "http://auth.example.com"])) == [
            "COGNITO_DOMAIN 'http://auth.example.com' uses plain http to a host that is not loopback (127.0.0.0/8, [::1] or localhost); use https"
        ])
        #expect(Self.problems(Self.merged(["COGNITO_IDP_ENDPOINT": "http://localhost:5000"])).isEmpty)
        #expect(Self.problems(Self.merged(["COGNITO_IDP_ENDPOINT": "http://[::1]:5000"])).isEmpty)
    }

    @Test("a pool of another region than AWS_REGION is caught with the fix in the message")
    func regionMismatch() {
        let problems = Self.problems(Self.merged(["COGNITO_USER_POOL_ID": "eu-west-1_Pool9"]))
        #expect(problems == [
            "COGNITO_USER_POOL_ID 'eu-west-1_Pool9' belongs to region eu-west-1 but the region is us-east-1 (from AWS_REGION); set COGNITO_REGION=eu-west-1"
        ])
    }

    @Test("the client secret never appears in messages, description, debugDescription or dump")
    func secretRedacted() throws {
        let secret = "Zq8\u{7}-TOP-SECRET-VALUE"
        let problems = Self.problems(Self.merged(["COGNITO_CLIENT_SECRET": secret, "COGNITO_REGION": "bad"]))
        #expect(problems.count == 2)
        let error = ConfigurationError(problems: problems)
        #expect(!error.description.contains("TOP-SECRET"))

        let config = try CognitoConfig.fromEnvironment(Self.merged(["COGNITO_CLIENT_SECRET": "TOP-SECRET-VALUE"]))
        #expect(config.clientSecret == "TOP-SECRET-VALUE")
        var dumped = ""
        dump(config, to: &dumped)
        for text in [config.description, config.debugDescription, String(describing: config), String(reflecting: config), dumped, "\(config)"] {
            #expect(!text.contains("TOP-SECRET"), "\(text)")
            #expect(text.contains("redacted"))
        }
    }

    @Test("COGNITO_JWKS is preloaded and validated; COGNITO_JWKS_FILE is read; not both")
    func preloadedJWKS() throws {
        let jwks = JWTTestSupport.defaultJWKS
        let inline = try CognitoConfig.fromEnvironment(Self.merged(["COGNITO_JWKS": jwks]))
        #expect(inline.preloadedJWKS == Array(jwks.utf8))

        let path = "/tmp/authcore-config-test-\(UInt64.random(in: 0...UInt64.max)).json"
        try Data(jwks.utf8).write(to: URL(filePath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try CognitoConfig.fromEnvironment(Self.merged(["COGNITO_JWKS_FILE": path]))
        #expect(fromFile.preloadedJWKS == Array(jwks.utf8))

        #expect(Self.problems(Self.merged(["COGNITO_JWKS": jwks, "COGNITO_JWKS_FILE": path])) == [
            "COGNITO_JWKS and COGNITO_JWKS_FILE are both set; set only one"
        ])
        #expect(Self.problems(Self.merged(["COGNITO_JWKS": "not json"])).first?.hasPrefix("COGNITO_JWKS is not a usable JWKS") == true)
        #expect(Self.problems(Self.merged(["COGNITO_JWKS": #"{"keys":[{"kty":"oct","kid":"a","k":"AA"}]}"#]))
            == ["COGNITO_JWKS has no usable RSA signing key (of 1 keys)"])
        #expect(Self.problems(Self.merged(["COGNITO_JWKS_FILE": "/nonexistent/jwks.json"])).first?.hasPrefix("COGNITO_JWKS_FILE '/nonexistent/jwks.json' cannot be opened") == true)
        #expect(Self.problems(Self.merged(["COGNITO_JWKS_FILE": "/dev/zero"])) == ["COGNITO_JWKS_FILE '/dev/zero' is larger than 65536 bytes"])
    }

    @Test("the description of a ConfigurationError is one line")
    func oneLine() {
        let error = ConfigurationError(problems: Self.problems([:]))
        #expect(!error.description.contains("\n"))
        #expect(error.description.hasPrefix("invalid configuration (3 problems): COGNITO_REGION is not set"))
    }

    @Test("init derives like fromEnvironment")
    func memberwise() {
        let config = CognitoConfig(region: "us-west-2", userPoolId: "us-west-2_X", clientId: "c", idpEndpoint: "http://127.0.0.1:1/")
        #expect(config.idpEndpoint == "http://127.0.0.1:1")
        #expect(config.jwksURL == "http://127.0.0.1:1/us-west-2_X/.well-known/jwks.json")
        #expect(config.issuers == ["https://cognito-idp.us-west-2.amazonaws.com/us-west-2_X", "https://issuer-cognito-idp.us-west-2.amazonaws.com/us-west-2_X"])
    }

    @Test("issue 21: accepted and machine clients, issuer allow-list, replica Regions, audience, previous secret")
    func tokenShapes() throws {
        let config = try CognitoConfig.fromEnvironment(Self.merged([
            "COGNITO_ACCEPTED_CLIENT_IDS": " mobileclient2 ,webclient3",
            "COGNITO_MACHINE_CLIENT_IDS": "serviceclient4",
            "COGNITO_REPLICA_REGIONS": "eu-west-1",
            "COGNITO_REQUIRED_AUDIENCE": "https://api.example.com",
            "COGNITO_CLIENT_SECRET": "current-secret",
            "COGNITO_CLIENT_SECRET_PREVIOUS": "previous-secret",
        ]))
        #expect(config.acceptedClientIds == ["5abc6defghijk7lmnop8qrstu9", "mobileclient2", "webclient3"])
        #expect(config.machineClientIds == ["serviceclient4"])
        #expect(config.issuers == [
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
            "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
            "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbC123",
            "https://issuer-cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbC123",
        ])
        #expect(config.requiredAudience == "https://api.example.com")
        #expect(config.previousClientSecret == "previous-secret")
        #expect(!config.description.contains("previous-secret"))
        #expect(!String(reflecting: config).contains("previous-secret"))

        // An explicit list replaces the primary Region's defaults; replica Regions still add theirs.
        let explicit = try CognitoConfig.fromEnvironment(Self.merged([
            "COGNITO_ISSUER": "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123, http://127.0.0.1:9229/us-east-1_AbC123",
            "COGNITO_REPLICA_REGIONS": "us-west-2",
        ]))
        #expect(explicit.issuers == [
            "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123", "http://127.0.0.1:9229/us-east-1_AbC123",
            "https://cognito-idp.us-west-2.amazonaws.com/us-east-1_AbC123",
            "https://issuer-cognito-idp.us-west-2.amazonaws.com/us-east-1_AbC123",
        ])
    }

    @Test("issue 21's variables: one clear line per problem, secrets never shown")
    func tokenShapeProblems() {
        #expect(Self.problems(Self.merged(["COGNITO_ACCEPTED_CLIENT_IDS": "ok1,,bad-id,ok1,5abc6defghijk7lmnop8qrstu9"])) == [
            "COGNITO_ACCEPTED_CLIENT_IDS has an empty entry in its comma-separated list",
            "COGNITO_ACCEPTED_CLIENT_IDS entry 'bad-id' is not an app client id (letters and digits, at most 128)",
            "COGNITO_ACCEPTED_CLIENT_IDS lists 'ok1' twice",
            "COGNITO_ACCEPTED_CLIENT_IDS repeats COGNITO_CLIENT_ID '5abc6defghijk7lmnop8qrstu9', which is always accepted",
        ])
        #expect(Self.problems(Self.merged(["COGNITO_MACHINE_CLIENT_IDS": "svc!"])) == [
            "COGNITO_MACHINE_CLIENT_IDS entry 'svc!' is not an app client id (letters and digits, at most 128)"
        ])
        #expect(Self.problems(Self.merged(["COGNITO_ISSUER": "https://a.example.com/p,http://evil.example.com/p, https://a.example.com/p"])) == [
            "COGNITO_ISSUER entry 'http://evil.example.com/p' uses plain http to a host that is not loopback (127.0.0.0/8, [::1] or localhost); use https",
            "COGNITO_ISSUER lists 'https://a.example.com/p' twice",
        ])
        #expect(Self.problems(Self.merged(["COGNITO_REPLICA_REGIONS": "eu-west-1,Mars,us-east-1"])) == [
            "COGNITO_REPLICA_REGIONS entry 'Mars' is not an AWS region name (like eu-west-1)",
            "COGNITO_REPLICA_REGIONS names the pool's own region 'us-east-1'; list only the replica Regions",
        ])
        #expect(Self.problems(Self.merged(["COGNITO_REQUIRED_AUDIENCE": "has space"])) == [
            "COGNITO_REQUIRED_AUDIENCE 'has space' is not a resource server identifier (1-256 printable ASCII characters, no space, quote or backslash)"
        ])
        #expect(Self.problems(Self.merged(["COGNITO_CLIENT_SECRET_PREVIOUS": "old-secret"])) == [
            "COGNITO_CLIENT_SECRET_PREVIOUS is set but COGNITO_CLIENT_SECRET is not (the previous secret is only a fallback for the current one)"
        ])
        let same = Self.problems(Self.merged(["COGNITO_CLIENT_SECRET": "same-secret", "COGNITO_CLIENT_SECRET_PREVIOUS": "same-secret"]))
        #expect(same == ["COGNITO_CLIENT_SECRET_PREVIOUS is the same as COGNITO_CLIENT_SECRET (value not shown)"])
        let unprintable = Self.problems(Self.merged(["COGNITO_CLIENT_SECRET": "s", "COGNITO_CLIENT_SECRET_PREVIOUS": "old\u{7}secret"]))
        #expect(unprintable == ["COGNITO_CLIENT_SECRET_PREVIOUS contains characters that are not printable ASCII (value not shown)"])
        #expect(!unprintable.joined().contains("old"))
    }
}
