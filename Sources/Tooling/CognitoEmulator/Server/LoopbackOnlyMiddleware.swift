import Hummingbird

/// Guards the control API (faults and clock shifts change what every other client sees):
/// - a peer the `PeerAccessPolicy` does not trust gets 403 and the route never runs;
/// - so does a request whose `Host` does not name loopback (DNS rebinding, see
///   `PeerAccessPolicy.refusal(host:)`);
/// - a POST must say `Content-Type: application/json`. A web page can send a cross-origin POST
///   without a CORS preflight only as a "simple" request (form or `text/plain` bodies); a JSON
///   content type forces the preflight, which the emulator never grants. (DELETE is never a
///   simple request, and GETs here change nothing.)
struct LoopbackOnlyMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext
    let policy: PeerAccessPolicy

    func handle(_ request: Request, context: EmulatorContext, next: (Request, EmulatorContext) async throws -> Response) async throws -> Response {
        guard policy.allowsPrivileged(peer: context.remoteAddress) else {
            return Responses.forbiddenPeer("the control API accepts only loopback peers (start the emulator with --unsafe-expose to allow others)")
        }
        if let refusal = policy.refusal(host: request.head.authority) {
            return Responses.forbiddenPeer("the control API refuses this request: \(refusal)")
        }
        if request.method == .post, !Self.isJSON(request.headers[.contentType]) {
            return Responses.json(.object([("error", .string("the control API takes Content-Type: application/json"))]), status: 415)
        }
        return try await next(request, context)
    }

    /// `application/json`, optionally with parameters (`; charset=utf-8`), case-insensitively
    /// as media types are compared (RFC 9110 §8.3.1).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return String(type).trimmingSpaces.lowercased() == "application/json"
    }
}
