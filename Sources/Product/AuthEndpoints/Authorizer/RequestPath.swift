import JSONValue

/// The request paths the authorizer decides on.
enum RequestPath {
    /// Whether a path reads the same to every component that might interpret it: no `%` escapes
    /// (API Gateway may route `/%61dmin` to `/admin` while a rule compares the bytes), no empty
    /// segment (`//`), no segment ending in `.` (`.`, `..`, and `admin.`, which Windows-style and
    /// some Java backends read as `admin`), no `;` (path parameters: servlet containers route
    /// `/admin;x=1` and `/..;/admin` by what is left without them) and no `\` (read as `/` by
    /// several servers). A trailing `/` is allowed (rules cover it).
    ///
    /// Security: a path that is not unambiguous is refused, never matched "best effort": matching
    /// it against the rules could skip the rule the backend's routing actually applies.
    static func isUnambiguous(_ path: [UInt8]) -> Bool {
        path.withUnsafeBufferPointer { isUnambiguous($0) }
    }

    static func isUnambiguous(_ path: ArraySlice<UInt8>) -> Bool {
        path.withUnsafeBufferPointer { isUnambiguous($0) }
    }

    static func isUnambiguous(_ path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard path.first == UInt8(ascii: "/") else { return false }
        var segmentStart = 1
        var index = 1
        while index <= path.count {
            if index == path.count || path[index] == UInt8(ascii: "/") {
                let length = index - segmentStart
                let isLast = index == path.count
                if length == 0, !isLast { return false }
                if length > 0, path[index - 1] == UInt8(ascii: ".") { return false }
                segmentStart = index + 1
            } else {
                let byte = path[index]
                if byte == UInt8(ascii: "%") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\\") { return false }
            }
            index += 1
        }
        return true
    }

    /// How many leading bytes of an HTTP API 2.0 `rawPath` are its stage: API Gateway puts a named
    /// stage first in `rawPath` (`/prod/admin`; not `$default`). 0 when it does not start with it.
    static func stagePrefixLength(_ rawPath: UnsafeBufferPointer<UInt8>, stage: UnsafeBufferPointer<UInt8>) -> Int {
        guard stage.count > 0, !ExactBytes.equal(stage, literal: "$default"), rawPath.count > stage.count, rawPath[0] == UInt8(ascii: "/"),
            ExactBytes.equal(UnsafeBufferPointer(rebasing: rawPath[1..<(stage.count + 1)]), stage),
            rawPath.count == stage.count + 1 || rawPath[stage.count + 1] == UInt8(ascii: "/")
        else { return 0 }
        return stage.count + 1
    }
}
