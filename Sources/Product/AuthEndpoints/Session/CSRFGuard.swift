import AuthCore
import LambdaKit

/// The cross-site request checks of cookie delivery. A browser attaches the refresh cookie to any
/// request to the API, including one a foreign page makes it send, so an endpoint that acts on
/// the cookie first checks that the request comes from one of the app's own pages.
struct CSRFGuard: Sendable {
    /// Compared byte for byte with `Origin`.
    let allowedOrigins: [String]

    /// `X-Requested-With` (any non-empty value) and, when present, an allowed `Origin`. A custom
    /// header cannot be sent cross-origin without a CORS preflight, which the API answers only for
    /// the allowed origins; a simple form POST or `<img>` cannot carry it at all.
    func checkCookieRequest(_ request: HTTPRequest) throws(SessionFailure) {
        let requestedWith = request.headers["X-Requested-With"]
        guard requestedWith.count == 1, !requestedWith[0].utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
            throw requestedWith.isEmpty ? .requestedWithMissing : .requestedWithInvalid
        }
        try checkOrigin(request)
    }

    /// `Origin`, when the request has one, must be exactly one of the allowed origins. Browsers
    /// send it on every cross-origin request and on every POST; a request without one comes from
    /// a same-origin GET or from something that is not a browser, which carries no ambient cookie.
    /// Two `Origin` headers, or `Origin: null` (sandboxed frames, some redirects), are refused.
    func checkOrigin(_ request: HTTPRequest) throws(SessionFailure) {
        let origins = request.headers["Origin"]
        guard !origins.isEmpty else { return }
        guard origins.count == 1 else { throw .severalOrigins }
        guard ExactText.contains(allowedOrigins, origins[0]) else { throw .originNotAllowed }
    }
}
