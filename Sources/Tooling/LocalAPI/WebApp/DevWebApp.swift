import Foundation
import Synchronization

/// Dev only (scripts/serve): the demo web app at `/` (and `/callback`, its OAuth redirect URI),
/// its script, its configuration and the OpenAPI document at `/openapi.json`. The files are read
/// from the source tree on each request (edits show without a restart); they are excluded from
/// compilation and live in LocalAPI, which no handler executable links, so they never reach a
/// Lambda zip.
public final class DevWebApp: Sendable {
    /// What the page needs to start a sign-in: the managed-login authorize URL and the client id.
    public struct Config: Sendable {
        public var authorizeURL: String
        public var clientId: String
        public var scope: String

        public init(authorizeURL: String, clientId: String, scope: String) {
            self.authorizeURL = authorizeURL
            self.clientId = clientId
            self.scope = scope
        }
    }

    private let config = Mutex<Config?>(nil)
    /// A GET route of the template behind an authorizer, for the page's "Call protected route".
    private let protectedPath = Mutex<String?>(nil)
    /// Where index.html and app.js are (this file's folder).
    let directory: URL
    /// Sources/Product/AuthEndpoints/OpenAPI/openapi.json: the document is kept beside the code it describes.
    let openAPIFile: URL

    init(directory: URL? = nil, openAPIFile: URL? = nil) {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        self.directory = directory ?? here
        self.openAPIFile = openAPIFile
            ?? here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Product/AuthEndpoints/OpenAPI/openapi.json")
    }

    func configure(_ value: Config) { config.withLock { $0 = value } }

    func configure(protectedPath path: String?) { protectedPath.withLock { $0 = path } }

    /// Security headers of the dev page. The page keeps the access token in memory, so script
    /// injection is the one way to steal it: the CSP allows only this origin's own script (no
    /// inline script, no eval, nothing from another host) and fetches to this origin only; the
    /// page may not be framed (clickjacking) and sends no Referer (the `code` is in its URL on return).
    static let pageHeaders: [(name: String, value: String)] = [
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]

    /// The answer for a GET/HEAD of one of the app's paths; nil for any other request.
    func response(_ request: GatewayRequest) -> GatewayResponse? {
        guard request.method == "GET" || request.method == "HEAD" else { return nil }
        var response: GatewayResponse
        switch request.rawPath {
        case "/", "/callback", "/index.html":
            response = file(directory.appendingPathComponent("index.html"), "text/html; charset=utf-8")
        case "/app.js":
            response = file(directory.appendingPathComponent("app.js"), "text/javascript; charset=utf-8")
        case "/config.json":
            response = configResponse()
        case "/openapi.json":
            response = file(openAPIFile, "application/json")
            // Tools on other origins (Swagger UI, schemathesis in a browser) may read the contract;
            // it holds no secret and no credential is involved.
            response.headers.append(("Access-Control-Allow-Origin", "*"))
        default:
            return nil
        }
        if request.method == "HEAD" { response.body = [] }
        return response
    }

    private func file(_ url: URL, _ contentType: String) -> GatewayResponse {
        guard let data = try? Data(contentsOf: url) else {
            return .message(500, "Internal Server Error")
        }
        return GatewayResponse(status: 200, headers: [("Content-Type", contentType)] + Self.pageHeaders, body: Array(data))
    }

    private func configResponse() -> GatewayResponse {
        guard let config = config.withLock({ $0 }) else { return .message(503, "Service Unavailable") }
        // apiBase "" = this origin. The redirect URI is the page's own URL (origin + /callback),
        // which the page derives itself: the emulator registers both local origins' /callback.
        var object: [String: String] = [
            "authorizeUrl": config.authorizeURL, "clientId": config.clientId, "scope": config.scope, "apiBase": "",
        ]
        if let path = protectedPath.withLock({ $0 }) { object["protectedPath"] = path }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return GatewayResponse(status: 200, headers: [("Content-Type", "application/json")] + Self.pageHeaders, body: Array(data))
    }
}
