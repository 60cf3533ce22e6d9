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
    ///
    /// Cognito's refresh token is checked as a cookie coming back is (`RefreshCookie.canStore`)
    /// before it is written: a value with `;` or a line break would add attributes or headers of
    /// Cognito's (or a proxy's) choosing to `Set-Cookie`, and one too long for browsers would be
    /// dropped silently. Such an answer is not believed: 502 `upstream_malformed`. Body delivery
    /// checks it as refresh and logout will read it back (`RefreshCookie.isWellFormed`): a token
    /// the client could never use again is not handed out as a session.
    func tokenResponse(accessToken: String, expiresIn: Int, refreshToken: String?) throws(SessionFailure) -> HTTPResponse {
        var body = AccessTokenBody(accessToken: accessToken, expiresIn: expiresIn)
        if let refreshToken {
            let usable = config.delivery == .cookie ? RefreshCookie.canStore(refreshToken) : RefreshCookie.isWellFormed(refreshToken)
            guard usable else { throw .refreshTokenNotStorable }
        }
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
    /// cookie only with the CSRF checks passed; the body's `refresh_token` in body delivery. An
    /// unusable cookie (two of them, a malformed value) is its 400.
    func refreshToken(of request: HTTPRequest) throws(SessionFailure) -> String? {
        switch try presented(in: request) {
        case .none: return nil
        case .token(let token): return token
        case .unusableCookie(let failure): throw failure
        }
    }

    /// What a request presents as its refresh token.
    enum Presented: Equatable {
        case none
        case token(String)
        /// A refresh cookie that cannot be used (`RefreshCookie.Reading.unusable`), from a
        /// request that passed the CSRF checks: logout still clears it.
        case unusableCookie(SessionFailure)
    }

    /// The request's refresh token as `refreshToken(of:)` reads it, but an unusable cookie is
    /// reported rather than thrown (logout goes on with the bearer token and clears it). The CSRF
    /// checks run for any cookie of that name, usable or not: clearing it is acting on it.
    func presented(in request: HTTPRequest) throws(SessionFailure) -> Presented {
        switch config.delivery {
        case .cookie:
            switch RefreshCookie.read(request) {
            case .absent:
                return .none
            case .present(let token):
                try csrf.checkCookieRequest(request)
                return .token(token)
            case .unusable(let failure):
                try csrf.checkCookieRequest(request)
                return .unusableCookie(failure)
            }
        case .body:
            return try RefreshRequestBody.optionalToken(request).map(Presented.token) ?? .none
        }
    }

    /// Sign-in with cookie delivery makes the checks refresh and logout make (`X-Requested-With`,
    /// and an allowed `Origin` when present) before Cognito: login CSRF, a foreign page posting
    /// its own authorization code (a plain form POST needs no preflight) so the victim's browser
    /// stores the attacker's session cookie. Body delivery sets no cookie, so it has nothing to
    /// protect here.
    func checkSignIn(_ request: HTTPRequest) throws(SessionFailure) {
        if config.delivery == .cookie { try csrf.checkCookieRequest(request) }
    }

    /// `Set-Cookie` that deletes the cookie, in cookie delivery only.
    var clearing: (name: String, value: String)? {
        config.delivery == .cookie ? ("Set-Cookie", cookie.clearing) : nil
    }
}
