/// The methods a request counts as, as `RoutePattern.methodBits`.
struct MethodSet {
    /// The Allow side: the exact method (`HEAD` also as `GET`), or `otherMethodBit`.
    var exact: UInt8
    /// The Deny side: `exact` and the method read ASCII case-insensitively.
    var folded: UInt8

    init(_ method: UnsafeBufferPointer<UInt8>) {
        exact = Self.bits(method, fold: false)
        folded = exact | Self.bits(method, fold: true)
    }

    private static func bits(_ method: UnsafeBufferPointer<UInt8>, fold: Bool) -> UInt8 {
        let index: Int?
        switch method.count {
        case 3: index = named(method, "GET", fold) ? 1 : (named(method, "PUT", fold) ? 6 : nil)
        case 4: index = named(method, "HEAD", fold) ? 2 : (named(method, "POST", fold) ? 5 : nil)
        case 5: index = named(method, "PATCH", fold) ? 4 : nil
        case 6: index = named(method, "DELETE", fold) ? 0 : nil
        case 7: index = named(method, "OPTIONS", fold) ? 3 : nil
        default: index = nil
        }
        guard let index else { return RoutePattern.otherMethodBit }
        let bit = UInt8(1) << UInt8(index)
        return index == 2 ? bit | RoutePattern.getBit : bit
    }

    @inline(__always)
    private static func named(_ bytes: UnsafeBufferPointer<UInt8>, _ upper: StaticString, _ fold: Bool) -> Bool {
        let literal = upper.utf8Start
        for index in 0..<bytes.count {
            // The literals are upper-case letters: `| 0x20` folds only letters onto them.
            if fold ? bytes[index] | 0x20 != literal[index] | 0x20 : bytes[index] != literal[index] { return false }
        }
        return true
    }
}
