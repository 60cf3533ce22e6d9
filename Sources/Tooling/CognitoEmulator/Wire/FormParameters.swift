/// A parsed parameter list with first-value lookup.
struct FormParameters: Sendable {
    var pairs: [(name: String, value: String)]

    init(_ pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    /// Names match byte-exactly (`Exact`): a canonically equivalent spelling is another name.
    subscript(name: String) -> String? {
        pairs.first(where: { Exact.equals($0.name, name) })?.value
    }

    func has(_ name: String) -> Bool { self[name] != nil }

    /// Later sources override earlier ones (query, then form body).
    func merged(with other: FormParameters) -> FormParameters {
        var result = other
        for pair in pairs where other[pair.name] == nil { result.pairs.append(pair) }
        return result
    }
}
