import NIOCore
import Synchronization

/// The server's shared state: queued events, parked `next` long-polls, invocations in flight,
/// outcomes and who waits for them. Callbacks and promises are always completed outside the lock.
final class ServerCore: Sendable {
    typealias OutcomeCallback = @Sendable (RuntimeAPIOutcome) -> Void
    typealias InitErrorCallback = @Sendable (RuntimeAPIInitError) -> Void

    enum NextDecision {
        case deliver(RuntimeAPIInvocation)
        case parked
        case fault(RuntimeAPIFault)
    }

    enum AnswerDecision {
        case accepted
        case unknownRequestId
    }

    private struct State {
        var queue: [RuntimeAPIInvocation] = []
        var queueHead = 0
        var pollers: [(connection: Int, promise: EventLoopPromise<RuntimeAPIInvocation>)] = []
        var inFlight: [String: Int] = [:]
        var outcomes: [String: RuntimeAPIOutcome] = [:]
        var outcomeWaiters: [String: [(token: Int, callback: OutcomeCallback)]] = [:]
        var initError: RuntimeAPIInitError?
        var initWaiters: [(token: Int, callback: InitErrorCallback)] = []
        var nextToken = 0
        var connectionsOpened = 0
        var fault: RuntimeAPIFault?
    }

    private let state = Mutex(State())

    func connectionOpened() -> Int {
        state.withLock { state in
            state.connectionsOpened += 1
            return state.connectionsOpened
        }
    }

    var connectionsOpened: Int { state.withLock { $0.connectionsOpened } }

    func setFault(_ fault: RuntimeAPIFault?) {
        state.withLock { $0.fault = fault }
    }

    func enqueue(_ invocation: RuntimeAPIInvocation) {
        let poller: EventLoopPromise<RuntimeAPIInvocation>? = state.withLock { state in
            // A reused request id starts afresh: its previous outcome must not answer for it.
            state.outcomes.removeValue(forKey: invocation.requestId)
            if !state.pollers.isEmpty {
                let poller = state.pollers.removeFirst()
                state.inFlight[invocation.requestId] = poller.connection
                return poller.promise
            }
            state.queue.append(invocation)
            return nil
        }
        poller?.succeed(invocation)
    }

    /// A `next` arrived: take a queued event, or park the poll on `promise`.
    func next(connection: Int, promise: EventLoopPromise<RuntimeAPIInvocation>) -> NextDecision {
        state.withLock { state in
            if let fault = state.fault { return .fault(fault) }
            if state.queueHead < state.queue.count {
                let invocation = state.queue[state.queueHead]
                state.queueHead += 1
                if state.queueHead > 1024, state.queueHead * 2 > state.queue.count {
                    state.queue.removeFirst(state.queueHead)
                    state.queueHead = 0
                }
                state.inFlight[invocation.requestId] = connection
                return .deliver(invocation)
            }
            state.pollers.append((connection, promise))
            return .parked
        }
    }

    func answer(_ outcome: RuntimeAPIOutcome) -> AnswerDecision {
        let waiters: [(token: Int, callback: OutcomeCallback)]? = state.withLock { state in
            guard state.inFlight.removeValue(forKey: outcome.requestId) != nil else { return nil }
            state.outcomes[outcome.requestId] = outcome
            return state.outcomeWaiters.removeValue(forKey: outcome.requestId) ?? []
        }
        guard let waiters else { return .unknownRequestId }
        for waiter in waiters { waiter.callback(outcome) }
        return .accepted
    }

    func initErrorPosted(_ report: RuntimeAPIInitError) {
        let waiters = state.withLock { state in
            state.initError = report
            defer { state.initWaiters = [] }
            return state.initWaiters
        }
        for waiter in waiters { waiter.callback(report) }
    }

    var initError: RuntimeAPIInitError? { state.withLock { $0.initError } }

    func recordedOutcome(_ requestId: String) -> RuntimeAPIOutcome? {
        state.withLock { $0.outcomes[requestId] }
    }

    /// The connection closed: its parked polls go away, its unanswered invocations are abandoned.
    func connectionClosed(_ connection: Int) {
        let (promises, abandoned) = state.withLock { state in
            let promises = state.pollers.filter { $0.connection == connection }.map(\.promise)
            state.pollers.removeAll { $0.connection == connection }
            var abandoned: [(RuntimeAPIOutcome, [(token: Int, callback: OutcomeCallback)])] = []
            for (requestId, owner) in state.inFlight where owner == connection {
                let outcome = RuntimeAPIOutcome(requestId: requestId, kind: .abandoned, body: [])
                state.outcomes[requestId] = outcome
                abandoned.append((outcome, state.outcomeWaiters.removeValue(forKey: requestId) ?? []))
            }
            for (outcome, _) in abandoned { state.inFlight.removeValue(forKey: outcome.requestId) }
            return (promises, abandoned)
        }
        for promise in promises { promise.fail(ChannelError.ioOnClosedChannel) }
        for (outcome, waiters) in abandoned {
            for waiter in waiters { waiter.callback(outcome) }
        }
    }

    /// Calls `callback` with the outcome (now, if known). Returns a token to cancel, or nil if called.
    func onOutcome(_ requestId: String, _ callback: @escaping OutcomeCallback) -> Int? {
        let (ready, token): (RuntimeAPIOutcome?, Int?) = state.withLock { state in
            if let outcome = state.outcomes[requestId] { return (outcome, nil) }
            state.nextToken += 1
            state.outcomeWaiters[requestId, default: []].append((state.nextToken, callback))
            return (nil, state.nextToken)
        }
        if let ready { callback(ready) }
        return token
    }

    /// Removes a waiter; true if it was still registered (so the caller now owns its completion).
    func cancelOutcomeWaiter(_ requestId: String, token: Int) -> Bool {
        state.withLock { state in
            guard var waiters = state.outcomeWaiters[requestId],
                let index = waiters.firstIndex(where: { $0.token == token })
            else { return false }
            waiters.remove(at: index)
            state.outcomeWaiters[requestId] = waiters.isEmpty ? nil : waiters
            return true
        }
    }

    func onInitError(_ callback: @escaping InitErrorCallback) -> Int? {
        let (ready, token): (RuntimeAPIInitError?, Int?) = state.withLock { state in
            if let report = state.initError { return (report, nil) }
            state.nextToken += 1
            state.initWaiters.append((state.nextToken, callback))
            return (nil, state.nextToken)
        }
        if let ready { callback(ready) }
        return token
    }

    func cancelInitErrorWaiter(token: Int) -> Bool {
        state.withLock { state in
            guard let index = state.initWaiters.firstIndex(where: { $0.token == token }) else { return false }
            state.initWaiters.remove(at: index)
            return true
        }
    }
}
