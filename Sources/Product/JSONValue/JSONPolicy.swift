/// What a document may be besides well-formed: the grammar (strict RFC 8259) is the same for every
/// caller; the policy says how deep it may nest and how numbers become `JSONValue`s.
///
/// Repeated member names are not a policy: they are refused under every policy, because parsers
/// disagree on which one wins (first, last, both), so a document with one can mean one thing to the
/// code that checks it and another to the code that uses it (RFC 8259 §4, RFC 7493 §2.3,
/// RFC 7515 §5.2).
public struct JSONPolicy: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted: deeper input is an error, never a stack
    /// overflow.
    public var maxDepth: Int
    /// Whether a number written with a fraction or an exponent that is an exact whole number
    /// (`1e3`, `2.0`) becomes `.int` when it fits in `Int64`. When false only integer literals
    /// become `.int` and `1e3` is `.double(1000)`.
    public var wholeNumbersAsIntegers: Bool

    public init(maxDepth: Int, wholeNumbersAsIntegers: Bool) {
        self.maxDepth = maxDepth
        self.wholeNumbersAsIntegers = wholeNumbersAsIntegers
    }

    /// Events, request bodies, Cognito answers: nesting to 512, whole numbers as integers.
    public static let standard = JSONPolicy(maxDepth: 512, wholeNumbersAsIntegers: true)

    /// JOSE headers, JWT claims and JWKS documents. They are attacker-controlled and Cognito's are
    /// flat, so nesting is kept shallow (32), which bounds the work a forged token can ask for
    /// before its signature is checked; numbers stay as written (`exp: 1e9` is a double).
    public static let jose = JSONPolicy(maxDepth: 32, wholeNumbersAsIntegers: false)
}
