/// The request paths the authorizer decides on.
enum RequestPath {
    /// Whether a path reads the same to every component that might interpret it: no `%` escapes
    /// (API Gateway may route `/%61dmin` to `/admin` while a rule compares the bytes), no empty
    /// segment (`//`) and no `.` or `..` segment. A trailing `/` is allowed.
    ///
    /// Security: a path that is not unambiguous is refused, never matched "best effort": matching
    /// it against the rules could skip the rule API Gateway's routing actually applies.
    static func isUnambiguous(_ path: [UInt8]) -> Bool {
        path.withUnsafeBufferPointer { isUnambiguous($0) }
    }

    static func isUnambiguous(_ path: ArraySlice<UInt8>) -> Bool {
        path.withUnsafeBufferPointer { isUnambiguous($0) }
    }

    private static func isUnambiguous(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard path.first == UInt8(ascii: "/") else { return false }
        var segmentStart = 1
        var index = 1
        while index <= path.count {
            if index == path.count || path[index] == UInt8(ascii: "/") {
                let length = index - segmentStart
                let isLast = index == path.count
                if length == 0, !isLast { return false }
                if length == 1, path[segmentStart] == UInt8(ascii: ".") { return false }
                if length == 2, path[segmentStart] == UInt8(ascii: "."), path[segmentStart + 1] == UInt8(ascii: ".") { return false }
                segmentStart = index + 1
            } else if path[index] == UInt8(ascii: "%") {
                return false
            }
            index += 1
        }
        return true
    }
}
