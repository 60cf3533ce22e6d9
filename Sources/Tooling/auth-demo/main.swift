// auth-demo: the whole product flow against the local Cognito emulator, through the real
// executables — authorize as the demo user → sign-in (refresh cookie set) → me → refresh → me with
// the new access token → logout (session and refresh token revoked, cookie cleared) → refresh
// refused → me with the revoked token refused — in stdin mode and in Lambda mode. Prints each request and response (tokens shortened); exits 1 on any
// deviation from the HTTP contract. With the revocation store (issue 22; scripts/demo sets
// AWS_ENDPOINT_URL_DYNAMODB and AUTH_REVOCATION_TABLE: moto on loopback) the authorizer allows the
// token before logout and refuses it after, with one DynamoDB read and no Cognito call.
import Foundation
import LocalHarness

guard CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--bin-dir" else {
    FileHandle.standardError.write(Data("usage: auth-demo --bin-dir DIR\n".utf8))
    exit(2)
}
let binDirectory = URL(fileURLWithPath: CommandLine.arguments[2])

/// Long values (tokens, codes) are shown by their first characters and length only.
func shorten(_ text: String) -> String {
    var result = text
    for match in text.split(whereSeparator: { "\" ,:{}".contains($0) }) where match.count > 30 {
        result = result.replacingOccurrences(of: String(match), with: "\(match.prefix(10))…(\(match.count) chars)")
    }
    return result
}

