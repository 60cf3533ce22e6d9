import Foundation
import Testing

@testable import LocalAPI

/// `scripts/serve` listens before it has read the template (it binds first, to know its port): a
/// request in that window gets API Gateway's 503 with a retry hint, never a 404 for a route that
/// is about to exist; once a stack is in place, an unknown route is a 404 as before.
@Suite struct StartingGenerationTests {
    static func generation(_ number: Int) -> ServingGeneration {
        ServingGeneration(
            number: number, stack: StackDescription(), binDirectory: "/nonexistent", concurrency: 1,
            output: FileHandle.standardError, counter: ProcessCounter())
    }

    @Test func requestsBeforeTheStackIsReadAreUnavailableNotMissing() async {
        let dispatcher = RequestDispatcher(Self.generation(0), log: { _ in })
        let request = GatewayRequest(method: "GET", target: "/auth/me", headers: [("Host", "127.0.0.1:3000")], body: [], sourceIp: "127.0.0.1")
        let starting = await dispatcher.handle(request)
        #expect(starting.status == 503)
        #expect(starting.headers.contains { $0.name == "retry-after" && $0.value == "1" })
        #expect(String(decoding: starting.body, as: UTF8.self) == #"{"message":"Service Unavailable"}"#)
        _ = dispatcher.swap(Self.generation(1))
        let served = await dispatcher.handle(request)
        #expect(served.status == 404, "a stack without the route: API Gateway's 404")
    }
}
