/// Strict base64url (RFC 4648 §5) as JWS compact serialization (RFC 7515 §2) and PKCE (RFC 7636)
/// use it: alphabet `A–Z a–z 0–9 - _` only, no padding, no whitespace, and the unused low bits of
/// the last character must be zero.
///
/// Security: only one encoding of each byte string is accepted, so a token cannot be varied
/// (padding, `+`/`/`, trailing bits) while its signature still verifies.
public enum Base64URL {
    /// How many bytes `characters` base64url characters decode to; nil for a length no unpadded
    /// encoding has.
    @inlinable @inline(__always)
    public static func decodedCount(_ characters: Int) -> Int? {
        Base64Alphabet.decodedCount(unpadded: characters)
    }

    /// Decodes `input` into `out`, which has room for `decodedCount(input.count)` bytes; false
    /// when it is not canonical unpadded base64url (then `out` holds garbage).
    public static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        Base64Alphabet.url.decodeUnpadded(input, into: out)
    }

    /// The decoded bytes, or nil when `input` is not canonical unpadded base64url.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        Base64Alphabet.url.decodeUnpadded(input)
    }

    /// The decoded bytes, or nil when `text` is not canonical unpadded base64url.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decode($0) }) { return decoded }
        return Array(text.utf8).withUnsafeBufferPointer { decode($0) }
    }

    /// Unpadded base64url of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Alphabet.url.encode(Array(bytes), padded: false)
    }
}
