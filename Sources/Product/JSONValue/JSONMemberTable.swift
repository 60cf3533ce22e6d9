/// The top-level member names a caller locates with `JSONMemberLocator`, with their fingerprints
/// (computed once). A name's index in the table is its slot in the located spans.
public struct JSONMemberTable: Sendable {
    let names: [[UInt8]]
    let fingerprints: [UInt64]
    /// Slot indices by the low bits of the fingerprint (-1: none), chained through `next`: a
    /// member name is checked against one or two candidates, not every name.
    private let buckets: [Int8]
    private let next: [Int8]
    private static let bucketMask: UInt64 = 63

    /// Names must be ASCII without `K`, `;` or `` ` ``: for those, byte equality (what the locator
    /// matches on) is `String` equality (what `JSONValue`'s dictionaries use), because no other
    /// string is canonically equivalent to them; those three are the only ASCII characters with
    /// non-ASCII canonical equivalents.
    public init(_ names: [String]) {
        self.init(bytes: names.map { Array($0.utf8) })
    }

    init(bytes names: [[UInt8]]) {
        precondition(names.allSatisfy { $0.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "K") && $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "`") } })
        precondition(names.count <= Int(Int8.max))
        self.names = names
        let fingerprints = names.map { name in name.withUnsafeBufferPointer { ExactBytes.fingerprint($0) } }
        self.fingerprints = fingerprints
        var buckets = [Int8](repeating: -1, count: Int(Self.bucketMask) + 1)
        var next = [Int8](repeating: -1, count: names.count)
        for slot in names.indices.reversed() {
            let bucket = Int(fingerprints[slot] & Self.bucketMask)
            next[slot] = buckets[bucket]
            buckets[bucket] = Int8(slot)
        }
        self.buckets = buckets
        self.next = next
    }

    public var count: Int { names.count }

    /// The slot of the name whose bytes are `name` (with fingerprint `fingerprint`), or -1.
    @inline(__always)
    func slot(of name: UnsafeBufferPointer<UInt8>, fingerprint: UInt64) -> Int {
        var slot = Int(buckets[Int(fingerprint & Self.bucketMask)])
        while slot >= 0 {
            // Performance: the names array is read in place (`names[slot]` would copy the inner
            // array, a retain and a release per located member).
            if fingerprints[slot] == fingerprint,
                names.withUnsafeBufferPointer({ $0[slot].withUnsafeBufferPointer { ExactBytes.sameFingerprinted($0, name) } }) {
                return slot
            }
            slot = Int(next[slot])
        }
        return -1
    }
}
