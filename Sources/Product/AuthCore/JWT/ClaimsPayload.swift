import JSONValue

/// A signature-verified payload that passed the strict parser, with where the string claims a
/// `VerifiedAccessToken` exposes are in it. Claims are decoded when read, not during verification:
/// most requests read one or two of them, or none.
struct ClaimsPayload: Sendable {
    var bytes: [UInt8]
    var sub: StrictJSONParser.ValueSpan
    var username: StrictJSONParser.ValueSpan
    var scope: StrictJSONParser.ValueSpan
    /// A `.stringArray` or absent (the verifier refuses any other `cognito:groups`).
    var groups: StrictJSONParser.ValueSpan
    var jti: StrictJSONParser.ValueSpan
    var originJti: StrictJSONParser.ValueSpan

    /// The string claim at `span` (nil when absent).
    func string(_ span: StrictJSONParser.ValueSpan) -> String? {
        guard span.isPresent else { return nil }
        return bytes.withUnsafeBufferPointer { StrictJSONParser.string(of: span, in: $0) }
    }

    /// The strings of the array at `span` (empty when absent).
    func strings(_ span: StrictJSONParser.ValueSpan) -> [String] {
        guard span.isPresent else { return [] }
        return bytes.withUnsafeBufferPointer { StrictJSONParser.strings(of: span, in: $0) } ?? []
    }

    /// Whether the string at `span` is present and not empty, without decoding it (a string
    /// with an escape has at least one character).
    func hasNonEmptyString(_ span: StrictJSONParser.ValueSpan) -> Bool {
        span.isString && span.end - span.start > 2
    }

    /// Every claim, as sent.
    var claims: [String: JSONValue] {
        // The payload passed the same strict parser's checks during verification.
        (try? StrictJSONParser.parseObject(bytes)) ?? [:]
    }
}
