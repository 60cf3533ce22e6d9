import FoundationEssentials
import JSONValue

/// Test vectors read in place from `../shared` (beside the package root). Never copied here.
enum SharedVectors {
    /// `<package root>/../shared`, from this file's path: Tests/AuthCoreTests/JWT/SharedVectors.swift.
    static let directory: String = {
        var components = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        components.removeLast(4)  // SharedVectors.swift, JWT, AuthCoreTests, Tests
        return components.joined(separator: "/") + "/../shared"
    }()

    static func path(_ relative: String) -> String { directory + "/" + relative }

    /// Whether the tests that read `relative` run. In a bare clone they skip; under `CI=true` they
    /// always run, so a missing `../shared` fails them instead of passing silently.
    static func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative)) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    static let wycheproofRSA = "vectors/wycheproof/rsa_signature_2048_sha256_test.json"
    static let wycheproofJWS = "vectors/wycheproof/json_web_signature_test.json"
    static let wycheproofJWK = "vectors/wycheproof/json_web_key_test.json"
    static let cookbook = "vectors/jose-cookbook/4_1.rsa_v15_signature.json"

    static func load(_ relative: String) throws -> JSONValue {
        let data = try Data(contentsOf: URL(filePath: path(relative)))
        return try JSONValue.parse(Array(data))
    }

    static func encode(_ value: JSONValue) throws -> [UInt8] {
        JSONWriter.serialize(value)
    }

    static func hex(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = string.utf8.makeIterator()
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return c - UInt8(ascii: "A") + 10
            }
        }
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(nibble(high) << 4 | nibble(low))
        }
        return bytes
    }
}
