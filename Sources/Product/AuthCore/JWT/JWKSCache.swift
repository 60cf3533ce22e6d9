import NIOCore
import NIOHTTP1
import Synchronization

/// The signing keys of one user pool: fetched once per process (or preloaded), parsed once, and
/// reused by every verification of every invocation.
///
/// - An unknown `kid` refetches the JWKS, at most once per `refetchInterval` (10 s): a flood of
///   tokens with random `kid`s cannot become a flood of fetches (penalty box).
/// - Concurrent misses share one in-flight fetch.
/// - Until a first set has loaded, a failed fetch is retried at most once per `retryInterval`
///   (1 s), so an unreachable JWKS endpoint is not hammered either.
/// - The fetch is bounded by the caller's deadline and `fetchTimeout` (the shared client's connect
///   timeout applies to connecting), the body by 64 KiB; non-200, oversized, garbage or slow
///   answers are `keysUnavailable`, and the previously loaded keys stay in use.
/// - A fetched set replaces the previous one (keys Cognito rotated out stop verifying).
///
/// The lookup of a known `kid` is a lock-protected dictionary read: no actor hop, no allocation.
public final class JWKSCache: Sendable {
    public let url: String
    let transport: any UpstreamTransport
    let refetchInterval: Duration
    let retryInterval: Duration
    let fetchTimeout: Duration
    let clock: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<State>

    public static let maximumBodyBytes = 64 * 1024

    private struct State: Sendable {
        var keys: JWKSet?
        var lastFetchStart: ContinuousClock.Instant?
        var lastError: String?
        var inFlight: Task<FetchOutcome, Never>?
        var fetchCount = 0
    }

    enum FetchOutcome: Sendable {
        case loaded
        case failed(String)
    }

    /// - Parameters:
    ///   - url: the JWKS URL (`CognitoConfig.jwksURL`).
    ///   - transport: how the JWKS is fetched (the process's shared HTTP client).
    ///   - preloaded: a JWKS document to start with: no fetch until a `kid` it lacks shows up. A
    ///     document that does not parse is ignored (the keys are then fetched);
    ///     `CognitoConfig.fromEnvironment` already refuses such a document at start.
    ///   - refetchInterval: the penalty box for unknown `kid`s.
    ///   - retryInterval: the pause between failed fetches while no set has loaded yet.
    ///   - fetchTimeout: upper bound of one fetch, within the caller's deadline.
    ///   - clock: monotonic time, injectable for tests.
    public convenience init(
        url: String,
        transport: any UpstreamTransport = UpstreamHTTP.shared,
        preloaded: [UInt8]? = nil,
        refetchInterval: Duration = .seconds(10),
        retryInterval: Duration = .seconds(1),
        fetchTimeout: Duration = .seconds(5),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.init(
            url: url, transport: transport, keys: preloaded.flatMap { try? JWKSet.parse($0).get() },
            refetchInterval: refetchInterval, retryInterval: retryInterval, fetchTimeout: fetchTimeout, clock: clock)
    }

    /// The cache for `config`: its JWKS URL and its preloaded keys, which the configuration parsed
    /// once (and `fromEnvironment` checked), so no cache parses them or builds their RSA keys again.
    public convenience init(config: CognitoConfig, transport: any UpstreamTransport = UpstreamHTTP.shared) {
        self.init(url: config.jwksURL, transport: transport, keys: try? config.preloadedKeys?.get())
    }

    init(
        url: String, transport: any UpstreamTransport, keys: JWKSet?, refetchInterval: Duration = .seconds(10),
        retryInterval: Duration = .seconds(1), fetchTimeout: Duration = .seconds(5),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.url = url
        self.transport = transport
        self.refetchInterval = refetchInterval
        self.retryInterval = retryInterval
        self.fetchTimeout = fetchTimeout
        self.clock = clock
        var initial = State()
        initial.keys = keys
        self.state = Mutex(initial)
    }

    /// How many fetches were started (for tests and metrics).
    public var fetchCount: Int {
        state.withLock { $0.fetchCount }
    }

    /// Whether a key set is loaded (preloaded or fetched).
    public var isLoaded: Bool {
        state.withLock { $0.keys != nil }
    }

