import Crypto
import FoundationEssentials

/// The bytes of a digest or MAC, copied from its contiguous storage.
enum ByteArray {
    static func of(_ value: some ContiguousBytes) -> [UInt8] {
        value.withUnsafeBytes { Array($0) }
    }
}
