/// A template node after YAML parsing, with CloudFormation's short-form tags turned into their
/// long form (`!Ref X` → `{"Ref": "X"}`, `!Sub s` → `{"Fn::Sub": s}`, `!GetAtt A.B` →
/// `{"Fn::GetAtt": ["A", "B"]}`), so one resolver handles both spellings.
public indirect enum TemplateValue: Sendable, Equatable {
    case scalar(String)
    case null
    case list([TemplateValue])
    case map([String: TemplateValue])

    public subscript(key: String) -> TemplateValue? {
        if case .map(let members) = self { return members[key] }
        return nil
    }

    public var string: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    public var members: [String: TemplateValue]? {
        if case .map(let members) = self { return members }
        return nil
    }

    public var items: [TemplateValue]? {
        if case .list(let items) = self { return items }
        return nil
    }
}
