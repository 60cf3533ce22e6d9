import JSONValue

/// The names of the string claims a caller reads from many verified tokens (the authorizer's
/// `claims` rule conditions), prepared once: `VerifiedAccessToken.stringClaims(_:)` reads them all
/// in one pass over the payload.
public struct StringClaimNames: Sendable, Equatable {
    public let names: [String]
    /// The locator's table, when every name is one it can match exactly (see `JSONMemberTable.init`:
    /// ASCII without `K`, `;`, `` ` ``); otherwise the payload is parsed and names compared as bytes.
    let table: JSONMemberTable?

    public init(_ names: [String]) {
        self.names = names
        let eligible = names.allSatisfy { name in
            name.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") }
        }
        table = eligible && !names.isEmpty && names.count <= Int(Int8.max) ? JSONMemberTable(names) : nil
    }

    public var isEmpty: Bool { names.isEmpty }

    public static func == (lhs: StringClaimNames, rhs: StringClaimNames) -> Bool {
        lhs.names.count == rhs.names.count && zip(lhs.names, rhs.names).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    /// The value of each name in `members` (nil: absent or not a string). Security: the member
    /// whose name has exactly the name's bytes, not a canonically equivalent one (`String` `==`).
    func values(in members: [String: JSONValue]) -> [String?] {
        names.map { name in
            members.first { $0.key.utf8.elementsEqual(name.utf8) }?.value.stringValue
        }
    }
}
