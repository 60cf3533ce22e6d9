#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process environment, read straight from `environ`.
public enum Environment {
    public static func current() -> [String: String] {
        read(environ)
    }

    /// The variables of an `environ`-style list (NAME=value entries, nil-terminated).
    static func read(_ entries: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> [String: String] {
        var result: [String: String] = [:]
        var pointer = entries
        while let entry = pointer.pointee {
            // Split on the bytes: a Character-wise search of every entry (COGNITO_JWKS is a few
            // KiB) showed up in the cold start. Invalid UTF-8 is repaired, as String(cString:) does.
            let count = strlen(entry)
            entry.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                let text = UnsafeBufferPointer(start: bytes, count: count)
                if let eq = text.firstIndex(of: UInt8(ascii: "=")) {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: text[..<eq]), as: UTF8.self)
                    result[name] = String(decoding: UnsafeBufferPointer(rebasing: text[(eq + 1)...]), as: UTF8.self)
                }
            }
            pointer += 1
        }
        return result
    }

    static func get(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