    /// The hot path: the entry for `kid` when the loaded set has it, without suspending.
    @inline(__always)
    func cachedEntry(kid: String) -> JWKSet.Entry? {
        state.withLock { $0.keys?.entry(kid: kid) }
    }

    /// The loaded entry for a token's `kid`, without fetching.
    func cachedEntry(_ kid: JOSEHeader.KeyID) -> JWKSet.Entry? {
        state.withLock { $0.keys?.entry(kid) }
    }

    /// The entry for `kid`, fetching the set if it is not loaded or lacks `kid` (within the
    /// penalty box). Throws `unknownKeyID` or `keysUnavailable`.
    func entry(kid: String, deadline: NIODeadline) async throws(TokenVerificationError) -> JWKSet.Entry {
        if let entry = cachedEntry(kid: kid) { return entry }
        guard let entry = try await lookup(kid: kid, deadline: deadline) else { throw .unknownKeyID }
        return entry
    }

    private enum Decision {
        case found(JWKSet.Entry)
        case wait(Task<FetchOutcome, Never>)
        case refuse(TokenVerificationError)
    }

    /// Fetches (or joins the fetch in flight) when allowed, then looks `kid` up. Returns nil when
    /// the loaded set lacks `kid`.
    private func lookup(kid: String, deadline: NIODeadline) async throws(TokenVerificationError) -> JWKSet.Entry? {
        let decision: Decision = state.withLock { state in
            if let entry = state.keys?.entry(kid: kid) { return .found(entry) }
            if let task = state.inFlight { return .wait(task) }
            let now = clock()
            if let last = state.lastFetchStart {
                // Penalty box: once a set is loaded, one fetch per refetchInterval whatever the
                // kids asked for; before that, one attempt per retryInterval.
                let interval = state.keys == nil ? retryInterval : refetchInterval
                if now - last < interval {
                    if state.keys == nil {
                        return .refuse(.keysUnavailable(state.lastError ?? "JWKS not loaded yet"))
                    }
                    return .refuse(.unknownKeyID)
                }
            }
            state.lastFetchStart = now
            state.fetchCount += 1
            let fetchDeadline = min(deadline, NIODeadline.now() + Self.timeAmount(fetchTimeout))
            let task = Task { await self.fetch(deadline: fetchDeadline) }
            state.inFlight = task
            return .wait(task)
        }
        switch decision {
        case .found(let entry):
            return entry
        case .refuse(let error):
            throw error
        case .wait(let task):
            let outcome = await task.value
            let entry: JWKSet.Entry? = state.withLock { state in state.keys?.entry(kid: kid) }
            if let entry { return entry }
            if case .failed(let reason) = outcome { throw .keysUnavailable(reason) }
            return nil
        }
    }

    private func fetch(deadline: NIODeadline) async -> FetchOutcome {
        let outcome = await download(deadline: deadline)
        state.withLock { state in
            state.inFlight = nil
            switch outcome {
            case .success(let set):
                state.keys = set
                state.lastError = nil
            case .failure(let failure):
                state.lastError = failure.reason
            }
        }
        switch outcome {
        case .success: return .loaded
        case .failure(let failure): return .failed(failure.reason)
        }
    }

    private func download(deadline: NIODeadline) async -> Result<JWKSet, JWKSet.Failure> {
        let request = UpstreamRequest(method: .GET, url: url, headers: ["Accept": "application/json"])
        let response: UpstreamResponse
        do {
            response = try await transport.send(request, deadline: deadline, maxBodyBytes: Self.maximumBodyBytes)
        } catch {
            switch error {
            case .timeout: return .failure(.init(reason: "JWKS fetch timed out"))
            case .unreachable(let detail): return .failure(.init(reason: "JWKS endpoint unreachable (\(detail))"))
            case .connectionLost(let detail): return .failure(.init(reason: "JWKS connection lost (\(detail))"))
            case .bodyTooLarge: return .failure(.init(reason: "JWKS larger than \(Self.maximumBodyBytes) bytes"))
            }
        }
        guard response.status == 200 else {
            return .failure(.init(reason: "JWKS endpoint answered HTTP \(response.status)"))
        }
        switch JWKSet.parse(response.body) {
        case .success(let set): return .success(set)
        case .failure(let failure): return .failure(.init(reason: "JWKS is not valid: \(failure.reason)"))
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
