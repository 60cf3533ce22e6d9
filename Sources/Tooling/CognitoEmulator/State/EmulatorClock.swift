import FoundationEssentials
import Synchronization

/// The emulator's notion of "now": the wall clock or an injected one, plus an offset that
/// tests (or `/_emulator/clock`) move forward to expire codes and tokens without sleeping.
final class EmulatorClock: Sendable {
    private let base: @Sendable () -> Double
    private let offset = Mutex<Double>(0)

    init(base: (@Sendable () -> Double)?) {
        self.base = base ?? { Date().timeIntervalSince1970 }
    }

    var now: Double { base() + offset.withLock { $0 } }
    var seconds: Int64 { Int64(now.rounded(.down)) }

    func advance(by seconds: Double) {
        offset.withLock { $0 += seconds }
    }
}
