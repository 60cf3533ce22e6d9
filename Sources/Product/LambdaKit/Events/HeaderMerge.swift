/// The one rule for an API Gateway event's two header maps, used by `LambdaEventDecoder` (every
/// header of a REST, payload 1.0 or ALB request) and `AuthorizerEvent` (the Authorization values a
/// decision reads), so a handler and the authorizer always see the same headers.
///
/// REST APIs and payload format 1.0 send each header twice: `multiValueHeaders` with every value
/// of each name, `headers` with the last value of each. Merged as API Gateway documents merging
/// the two maps ("if the same key-value pair is specified in both, only the values from
/// multiValueHeaders will appear in the merged list",
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#apigateway-multivalue-headers-and-parameters):
/// every `multiValueHeaders` value, then each `headers` value that `multiValueHeaders` does not list
/// under the same name in any case (names are ASCII case-insensitive, RFC 9110 §5.1). Payload 2.0
/// has only `headers` (repeats comma-joined into one value), so it reads unchanged.
///
/// Security: two members of `headers` are two headers even when only the case of their names
/// differs and they hold one value. The docs are silent on how API Gateway fills `headers` for
/// such a request; counting both keeps a second Authorization header visible (and refused)
/// instead of folding it away.
enum HeaderMerge {
    /// Whether a `headers` value is a header of its own, given `multiValues`, the
    /// `multiValueHeaders` values of its name.
    @inline(__always)
    static func counts<Values: Sequence>(
        _ single: Values.Element, among multiValues: Values, same: (Values.Element, Values.Element) -> Bool
    ) -> Bool {
        !multiValues.contains { same($0, single) }
    }

    /// The values of one header name (the caller picked the name's members in any case).
    @inline(__always)
    static func values<Value>(multi: [Value], single: [Value], same: (Value, Value) -> Bool) -> [Value] {
        if multi.isEmpty { return single }
        var merged = multi
        for value in single where counts(value, among: multi, same: same) { merged.append(value) }
        return merged
    }

    /// Every header: each `multi` name's values, then the `single` values that count, in order.
    static func headers(multi: [(String, [String])], single: [(String, String)]) -> [(name: String, value: String)] {
        var merged: [(name: String, value: String)] = []
        merged.reserveCapacity(single.count + multi.count)
        for (name, values) in multi {
            for value in values { merged.append((name, value)) }
        }
        for (name, value) in single {
            let multiValues = multi.lazy.filter { sameName($0.0, name) }.flatMap(\.1)
            if counts(value, among: multiValues, same: ==) { merged.append((name, value)) }
        }
        return merged
    }

    /// ASCII case-insensitive: a byte outside ASCII never folds.
    static func sameName(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8) { x, y in fold(x) == fold(y) }
    }

    @inline(__always)
    private static func fold(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
