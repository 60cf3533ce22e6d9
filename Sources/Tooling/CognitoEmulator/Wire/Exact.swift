/// Byte-exact string comparison for every decision that grants or refuses access (client ids,
/// redirect URIs, codes, tokens, usernames, scopes, parameter names).
///
/// Swift's `String ==`, `contains`, `hasPrefix` and `Set`/`Dictionary` lookups compare by
/// Unicode canonical equivalence: `"caf\u{e9}" == "cafe\u{301}"` and `"\u{212A}" == "K"`
/// (KELVIN SIGN) are true. OAuth (RFC 6749 §3.1.2.3 simple string comparison) and JOSE
/// (RFC 7515 §5.3) compare code points/bytes, so would a real Cognito; the emulator must not
/// accept a value Cognito would refuse. Secrets use `ConstantTime` (also byte-exact).
enum Exact {
    static func equals(_ lhs: String?, _ rhs: String) -> Bool {
        guard let lhs else { return false }
        return lhs.utf8.elementsEqual(rhs.utf8)
    }

    static func contains(_ list: some Sequence<String>, _ value: String?) -> Bool {
        guard let value else { return false }
        return list.contains(where: { $0.utf8.elementsEqual(value.utf8) })
    }

    /// Dictionary key for byte-exact lookups.
    static func key(_ value: String) -> [UInt8] { Array(value.utf8) }

    /// The part after `scheme ` (e.g. `Basic `, `Bearer `) in an Authorization header, matching
    /// the scheme ASCII-case-insensitively on bytes (RFC 9110 §11.1), or nil.
    static func credentials(_ header: String, scheme: String) -> String? {
        let bytes = Array(header.utf8), prefix = Array(scheme.utf8) + [UInt8(ascii: " ")]
        guard bytes.count >= prefix.count else { return nil }
        for (byte, expected) in zip(bytes, prefix) where asciiLower(byte) != asciiLower(expected) { return nil }
        return String(decoding: bytes[prefix.count...], as: UTF8.self)
    }

    /// Splits on an ASCII byte (e.g. `.` of a JWS), so a combining mark after it cannot merge
    /// it into one Character and hide it.
    static func split(_ value: String, on separator: UInt8) -> [Substring] {
        value.utf8.split(separator: separator, omittingEmptySubsequences: false).map { Substring($0) }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