func event(method: String, path: String, headers: [String: String] = [:], cookies: [String] = [], body: String? = nil) throws -> [UInt8] {
    var event: [String: Any] = [
        "version": "2.0", "routeKey": "\(method) \(path)", "rawPath": path, "rawQueryString": "",
        "headers": headers.merging(["host": "localhost", "user-agent": "auth-demo"]) { a, _ in a },
        "requestContext": [
            "http": ["method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "auth-demo"],
            "requestId": UUID().uuidString, "routeKey": "\(method) \(path)", "stage": "$default",
        ],
        "isBase64Encoded": false,
    ]
    if let body { event["body"] = body }
    if !cookies.isEmpty { event["cookies"] = cookies }
    return Array(try JSONSerialization.data(withJSONObject: event))
}

struct Answer {
    var status: Int
    var body: [String: Any]
    var bodyText: String
    /// The `Set-Cookie` values of the response (HTTP API 2.0 `cookies`).
    var cookies: [String] = []
}

var deviations = 0

@MainActor func call(
    _ function: String, _ method: String, _ path: String, headers: [String: String] = [:], cookies: [String] = [], body: String? = nil,
    expect status: Int, mode: InvocationMode, environment: [String: String]
) async throws -> Answer {
    let shown = (headers.map { "\($0.key): \($0.value)" } + cookies.map { "cookie: \($0)" }).sorted().joined(separator: "; ")
    print("   → \(method) \(path)\(shown.isEmpty ? "" : "  [\(shorten(shown))]")\(body.map { "  " + shorten($0) } ?? "")")
    let invoker = FunctionInvoker(executable: binDirectory.appendingPathComponent(function).path)
    let result = try await invoker.invoke(
        event: try event(method: method, path: path, headers: headers, cookies: cookies, body: body), environment: environment, mode: mode)
    guard let payload = result.payload,
        let response = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
        let actual = response["statusCode"] as? Int
    else {
        print("   ✗ no response: \(result.failure ?? "unreadable payload")")
        deviations += 1
        return Answer(status: 0, body: [:], bodyText: "")
    }
    let bodyText = response["body"] as? String ?? ""
    let body = (try? JSONSerialization.jsonObject(with: Data(bodyText.utf8)) as? [String: Any]) ?? [:]
    let setCookies = response["cookies"] as? [String] ?? []
    let mark = actual == status ? "←" : "✗"
    print("   \(mark) \(actual) \(shorten(bodyText))")
    for cookie in setCookies { print("     set-cookie: \(shorten(cookie))") }
    if actual != status {
        print("     expected \(status)")
        deviations += 1
    }
    return Answer(status: actual, body: body, bodyText: bodyText, cookies: setCookies)
}

let fixture = try await EmulatorFixture.start()
var environment = fixture.environment
environment["LOG_LEVEL"] = "warning"
// Revocation store (issue 22): logout writes the mark, the authorizer reads it.
let revocationStore: (endpoint: String, table: String)? = {
    let own = ProcessInfo.processInfo.environment
    guard let endpoint = own["AWS_ENDPOINT_URL_DYNAMODB"], let table = own["AUTH_REVOCATION_TABLE"] else { return nil }
    return (endpoint, table)
}()
if let revocationStore {
    environment.merge([
        "AUTH_REVOCATION_TABLE": revocationStore.table, "AWS_ENDPOINT_URL_DYNAMODB": revocationStore.endpoint, "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]) { $1 }
    print("Revocation store: table \(revocationStore.table) on \(revocationStore.endpoint) (moto); the authorizer checks it")
}

/// The authorizer (HTTP API 2.0, simple answer) for `GET /example/whoami` with `token`.
@MainActor func authorize(_ token: String, expectAllowed: Bool, mode: InvocationMode) async throws {
    let path = "/example/whoami"
    var authorizerEvent = try JSONSerialization.jsonObject(with: Data(try event(method: "GET", path: path, headers: ["authorization": "Bearer \(token)"]))) as! [String: Any]
    authorizerEvent["type"] = "REQUEST"
    authorizerEvent["isBase64Encoded"] = nil
    authorizerEvent["identitySource"] = ["Bearer \(token)"]
    authorizerEvent["routeArn"] = "arn:aws:execute-api:us-east-1:123456789012:demoapi/$default/GET\(path)"
    print("   → authorizer: GET \(path)  [authorization: Bearer \(shorten(token))]")
    let invoker = FunctionInvoker(executable: binDirectory.appendingPathComponent("authorizer").path)
    let result = try await invoker.invoke(
        event: Array(try JSONSerialization.data(withJSONObject: authorizerEvent)), environment: environment, mode: mode)
    let answer = result.payload.map { String(decoding: $0, as: UTF8.self) } ?? (result.failure ?? "no answer")
    let allowed = answer.hasPrefix(#"{"isAuthorized":true"#)
    let refused = answer.hasPrefix(#"{"isAuthorized":false}"#)
    let ok = expectAllowed ? allowed : refused
    print("   \(ok ? "←" : "✗") \(shorten(answer))")
    if !ok {
        print("     expected isAuthorized \(expectAllowed)")
        deviations += 1
    }
}
print("Local Cognito emulator at \(fixture.baseURL) (user pool \(fixture.options.userPoolId), demo user \(fixture.username))")

for mode in InvocationMode.allCases {
    print("\n== \(mode == .stdin ? "stdin mode: one event on stdin, the response on stdout" : "Lambda mode: the Runtime API loop against a loopback Runtime API server") ==")
    print("1. the demo user signs in on the hosted UI (PKCE S256); the browser comes back with a code")
    let verifier = EmulatorFixture.makeCodeVerifier()
    let code = try await fixture.authorizationCode(codeVerifier: verifier)
    print("   → GET \(fixture.baseURL)/oauth2/authorize?response_type=code&client_id=…&code_challenge=…")
    print("   ← 302 \(fixture.redirectURI)?code=\(shorten(code))&state=harness")

    print("2. sign-in: the app exchanges the code; the refresh token comes back as an HttpOnly cookie")
    let origin = environment["AUTH_ALLOWED_ORIGINS"]?.split(separator: ",").first.map(String.init) ?? "http://localhost:3000"
    let signIn = try await call(
        "sign-in", "POST", "/auth/sign-in", headers: ["content-type": "application/json", "x-requested-with": "auth-demo", "origin": origin],
        body: #"{"code":"\#(code)","code_verifier":"\#(verifier)","redirect_uri":"\#(fixture.redirectURI)"}"#,
        expect: 200, mode: mode, environment: environment)
    guard let token = signIn.body["access_token"] as? String else {
        print("   ✗ no access_token in the sign-in response")
        deviations += 1
        continue
    }
    // What a browser would send back: the name=value part of the cookie.
    guard let sessionCookie = signIn.cookies.first(where: { $0.hasPrefix("__Host-refresh_token=") })?.split(separator: ";").first.map(String.init),
        signIn.cookies.first?.contains("HttpOnly") == true
    else {
        print("   ✗ no HttpOnly __Host-refresh_token cookie in the sign-in response")
        deviations += 1
        continue
    }
    let csrf = ["x-requested-with": "XMLHttpRequest", "origin": origin]

    print("3. me: who is signed in?")
    let me = try await call("me", "GET", "/auth/me", headers: ["authorization": "Bearer \(token)"], expect: 200, mode: mode, environment: environment)
    if me.body["username"] as? String != fixture.username {
        print("   ✗ expected username \(fixture.username)")
        deviations += 1
    }

    print("4. refresh: the cookie (sent by the browser on its own) buys a new access token")
    let refreshed = try await call(
        "refresh", "POST", "/auth/refresh", headers: csrf, cookies: [sessionCookie], expect: 200, mode: mode, environment: environment)
    guard let newToken = refreshed.body["access_token"] as? String, newToken != token else {
        print("   ✗ refresh gave no new access token")
        deviations += 1
        continue
    }

    print("5. me with the new access token")
    _ = try await call("me", "GET", "/auth/me", headers: ["authorization": "Bearer \(newToken)"], expect: 200, mode: mode, environment: environment)
    if revocationStore != nil {
        print("5b. the team's route behind the authorizer: allowed (one revocation-store read, no Cognito call)")
        try await authorize(newToken, expectAllowed: true, mode: mode)
    }

    print("6. logout: GlobalSignOut with the bearer, the refresh token revoked, the cookie cleared")
    let loggedOut = try await call(
        "logout", "POST", "/auth/logout", headers: csrf.merging(["authorization": "Bearer \(newToken)"]) { a, _ in a }, cookies: [sessionCookie],
        expect: 200, mode: mode, environment: environment)
    if !loggedOut.cookies.contains(where: { $0.hasPrefix("__Host-refresh_token=;") && $0.contains("Max-Age=0") }) {
        print("   ✗ logout did not clear the refresh cookie")
        deviations += 1
    }

    print("7. refresh with the revoked cookie: refused; the cookie is left alone (logout cleared it; a refused refresh never clears)")
    let refused = try await call(
        "refresh", "POST", "/auth/refresh", headers: csrf, cookies: [sessionCookie], expect: 401, mode: mode, environment: environment)
    if refused.body["code"] as? String != "invalid_grant" {
        print("   ✗ expected code invalid_grant")
        deviations += 1
    }
    if !refused.cookies.isEmpty {
        print("   ✗ a refused refresh must not touch the cookie (with rotation it may delete a newer one)")
        deviations += 1
    }

    print("8. me again with the signed-out token: refused")
    let after = try await call("me", "GET", "/auth/me", headers: ["authorization": "Bearer \(newToken)"], expect: 403, mode: mode, environment: environment)
    if after.body["code"] as? String != "token_revoked" {
        print("   ✗ expected code token_revoked")
        deviations += 1
    }
    if revocationStore != nil {
        print("9. the authorizer with the signed-out token: refused at once (logout wrote the user's mark before GlobalSignOut)")
        try await authorize(newToken, expectAllowed: false, mode: mode)
        // A sign-in in the same second as the sign-out is refused too (auth_time <= T: fail
        // closed), so the next pass signs in a second later.
        try await Task.sleep(for: .milliseconds(1100))
    }
}
await fixture.shutdown()
print(deviations == 0 ? "\nDemo passed: every step answered as the contract says." : "\nDemo FAILED: \(deviations) deviation(s).")
exit(deviations == 0 ? 0 : 1)
