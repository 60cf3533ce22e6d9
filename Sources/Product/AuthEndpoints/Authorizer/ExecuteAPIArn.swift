/// An API Gateway method or route ARN:
/// `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resource path}`.
struct ExecuteAPIArn: Sendable, Equatable {
    /// Everything up to and including `{stage}/`: the prefix of every resource of this API stage.
    var base: String
    var method: [UInt8]
    /// The resource path with its leading `/` (`/` for the root).
    var path: [UInt8]

    /// Nil unless the text has exactly that shape (six `:` fields, then apiId, stage and method).
    static func parse(_ text: String) -> ExecuteAPIArn? {
        let bytes = Array(text.utf8)
        let fields = bytes.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, Array(fields[0]) == Array("arn".utf8), !fields[1].isEmpty,
            Array(fields[2]) == Array("execute-api".utf8), !fields[3].isEmpty, !fields[4].isEmpty
        else { return nil }
        let resource = fields[5]
        let parts = resource.split(separator: UInt8(ascii: "/"), maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        let baseLength = bytes.count - resource.count + parts[0].count + 1 + parts[1].count + 1
        let path: [UInt8] = [UInt8(ascii: "/")] + (parts.count == 4 ? Array(parts[3]) : [])
        return ExecuteAPIArn(base: String(decoding: bytes[..<baseLength], as: UTF8.self), method: Array(parts[2]), path: path)
    }
}
