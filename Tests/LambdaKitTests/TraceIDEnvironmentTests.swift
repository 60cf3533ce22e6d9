#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import LambdaKit

// A variable of the suite's own, not _X_AMZN_TRACE_ID, and one for the whole suite, serialized:
// environ's array is reallocated only when a new name is added, and a getenv on another thread
// (other suites spawning children read the environment) must not race that reallocation.
@Suite(.serialized) struct TraceIDEnvironmentTests {
    static let name = "LAMBDAKIT_TEST_TRACE_ID"

    static func read(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    @Test func getenvSeesEachValueAndUnsetRemovesIt() {
        let name = Self.name
        defer { unsetenv(name) }
        let trace = TraceIDEnvironment(name: name)
        #expect(Self.read(name) == nil)
        let ids = [
            "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c;Parent=53995c3f42cd8ad8;Sampled=1",
            "Root=1-5e9f0c66-2de4d666d4dd26aced652b6d;Parent=63995c3f42cd8ad9;Sampled=0",
            "Root=1-short",
        ]
        for id in ids {
            trace.set(id)
            #expect(Self.read(name) == id)
            // environ itself, as a subprocess inherits it and as Environment.current reads it.
            #expect(Environment.current()[name] == id)
        }
        trace.set(nil)
        #expect(Self.read(name) == nil)
        #expect(Environment.current()[name] == nil)
        trace.set(nil)
        #expect(Self.read(name) == nil)
        trace.set(ids[0])
        #expect(Self.read(name) == ids[0])
    }

    @Test func aLongerIdAfterAShortOneAndBack() {
        let name = Self.name
        defer { unsetenv(name) }
        let trace = TraceIDEnvironment(name: name)
        trace.set("Root=1-a")
        let long = "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c;Parent=53995c3f42cd8ad8;Sampled=1;Lineage="
            + String(repeating: "a1b2c3d4:0|", count: 100)
        trace.set(long)
        #expect(Self.read(name) == long)
        let longer = long + String(repeating: "z", count: 5_000)
        trace.set(longer)
        #expect(Self.read(name) == longer)
        trace.set("Root=1-b")
        #expect(Self.read(name) == "Root=1-b")
        trace.set(long)
        #expect(Self.read(name) == long)
    }

    /// What keeps memory flat: an id that fits is written into the registered buffer, so getenv
    /// keeps answering the same pointer (setenv would hand out a new copy for every new value).
    @Test func distinctIdsReuseOneBuffer() throws {
        let name = Self.name
        defer { unsetenv(name) }
        let trace = TraceIDEnvironment(name: name)
        trace.set(Self.traceId(0))
        let buffer = try #require(getenv(name))
        for index in 1...10_000 {
            let id = Self.traceId(index)
            trace.set(id)
            guard getenv(name) == buffer, Self.read(name) == id else {
                Issue.record("id \(index): getenv gave \(Self.read(name) ?? "nil") at a new address: \(getenv(name) != buffer)")
                return
            }
        }
        // After an unset the same buffer is registered again.
        trace.set(nil)
        trace.set("Root=1-again")
        #expect(getenv(name) == buffer)
        #expect(Self.read(name) == "Root=1-again")
    }

    @Test func takesTheVariableBackAfterOtherCodeSetItOrUnsetIt() {
        let name = Self.name
        defer { unsetenv(name) }
        let trace = TraceIDEnvironment(name: name)
        trace.set("Root=1-first")
        setenv(name, "set by someone else", 1)
        trace.set("Root=1-second")
        #expect(Self.read(name) == "Root=1-second")
        unsetenv(name)
        trace.set("Root=1-third")
        #expect(Self.read(name) == "Root=1-third")
    }

    @Test func anIdWithANulIsNotExportedTruncated() {
        let name = Self.name
        defer { unsetenv(name) }
        let trace = TraceIDEnvironment(name: name)
        trace.set("Root=1-before")
        trace.set("Root=1-a\u{0}b")
        #expect(Self.read(name) == nil)
    }

    /// Distinct X-Ray-shaped ids of one length.
    static func traceId(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return "Root=1-5e9f0c65-" + String(repeating: "0", count: 24 - hex.count) + hex + ";Parent=53995c3f42cd8ad8;Sampled=1"
    }
}
