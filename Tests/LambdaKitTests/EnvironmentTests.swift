#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing

@testable import LambdaKit

@Suite struct EnvironmentTests {
    @Test func readsEveryEntrySplitAtTheFirstEqualsSign() {
        let entries = ["A=a=b==c é {\"keys\":[]}", "EMPTY=", "NO_EQUALS_SIGN", "=anonymous", "B=2"]
        let pointers = entries.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        var list = pointers
        let environment = list.withUnsafeMutableBufferPointer { Environment.read($0.baseAddress!) }
        #expect(environment == ["A": "a=b==c é {\"keys\":[]}", "EMPTY": "", "": "anonymous", "B": "2"])
    }

    @Test func currentIsTheProcessEnvironment() {
        #expect(Environment.current()["PATH"] == getenv("PATH").map { String(cString: $0) })
    }
}
