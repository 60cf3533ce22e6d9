import Foundation

/// The warm processes of one function: up to `limit`, started on demand; a request beyond that
/// waits for one to come free. A process that crashed or ran past the timeout is stopped and its
/// slot goes to the next waiter (who starts a fresh process).
actor FunctionPool {
    struct Invocation: Sendable {
        var result: FunctionProcess.Result
        var cold: Bool
        var processId: Int
    }

    let function: StackDescription.Function
    let executable: String
    let limit: Int
    let region: String
    let accountId: String
    let output: FileHandle
    let counter: ProcessCounter
    private var idle: [FunctionProcess] = []
    private var live: [Int: FunctionProcess] = [:]
    private var slotsTaken = 0
    private var waiters: [CheckedContinuation<Slot, Never>] = []
    private var retired = false
    private(set) var started = 0
    private(set) var busy = 0
    private(set) var peakBusy = 0

    enum Slot: Sendable {
        case process(FunctionProcess)
        case start
    }

    init(
        function: StackDescription.Function, executable: String, limit: Int, region: String, accountId: String,
        output: FileHandle, counter: ProcessCounter
    ) {
        self.function = function
        self.executable = executable
        self.limit = max(1, limit)
        self.region = region
        self.accountId = accountId
        self.output = output
        self.counter = counter
    }

    var arn: String { IntrinsicResolver.functionARN(function.logicalId, region: region, accountId: accountId) }

    func invoke(event: [UInt8], timeout: Duration) async -> Invocation {
        let slot = await acquire()
        busy += 1
        peakBusy = max(peakBusy, busy)
        defer { busy -= 1 }
        let process: FunctionProcess
        switch slot {
        case .process(let warm):
            process = warm
        case .start:
            do {
                process = try await FunctionProcess.start(
                    id: counter.next(), function: function, executable: executable, region: region,
                    output: output)
                started += 1
                live[process.id] = process
            } catch {
                release(nil)
                return Invocation(result: .crashed("\(error)"), cold: true, processId: 0)
            }
        }
        let (result, cold) = await process.invoke(event: event, timeout: timeout, arn: arn)
        switch result {
        case .response, .functionError:
            if process.isAlive {
                release(process)
            } else {
                discard(process)
            }
        case .crashed, .timedOut:
            discard(process)
        }
        return Invocation(result: result, cold: cold, processId: process.id)
    }

    private func discard(_ process: FunctionProcess) {
        live[process.id] = nil
        Task { await process.stop(grace: .zero) }
        release(nil)
    }

    private func acquire() async -> Slot {
        while let warm = idle.popLast() {
            if warm.isAlive { return .process(warm) }
            live[warm.id] = nil
            slotsTaken -= 1
        }
        if slotsTaken < limit {
            slotsTaken += 1
            return .start
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Hands a free process (or, for nil, a free slot) to the first waiter, else keeps it.
    private func release(_ process: FunctionProcess?) {
        if !waiters.isEmpty {
            let waiter = waiters.removeFirst()
            waiter.resume(returning: process.map(Slot.process) ?? .start)
            return
        }
        if let process, retired {
            live[process.id] = nil
            Task { await process.stop() }
            slotsTaken -= 1
            return
        }
        if let process { idle.append(process) } else { slotsTaken -= 1 }
    }

    /// No new work: idle processes stop now, busy ones when their invocation ends.
    func retire() async {
        retired = true
        let stopping = idle
        idle = []
        for process in stopping {
            live[process.id] = nil
            slotsTaken -= 1
        }
        await withTaskGroup(of: Void.self) { group in
            for process in stopping { group.addTask { await process.stop() } }
        }
    }

    /// Stops every process, busy or not.
    func stopAll() async {
        retired = true
        let all = Array(live.values)
        live = [:]
        idle = []
        await withTaskGroup(of: Void.self) { group in
            for process in all { group.addTask { await process.stop() } }
        }
    }

    var liveCount: Int { live.count }
}
