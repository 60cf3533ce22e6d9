import Foundation

/// `--watch`: polls the modification times of the watched files (Swift sources, Package.swift,
/// the template); on a change it runs `rebuild`, then reloads the local API, whose
/// new processes take new requests while the old ones finish theirs.
public final class SourceWatcher: Sendable {
    let roots: [String]
    let interval: Duration
    let rebuild: @Sendable () async -> Bool
    let api: LocalAPI
    let log: @Sendable (String) -> Void

    public init(
        roots: [String], interval: Duration = .milliseconds(500), api: LocalAPI,
        log: @escaping @Sendable (String) -> Void, rebuild: @escaping @Sendable () async -> Bool
    ) {
        self.roots = roots
        self.interval = interval
        self.api = api
        self.log = log
        self.rebuild = rebuild
    }

    static func isWatched(_ path: String) -> Bool {
        path.hasSuffix(".swift") || path.hasSuffix(".yaml") || path.hasSuffix(".yml")
            || path.hasSuffix(".py") || path.hasSuffix(".c") || path.hasSuffix(".h")
    }

    /// Path → modification time of every watched file under the roots.
    func snapshot() -> [String: Date] {
        var result: [String: Date] = [:]
        let manager = FileManager.default
        for root in roots {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root, isDirectory: &isDirectory) else { continue }
            let paths: [String]
            if isDirectory.boolValue {
                paths = (manager.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).map { root + "/" + $0 }
            } else {
                paths = [root]
            }
            for path in paths where Self.isWatched(path) || path == root {
                if let date = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date { result[path] = date }
            }
        }
        return result
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var last = snapshot()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = snapshot()
            guard now != last else { continue }
            let changed = Set(now.keys).symmetricDifference(last.keys).union(now.keys.filter { now[$0] != last[$0] })
            last = now
            log("watch: \(changed.count) file(s) changed (\(changed.sorted().prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))); rebuilding")
            guard await rebuild() else {
                log("watch: the build failed; the running processes keep serving")
                continue
            }
            last = snapshot()
            do {
                try api.reload()
                log("watch: reloaded (generation \(api.generation)); new requests go to new processes")
            } catch {
                log("watch: reload failed: \(error); the running processes keep serving")
            }
        }
    }
}
