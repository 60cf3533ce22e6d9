/// A template value with every intrinsic function evaluated. Booleans are the strings
/// `"true"`/`"false"`, as CloudFormation passes them on.
public indirect enum ResolvedValue: Sendable, Equatable {
    case string(String)
    case list([ResolvedValue])
    case map([String: ResolvedValue])
    /// `AWS::NoValue`: the property is removed.
    case noValue

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var items: [ResolvedValue]? {
        if case .list(let items) = self { return items }
        return nil
    }

    public var members: [String: ResolvedValue]? {
        if case .map(let members) = self { return members }
        return nil
    }

    public subscript(key: String) -> ResolvedValue? {
        if case .map(let members) = self { return members[key] }
        return nil
    }

    /// Strings as themselves; a list of strings as its items (CommaDelimitedList parameters).
    public var strings: [String]? {
        switch self {
        case .string(let text): return [text]
        case .list(let items): return items.compactMap(\.string).count == items.count ? items.compactMap(\.string) : nil
        default: return nil
        }
    }

    public var bool: Bool? {
        switch string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}
