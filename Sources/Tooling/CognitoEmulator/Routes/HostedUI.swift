import FoundationEssentials
import Hummingbird
import WireCoding

/// `/oauth2/authorize` (a scriptable login) and `/logout`.
struct HostedUI: Sendable {
    let core: EmulatorCore

    /// GET or POST. Credentials (`username`, `password`) may come in the query or the form
    /// body; without them the answer is a minimal login form that posts back here.
    func authorize(_ request: Request, context: EmulatorContext) async throws -> Response {
        var request = request
        let bytes = request.method == .post ? try await EmulatorCore.collectBody(&request) : []
        let query = EmulatorCore.queryParameters(request)
        // Logging in by URL skips the form (scripts, tests). From another machine it would put
        // a password in proxy logs and browser history over a connection without TLS, and let
        // any peer script logins: loopback peers only, unless --unsafe-expose. The login form
        // (credentials in a POST body) stays open to everyone, as a hosted UI is.
        if query.has("username") || query.has("password") {
            guard core.peers.allowsPrivileged(peer: context.remoteAddress) else {
                return Responses.forbiddenPeer(
                    "credentials in the /oauth2/authorize query are accepted only from loopback peers; post the login form instead (or start the emulator with --unsafe-expose)"
                )
            }
            // A loopback peer may still be a web page in the developer's browser, driving the
            // login by navigation or <img> (login CSRF on the dev app) or through a rebound
            // DNS name. Scripts send neither Origin nor Sec-Fetch-Site; a browser sends
            // Sec-Fetch-Site on every request, `none` only when the user typed the URL.
            if let refusal = core.peers.refusal(host: request.head.authority) {
                return Responses.forbiddenPeer("credentials in the /oauth2/authorize query are refused: \(refusal)")
            }
            let fetchSite = request.headers[HTTPFieldName("Sec-Fetch-Site")!]
            if !core.options.unsafeExpose, request.headers[.origin] != nil || (fetchSite != nil && fetchSite != "none") {
                return Responses.forbiddenPeer(
                    "credentials in the /oauth2/authorize query are refused from a web page (Origin or Sec-Fetch-Site other than none); post the login form instead")
            }
        }
        let params = query.merged(with: FormParameters(FormURLEncoding.parseLeniently(String(decoding: bytes, as: UTF8.self))))
        return try await core.applyingFaults("Authorize", style: .oauth, context: context, requestId: UUIDString.random()) {
            // No redirect for an unknown client or an unregistered redirect_uri: the error
            // must not go to an address the client never registered. Both compared byte-exactly.
            guard let client = core.userClient(params["client_id"]) else {
                return Responses.html(page(title: "Error", body: "<p id=\"error\">invalid_client</p>"), status: 400)
            }
            guard let redirectURI = params["redirect_uri"], Exact.contains(core.options.redirectURIs, redirectURI) else {
                return Responses.html(page(title: "Error", body: "<p id=\"error\">redirect_mismatch</p>"), status: 400)
            }
            let state = params["state"]
            func fail(_ error: String, _ description: String) -> Response {
                var pairs = [("error_description", description)]
                if let state { pairs.append(("state", state)) }
                pairs.append(("error", error))
                return Responses.redirect(Self.append(pairs, to: redirectURI))
            }
            switch params["response_type"] {
            case let type? where Exact.equals(type, "code"): break
            case nil: return fail("invalid_request", "response_type is required")
            default: return fail("unsupported_response_type", "only response_type=code is supported")
            }
            let scopes: [String]
            if let requested = params["scope"], !requested.trimmingSpaces.isEmpty {
                scopes = requested.split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init)
                guard scopes.allSatisfy({ Exact.contains(client.allowedScopes, $0) }) else { return fail("invalid_scope", "invalid_scope") }
            } else {
                scopes = client.allowedScopes
            }
            // RFC 8707 resource binding: the tokens' `aud` is the resource server named here
            // (exactly one of the pool's; anything else is RFC 8707's invalid_target).
            var audience: String? = nil
            if let resource = params["resource"] {
                guard let server = core.resourceServer(resource) else { return fail("invalid_target", "unknown resource") }
                audience = server.identifier
            }
            let challenge = params["code_challenge"]
            let method = challenge == nil ? nil : (params["code_challenge_method"] ?? "plain")
            if let method, !Exact.contains(["S256", "plain"], method) {
                return fail("invalid_request", "code_challenge_method must be S256 or plain")
            }
            guard let username = params["username"], let password = params["password"] else {
                return Responses.html(loginForm(params, error: nil))
            }
            guard let user = core.store.authenticate(username: username, password: password) else {
                return Responses.html(loginForm(params, error: "Incorrect username or password."))
            }
            let code = await core.store.issueCode(
                CodeRecord(
                    username: user.username, clientId: client.clientId, redirectURI: redirectURI, scopes: scopes,
                    codeChallenge: challenge, codeChallengeMethod: method, nonce: params["nonce"], audience: audience,
                    authTime: core.clock.seconds,
                    expiresAt: core.clock.now + Double(core.options.authorizationCodeLifetime)
                )
            )
            var pairs = [("code", code)]
            if let state { pairs.append(("state", state)) }
            return Responses.redirect(Self.append(pairs, to: redirectURI))
        }
    }

    /// `GET /logout?client_id=&logout_uri=` → 302 to the registered sign-out URL; or with
    /// `redirect_uri` + `response_type` → back to the sign-in page.
    func logout(_ request: Request, context: EmulatorContext) async throws -> Response {
        let params = EmulatorCore.queryParameters(request)
        return try await core.applyingFaults("Logout", style: .oauth, context: context, requestId: UUIDString.random()) {
            guard core.userClient(params["client_id"]) != nil else {
                return Responses.html(page(title: "Error", body: "<p id=\"error\">invalid_client</p>"), status: 400)
            }
            // Sign-out and sign-in redirects are open-redirect decisions: byte-exact.
            let signOutURIs = core.options.logoutURIs.isEmpty ? core.options.redirectURIs : core.options.logoutURIs
            if let logoutURI = params["logout_uri"] {
                guard Exact.contains(signOutURIs, logoutURI) else {
                    return Responses.html(page(title: "Error", body: "<p id=\"error\">redirect_mismatch</p>"), status: 400)
                }
                return Responses.redirect(logoutURI)
            }
            if let redirectURI = params["redirect_uri"], params["response_type"] != nil {
                guard Exact.contains(core.options.redirectURIs, redirectURI) else {
                    return Responses.html(page(title: "Error", body: "<p id=\"error\">redirect_mismatch</p>"), status: 400)
                }
                return Responses.redirect("/oauth2/authorize?" + FormURLEncoding.encode(params.pairs, style: .unreserved))
            }
            return Responses.html(page(title: "Error", body: "<p id=\"error\">invalid_request</p>"), status: 400)
        }
    }

    static func append(_ pairs: [(String, String)], to uri: String) -> String {
        uri + (uri.contains("?") ? "&" : "?") + FormURLEncoding.encode(pairs.map { (name: $0.0, value: $0.1) }, style: .unreserved)
    }

    private func loginForm(_ params: FormParameters, error: String?) -> String {
        // Everything but the credentials goes back as hidden fields; never echo the password.
        let hidden = params.pairs.filter { !Exact.equals($0.name, "username") && !Exact.equals($0.name, "password") }.map {
            "<input type=\"hidden\" name=\"\(Responses.htmlEscape($0.name))\" value=\"\(Responses.htmlEscape($0.value))\">"
        }.joined(separator: "\n")
        let errorLine = error.map { "<p id=\"error\">\(Responses.htmlEscape($0))</p>" } ?? ""
        return page(
            title: "Sign in",
            body: """
                <h1>Sign in (Cognito emulator)</h1>
                \(errorLine)
                <form method="post" action="/oauth2/authorize">
                \(hidden)
                <label>Username <input name="username" autocomplete="username"></label>
                <label>Password <input name="password" type="password" autocomplete="current-password"></label>
                <button type="submit">Sign in</button>
                </form>
                """
        )
    }

    private func page(title: String, body: String) -> String {
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>\(title)</title></head><body>\n\(body)\n</body></html>\n"
    }
}
