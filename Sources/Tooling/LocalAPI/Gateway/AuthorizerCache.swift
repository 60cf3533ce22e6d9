import Synchronization

/// API Gateway's authorizer result cache: answers kept for the TTL, keyed by the identity source
/// values (the exact bytes, joined with a separator no header value can hold).
final class AuthorizerCache: Sendable {
    private let entries = Mutex<[String: (expires: ContinuousClock.Instant, decision: AuthorizerDecision)]>([:])

    func lookup(_ key: String, now: ContinuousClock.Instant = .now) -> AuthorizerDecision? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            if entry.expires <= now {
                entries[key] = nil
                return nil
            }
            return entry.decision
        }
    }

    func store(_ key: String, _ decision: AuthorizerDecision, ttlSeconds: Int, now: ContinuousClock.Instant = .now) {
        guard ttlSeconds > 0 else { return }
        if case .failed = decision { return }
        entries.withLock { $0[key] = (now + .seconds(ttlSeconds), decision) }
    }

    static func key(_ values: [String]) -> String { values.joined(separator: "\n") }
}
