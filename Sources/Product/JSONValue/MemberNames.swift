/// The member names seen in one object, for refusing a repeated one. Performance: objects of an
/// event have a handful of members, so the first 16 are compared in a plain array (no hashing);
/// a larger object moves to a `Set`. Names compare as `String`s in both, as the tree parser's
/// dictionary does (canonically equivalent names count as repeats: refused, never merged).
struct MemberNames {
    private var few: [String] = []
    private var many: Set<String>? = nil

    /// Adds `name`; false when it was already there.
    mutating func insert(_ name: String) -> Bool {
        if many != nil { return many!.insert(name).inserted }
        if few.contains(name) { return false }
        if few.count < 16 {
            if few.isEmpty { few.reserveCapacity(8) }
            few.append(name)
        } else {
            many = Set(few)
            many!.insert(name)
        }
        return true
    }
}
