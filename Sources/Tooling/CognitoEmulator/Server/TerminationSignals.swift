import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT/SIGTERM as an async stream, for the dev servers' executables (cognito-emulator,
/// local-api): Ctrl-C stops them cleanly. A plain type so the handlers are not main-actor
/// isolated (they run on a Dispatch queue). Keep the returned sources alive as long as the stream.
public enum TerminationSignals {
    public static func stream() -> (AsyncStream<Int32>, [any DispatchSourceSignal]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        return (stream, sources)
    }
}
