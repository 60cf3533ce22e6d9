import AuthCore
import LambdaKit

/// How the refresh token travels for one deployment (`SessionConfig.delivery`): the one place
/// that hands it out with a token response and takes it back from a request, so sign-in, refresh
/// and logout cannot disagree.
struct SessionDelivery: Sendable {
    let config: SessionConfig
    let cookie: RefreshCookie
    let csrf: CSRFGuard

    init(config: SessionConfig) {
        self.config = config
        self.cookie = RefreshCookie(config: config)
        self.csrf = CSRFGuard(allowedOrigins: config.allowedOrigins)
    }

    /// The 200 of sign-in and refresh. A refresh token from Cognito goes into the cookie or the
    /// body; without one (refresh without rotation) the cookie is left alone.
    func tokenResponse(accessToken: String, expiresIn: Int, refreshToken: String?) -> HTTPResponse {
        var body = AccessTokenBody(accessToken: accessToken, expiresIn: expiresIn)
        switch config.delivery {
        case .cookie:
            var response = JSONResponse.make(status: 200, body: body)
            if let refreshToken { response.headers.add(name: "Set-Cookie", value: cookie.setting(refreshToken)) }
            return response
        case .body:
            body.refreshToken = refreshToken
            return JSONResponse.make(status: 200, body: body)
        }
    }

    /// The refresh token the request carries, if any, after the checks of its delivery: the
    /// cookie only with the CSRF checks passed; the body's `refresh_token` in body delivery.
    func refreshToken(of request: HTTPRequest) throws(Problem) -> String? {
        switch config.delivery {
        case .cookie:
            guard case .present(let token) = try RefreshCookie.read(request) else { return nil }
            try csrf.checkCookieRequest(request)
            return token
        case .body:
            return try RefreshRequestBody.optionalToken(request)
        }
    }

    /// Sign-in with cookie delivery refuses foreign origins before Cognito (login CSRF: a foreign
    /// page must not plant a session cookie of its choosing).
    func checkSignInOrigin(_ request: HTTPRequest) throws(Problem) {
        if config.delivery == .cookie { try csrf.checkOrigin(request) }
    }

    /// `Set-Cookie` that deletes the cookie, in cookie delivery only.
    var clearing: (name: String, value: String)? {
        config.delivery == .cookie ? ("Set-Cookie", cookie.clearing) : nil
    }
}
