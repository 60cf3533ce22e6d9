/// Strict standard base64 (RFC 4648 §4): alphabet `A–Z a–z 0–9 + /`, always `=`-padded to a
/// multiple of four characters, as API Gateway bodies, HTTP Basic credentials and Cognito's
/// `SECRET_HASH` spell it.
///
/// Security: decoding accepts only the canonical spelling (the one `encode` produces). A lenient
/// decoder (Foundation's `.ignoreUnknownCharacters`, or accepting unpadded text or non-zero unused
/// bits) would read bytes nobody sent from a body corrupted or altered on the way, and give one
/// byte string several accepted spellings; here anything else is refused and the caller answers
/// it as malformed, never with a guess.
public enum Base64 {
    /// The decoded bytes, or nil when `text` is not canonical padded base64.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        if let decoded = text.utf8.withContiguousStorageIfAvailable({ decode($0) }) { return decoded }
        return Array(text.utf8).withUnsafeBufferPointer { decode($0) }
    }

    /// The decoded bytes, or nil when `input` is not canonical padded base64.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        // Unpadded base64 is refused: accepting both spellings would give one byte string two
        // encodings. A length that is not a multiple of 4 is therefore never canonical.
        guard count % 4 == 0 else { return nil }
        if count == 0 { return [] }
        // Padding may only be the last one or two characters. A `=` anywhere else stays in the
        // characters decoded below, where the table marks it invalid ("x===" and "====" included).
        let padding = input[count - 1] != pad ? 0 : input[count - 2] != pad ? 1 : 2
        // "QQ==" is "QQ" padded: the rest is the unpadded core's job (alphabet, unused bits).
        return Base64Alphabet.standard.decodeUnpadded(UnsafeBufferPointer(rebasing: input[..<(count - padding)]))
    }

    /// Padded standard base64 of `bytes`.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Alphabet.standard.encode(Array(bytes), padded: true)
    }

    private static let pad = UInt8(ascii: "=")
}
