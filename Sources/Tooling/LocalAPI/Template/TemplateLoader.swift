import Foundation
import Yams

/// Reads a SAM/CloudFormation template with Yams. Short-form intrinsic tags become their long
/// form; any other non-standard tag is an error (never silently read as a plain value).
public enum TemplateLoader {
    public static func load(path: String) throws -> TemplateValue {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try parse(text)
    }

    public static func parse(_ text: String) throws -> TemplateValue {
        guard let node = try Yams.compose(yaml: text) else { throw LocalAPIError("the template is empty") }
        return try convert(node)
    }

    static let functionTags: Set<String> = [
        "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
        "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length",
    ]

    static func convert(_ node: Node) throws -> TemplateValue {
        let tag = node.tag.description
        let plain = try convertPlain(node)
        guard tag.hasPrefix("!"), !tag.hasPrefix("!!") else { return plain }
        let name = String(tag.dropFirst())
        switch name {
        case "Ref":
            return .map(["Ref": plain])
        case "Condition":
            return .map(["Condition": plain])
        case "GetAtt":
            if case .scalar(let text) = plain {
                guard let dot = text.firstIndex(of: ".") else {
                    throw LocalAPIError("!GetAtt \(text) at line \(node.mark?.line ?? 0): expected Resource.Attribute")
                }
                return .map(["Fn::GetAtt": .list([.scalar(String(text[..<dot])), .scalar(String(text[text.index(after: dot)...]))])])
            }
            return .map(["Fn::GetAtt": plain])
        default:
            guard functionTags.contains(name) else {
                throw LocalAPIError("unknown YAML tag \(tag) at line \(node.mark?.line ?? 0)")
            }
            return .map(["Fn::\(name)": plain])
        }
    }

    static func convertPlain(_ node: Node) throws -> TemplateValue {
        switch node {
        case .scalar(let scalar):
            if node.tag.description == Tag.Name.null.rawValue, scalar.style == .plain { return .null }
            return .scalar(scalar.string)
        case .sequence(let sequence):
            return .list(try sequence.map(convert))
        case .mapping(let mapping):
            var members: [String: TemplateValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw LocalAPIError("a non-scalar mapping key at line \(key.mark?.line ?? 0)")
                }
                guard members[keyScalar.string] == nil else {
                    throw LocalAPIError("duplicate key \(keyScalar.string) at line \(key.mark?.line ?? 0)")
                }
                members[keyScalar.string] = try convert(value)
            }
            return .map(members)
        case .alias:
            throw LocalAPIError("YAML aliases are not supported in a CloudFormation template (line \(node.mark?.line ?? 0))")
        }
    }
}
