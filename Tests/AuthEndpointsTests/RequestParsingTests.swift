import AuthCore
import LambdaKit
import NIOHTTP1
import Testing

@testable import AuthEndpoints

@Suite struct SignInRequestTests {
    static let verifier = String(repeating: "v", count: 43)

    func request(_ body: String, contentType: String? = "application/json") -> HTTPRequest {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        return HTTPRequest(method: "POST", rawPath: "/auth/sign-in", headers: headers, body: Array(body.utf8))
    }

    @Test func parsesJSON() throws {
        let parsed = try SignInRequest.parse(request(#"{"code":"abc-123","code_verifier":"\#(Self.verifier)","redirect_uri":"https://app.example/cb"}"#))
        #expect(parsed == SignInRequest(code: "abc-123", codeVerifier: Self.verifier, redirectURI: "https://app.example/cb"))
    }

    @Test func parsesFormWithCharsetParameter() throws {
        let parsed = try SignInRequest.parse(
            request("code=abc&code_verifier=\(Self.verifier)", contentType: "application/x-www-form-urlencoded; charset=UTF-8"))
        #expect(parsed == SignInRequest(code: "abc", codeVerifier: Self.verifier, redirectURI: nil))
    }

    @Test func sniffsABodyWithoutContentType() throws {
        #expect(try SignInRequest.parse(request(#" {"code":"j","code_verifier":"\#(Self.verifier)"}"#, contentType: nil)).code == "j")
        #expect(try SignInRequest.parse(request("code=f&code_verifier=\(Self.verifier)", contentType: nil)).code == "f")
    }

    /// Issue 9.5: PKCE on every exchange unless COGNITO_REQUIRE_PKCE=false.
    @Test func refusesAMissingVerifierUnlessPKCEIsOptional() throws {
        for (body, contentType) in [(#"{"code":"abc"}"#, "application/json"), (#"{"code":"abc","code_verifier":null}"#, "application/json"), ("code=abc", "application/x-www-form-urlencoded")] {
            do {
                _ = try SignInRequest.parse(request(body, contentType: contentType))
                Issue.record("accepted \(body) without a verifier")
            } catch {
                let problem = ErrorTable.requestBody(error)
                #expect(problem.status == 400)
                #expect(problem.code == "missing_code_verifier")
            }
            let parsed = try SignInRequest.parse(request(body, contentType: contentType), requirePKCE: false)
            #expect(parsed == SignInRequest(code: "abc", codeVerifier: nil, redirectURI: nil))
        }
    }

    /// Issue 9.3: one policy for JSON and form bodies: a repeated member is refused, never resolved
    /// (JSON used to keep the last one).
    @Test(arguments: [
        #"{"code":"a","code":"b","code_verifier":"\#(verifier)"}"#,
        #"{"code":"a","code_verifier":"\#(verifier)","code_verifier":"\#(verifier)"}"#,
        #"{"code":"a","code_verifier":"\#(verifier)","redirect_uri":"https://a.example/cb","redirect_uri":"https://evil.example/cb"}"#,
        #"{"code":"a","code_verifier":"\#(verifier)","x":{"y":1,"y":2}}"#,
        #"{"code":"a","code_verifier":"\#(verifier)","\u0063ode":"b"}"#,
    ])
    func refusesRepeatedJSONMembers(_ body: String) {
        do {
            _ = try SignInRequest.parse(request(body))
            Issue.record("accepted a body with a repeated member")
        } catch {
            let problem = ErrorTable.requestBody(error)
            #expect(problem.status == 400)
            #expect(problem.code == "invalid_request")
        }
    }

    @Test(arguments: [
        (#"{"code": "#, "invalid_request"),
        (#"["code"]"#, "invalid_request"),
        (#"{"code": 42}"#, "invalid_request"),
        (#"{"code": "abc", "redirect_uri": ["https://app.example/cb"]}"#, "invalid_request"),
        (#"{"code": "abc"} trailing"#, "invalid_request"),
        ("{}", "missing_code"),
        (#"{"code": null}"#, "missing_code"),
        (#"{"code": ""}"#, "missing_code"),
        ("", "missing_code"),
        (#"{"code": "a b"}"#, "invalid_code"),
        (#"{"code": "\#(String(repeating: "a", count: 2049))"}"#, "invalid_code"),
        (#"{"code": "abc", "code_verifier": "short"}"#, "invalid_code_verifier"),
        (#"{"code": "abc", "code_verifier": "\#(String(repeating: "é", count: 43))"}"#, "invalid_code_verifier"),
    ])
    func refusesBadJSONBodies(_ body: String, _ code: String) {
        #expect(throws: RequestBodyFailure.self) { try SignInRequest.parse(request(body)) }
        do {
            _ = try SignInRequest.parse(request(body))
        } catch {
            let problem = ErrorTable.requestBody(error)
            #expect(problem.status == 400)
            #expect(problem.code == code)
        }
    }

    @Test func refusesRepeatedFormFieldsOtherMediaTypesAndHugeBodies() {
        for (body, contentType, code) in [
            ("code=a&code=b", "application/x-www-form-urlencoded", "invalid_request"),
            ("code=a", "text/plain", "unsupported_media_type"),
            ("code=" + String(repeating: "a", count: 20_000), "application/x-www-form-urlencoded", "invalid_request"),
        ] {
            do {
                _ = try SignInRequest.parse(request(body, contentType: contentType))
                Issue.record("accepted \(contentType) body")
            } catch {
                #expect(ErrorTable.requestBody(error).code == code)
            }
        }
    }
}

/// Issue 9.1: the redirect allow-list compares exact bytes.
@Suite struct RedirectAllowListTests {
    static func endpoint(_ allowed: [String]) -> SignInEndpoint {
        let config = CognitoConfig(region: "us-east-1", userPoolId: "us-east-1_AbC123", clientId: "c", domain: "https://auth.example.com")
        return SignInEndpoint(client: CognitoClient(config: config), redirectURIs: allowed)
    }

    @Test func exactURIsAreAllowedAndCanonicalEquivalentsAreNot() throws {
        let endpoint = Self.endpoint(["https://app.example.com/Kallback", "https://app.example.com/a;b"])
        #expect(try endpoint.resolveRedirectURI(nil) == "https://app.example.com/Kallback")
        #expect(try endpoint.resolveRedirectURI("https://app.example.com/a;b") == "https://app.example.com/a;b")
        for requested in ["https://app.example.com/\u{212A}allback", "https://app.example.com/a\u{37E}b", "https://app.example.com/kallback", "https://app.example.com/Kallback/"] {
            do {
                _ = try endpoint.resolveRedirectURI(requested)
                Issue.record("allowed \(requested.unicodeScalars.map { String($0.value, radix: 16) })")
            } catch {
                #expect(ErrorTable.requestBody(error).code == "redirect_uri_not_allowed")
            }
        }
    }
}

@Suite struct BearerTokenExtractionTests {
    func request(_ authorization: [String]) -> HTTPRequest {
        var headers = HTTPHeaders()
        for value in authorization { headers.add(name: "Authorization", value: value) }
        return HTTPRequest(headers: headers)
    }

    @Test func acceptsAnyCaseOfTheScheme() throws {
        #expect(try BearerGuard.bearerToken(in: request(["Bearer a.b.c"])) == "a.b.c")
        #expect(try BearerGuard.bearerToken(in: request(["bearer a.b.c"])) == "a.b.c")
        #expect(try BearerGuard.bearerToken(in: request(["BEARER   a.b.c"])) == "a.b.c")
    }

    @Test func missingCredentialsGetABareChallenge() {
        do {
            _ = try BearerGuard.bearerToken(in: request([]))
            Issue.record("accepted no header")
        } catch {
            #expect(ErrorTable.credential(error) == ErrorTable.missingCredentials)
        }
        do {
            _ = try BearerGuard.bearerToken(in: request(["Basic ZGVtbzp4"]))
            Issue.record("accepted Basic")
        } catch {
            let problem = ErrorTable.credential(error)
            #expect(problem.status == 403)
            #expect(problem.code == "invalid_authentication_scheme")
            #expect(problem.headers.map(\.value) == ["Bearer"])
        }
    }

    @Test(arguments: [["Bearer"], ["Bearer a b"], ["Bearer a.b.c", "Bearer d.e.f"], ["Bearer " + String(repeating: "x", count: 8193)]])
    func malformedHeadersAreInvalidTokens(_ values: [String]) {
        do {
            _ = try BearerGuard.bearerToken(in: request(values))
            Issue.record("accepted \(values.count) header(s)")
        } catch {
            let problem = ErrorTable.credential(error)
            #expect(problem.status == 403)
            #expect(problem.code == "invalid_token")
            #expect(problem.headers.map(\.value) == [#"Bearer error="invalid_token""#])
        }
    }
}
