/// Parses an `application/x-www-form-urlencoded` body (WHATWG URL standard: `+` is a space,
/// `%XX` a byte, pairs split on `&`). Returns nil when a percent escape or the UTF-8 is broken.
enum FormURLEncodedBody {
    static func parse(_ bytes: [UInt8]) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for field in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let halves = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(halves[0]) else { return nil }
            guard let value = halves.count > 1 ? decode(halves[1]) : "" else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }

    static func decode(_ component: ArraySlice<UInt8>) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.count)
        var index = component.startIndex
        while index < component.endIndex {
            let byte = component[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard component.distance(from: index, to: component.endIndex) >= 3,
                    let high = hexValue(component[index + 1]), let low = hexValue(component[index + 2])
                else { return nil }
                bytes.append(high << 4 | low)
                index += 2
            default:
                bytes.append(byte)
            }
            index += 1
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
