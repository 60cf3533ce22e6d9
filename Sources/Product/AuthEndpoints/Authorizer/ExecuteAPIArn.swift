import JSONValue

/// An API Gateway method or route ARN:
/// `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resource path}`.
struct ExecuteAPIArn: Sendable, Equatable {
    /// Everything up to and including `{stage}/`: the prefix of every resource of this API stage.
    var base: String
    var method: [UInt8]
    /// The resource path with its leading `/` (`/` for the root).
    var path: [UInt8]

    /// Where the parts are in the ARN's bytes.
    struct Layout: Equatable {
        /// Length of `base` (up to and including `{stage}/`).
        var baseLength: Int
        var method: Range<Int>
        /// The resource path without its leading `/` (empty for the root).
        var resource: Range<Int>
    }

    /// Nil unless the bytes have exactly that shape (six `:` fields, then apiId, stage and method).
    static func parse(_ arn: ArraySlice<UInt8>) -> ExecuteAPIArn? {
        arn.withUnsafeBufferPointer { bytes -> ExecuteAPIArn? in
            guard let layout = layout(bytes) else { return nil }
            var path: [UInt8] = [UInt8(ascii: "/")]
            path.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[layout.resource]))
            return ExecuteAPIArn(
                base: String(decoding: UnsafeBufferPointer(rebasing: bytes[..<layout.baseLength]), as: UTF8.self),
                method: Array(UnsafeBufferPointer(rebasing: bytes[layout.method])), path: path)
        }
    }

    /// Whether `parse` would accept `arn`, without building the parts.
    static func isWellFormed(_ arn: UnsafeBufferPointer<UInt8>) -> Bool {
        layout(arn) != nil
    }

    /// The layout of an ARN of that shape, found in one pass without copying; nil otherwise.
    static func layout(_ bytes: UnsafeBufferPointer<UInt8>) -> Layout? {
        // The first five `:` end arn, partition, execute-api, region and account; the rest is
        // the resource (it may hold more `:`).
        var colons = (0, 0, 0, 0, 0)
        var found = 0
        var index = 0
        while found < 5, index < bytes.count {
            if bytes[index] == UInt8(ascii: ":") {
                switch found {
                case 0: colons.0 = index
                case 1: colons.1 = index
                case 2: colons.2 = index
                case 3: colons.3 = index
                default: colons.4 = index
                }
                found += 1
            }
            index += 1
        }
        guard found == 5, colons.0 == 3, bytes[0] == UInt8(ascii: "a"), bytes[1] == UInt8(ascii: "r"), bytes[2] == UInt8(ascii: "n"),
            colons.1 > colons.0 + 1, colons.2 - colons.1 - 1 == 11,
            ExactBytes.equal(UnsafeBufferPointer(rebasing: bytes[(colons.1 + 1)..<colons.2]), literal: "execute-api"),
            colons.3 > colons.2 + 1, colons.4 > colons.3 + 1
        else { return nil }
        // apiId/stage/METHOD[/path]: the first three `/`-separated parts must not be empty.
        var start = colons.4 + 1
        var slashes = (0, 0, 0)
        var slashCount = 0
        index = start
        while slashCount < 3, index < bytes.count {
            if bytes[index] == UInt8(ascii: "/") {
                switch slashCount {
                case 0: slashes.0 = index
                case 1: slashes.1 = index
                default: slashes.2 = index
                }
                slashCount += 1
            }
            index += 1
        }
        guard slashCount >= 2, slashes.0 > start, slashes.1 > slashes.0 + 1 else { return nil }
        start = slashes.1 + 1
        let methodEnd = slashCount == 3 ? slashes.2 : bytes.count
        guard methodEnd > start else { return nil }
        let resource = slashCount == 3 ? (slashes.2 + 1)..<bytes.count : bytes.count..<bytes.count
        return Layout(baseLength: slashes.1 + 1, method: start..<methodEnd, resource: resource)
    }
}
