import Foundation

/// One generation of what is served: the stack read from the template, its routes and one pool
/// per function. `--watch` builds a new generation and swaps it in; the old one finishes what it
/// has in flight and stops.
final class ServingGeneration: Sendable {
    let stack: StackDescription
    let routes: RouteTable
    let pools: [String: FunctionPool]
    let caches: [String: AuthorizerCache]
    /// 1 for the first stack read from the template, then one more per reload; 0 for the empty
    /// generation that serves while the first read is under way (`isStarting`).
    let number: Int

    /// The empty generation in place from the moment the server listens (it binds first, to know
    /// its port) until the template's stack is read.
    var isStarting: Bool { number == 0 }

    init(number: Int, stack: StackDescription, binDirectory: String, concurrency: Int, output: FileHandle, counter: ProcessCounter) {
        self.number = number
        self.stack = stack
        self.routes = RouteTable(stack.routes)
        var pools: [String: FunctionPool] = [:]
        for (id, function) in stack.functions {
            pools[id] = FunctionPool(
                function: function, executable: binDirectory + "/" + function.executableName, limit: concurrency,
                region: stack.region, accountId: stack.accountId, output: output, counter: counter)
        }
        self.pools = pools
        var caches: [String: AuthorizerCache] = [:]
        for (apiId, api) in stack.apis {
            for name in api.authorizers.keys { caches[apiId + "/" + name] = AuthorizerCache() }
        }
        self.caches = caches
    }

    func retire() async {
        await withTaskGroup(of: Void.self) { group in
            for pool in pools.values { group.addTask { await pool.retire() } }
        }
    }

    func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for pool in pools.values { group.addTask { await pool.stopAll() } }
        }
    }
}
