import Hummingbird

/// Guards the control API: a peer the `PeerAccessPolicy` does not trust gets 403 and the
/// route never runs (faults and clock shifts change what every other client sees).
struct LoopbackOnlyMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext
    let policy: PeerAccessPolicy

    func handle(_ request: Request, context: EmulatorContext, next: (Request, EmulatorContext) async throws -> Response) async throws -> Response {
        guard policy.allowsPrivileged(peer: context.remoteAddress) else {
            return Responses.forbiddenPeer("the control API accepts only loopback peers (start the emulator with --unsafe-expose to allow others)")
        }
        return try await next(request, context)
    }
}
