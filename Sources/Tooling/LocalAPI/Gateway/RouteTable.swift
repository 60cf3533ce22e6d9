/// Matches a request to a route as HTTP API does: the most specific path wins (literal segments
/// over `{param}` over `{proxy+}`), a route with the method over `ANY`, `$default` last.
public struct RouteTable: Sendable {
    public struct Match: Sendable {
        public var route: StackDescription.Route
        public var pathParameters: [String: String]
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case greedy(String)
    }

    struct Entry: Sendable {
        var route: StackDescription.Route
        var segments: [Segment]
    }

    let entries: [Entry]
    let fallback: StackDescription.Route?

    public init(_ routes: [StackDescription.Route]) {
        entries = routes.filter { $0.path != "$default" }.map { Entry(route: $0, segments: Self.segments($0.path)) }
        fallback = routes.first { $0.path == "$default" }
    }

    static func segments(_ path: String) -> [Segment] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { part in
            if part.hasPrefix("{"), part.hasSuffix("+}") { return .greedy(String(part.dropFirst().dropLast(2))) }
            if part.hasPrefix("{"), part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }

    public func match(method: String, path: String) -> Match? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        var best: (score: [Int], match: Match)?
        for entry in entries where entry.route.method == method || entry.route.method == "ANY" {
            guard let parameters = Self.bind(entry.segments, parts) else { continue }
            let literals = entry.segments.filter { if case .literal = $0 { return true } else { return false } }.count
            let greedy = entry.segments.contains { if case .greedy = $0 { return true } else { return false } }
            let score = [greedy ? 0 : 1, literals, entry.route.method == "ANY" ? 0 : 1]
            if best == nil || best!.score.lexicographicallyPrecedes(score) {
                best = (score, Match(route: entry.route, pathParameters: parameters))
            }
        }
        if let best { return best.match }
        return fallback.map { Match(route: $0, pathParameters: [:]) }
    }

    /// Path parameters when `parts` (the request path split on `/`) fits `segments`.
    static func bind(_ segments: [Segment], _ parts: [String]) -> [String: String]? {
        // "/" is one empty part; a template of no segments matches only it.
        let parts = parts == [""] ? [] : parts
        var parameters: [String: String] = [:]
        var index = 0
        for (position, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard index < parts.count, parts[index] == text else { return nil }
                index += 1
            case .parameter(let name):
                guard index < parts.count, !parts[index].isEmpty else { return nil }
                parameters[name] = parts[index]
                index += 1
            case .greedy(let name):
                guard position == segments.count - 1, index < parts.count else { return nil }
                let rest = parts[index...].joined(separator: "/")
                guard !rest.isEmpty else { return nil }
                parameters[name] = rest
                index = parts.count
            }
        }
        return index == parts.count ? parameters : nil
    }
}
