import Foundation
import WireCoding

/// Evaluates CloudFormation intrinsic functions against parameter values, pseudo parameters and
/// the template's own conditions. A `Ref`/`Fn::GetAtt` to a resource has no deployed value
/// locally: it resolves to a placeholder (`local-<LogicalId>`, or a Lambda ARN for a function's
/// `Arn`) and is recorded in `placeholdersUsed`, so the caller can warn where one would matter.
public final class IntrinsicResolver {
    public let region: String
    public let accountId = "123456789012"
    public let stackName = "local"
    let parameters: [String: ResolvedValue]
    let conditionDefinitions: [String: TemplateValue]
    let mappings: [String: TemplateValue]
    let resources: [String: TemplateValue]
    let globals: TemplateValue?
    private var conditionValues: [String: Bool] = [:]
    private var evaluating: Set<String> = []
    /// Resource references resolved to placeholders since the last `reset`.
    public private(set) var placeholdersUsed: [String] = []

    public init(template: TemplateValue, parameters: [String: ResolvedValue], region: String) {
        self.parameters = parameters
        self.region = region
        self.conditionDefinitions = template["Conditions"]?.members ?? [:]
        self.mappings = template["Mappings"]?.members ?? [:]
        self.resources = template["Resources"]?.members ?? [:]
        self.globals = template["Globals"]
    }

    public func resetPlaceholders() { placeholdersUsed = [] }

    public func condition(_ name: String) throws -> Bool {
        if let known = conditionValues[name] { return known }
        guard let definition = conditionDefinitions[name] else { throw LocalAPIError("unknown condition \(name)") }
        guard evaluating.insert(name).inserted else { throw LocalAPIError("condition \(name) refers to itself") }
        defer { evaluating.remove(name) }
        let value = try boolean(definition, "condition \(name)")
        conditionValues[name] = value
        return value
    }

    public func resolve(_ value: TemplateValue) throws -> ResolvedValue {
        switch value {
        case .scalar(let text): return .string(text)
        case .null: return .noValue
        case .list(let items):
            return .list(try items.map(resolve).filter { $0 != .noValue })
        case .map(let members):
            if members.count == 1, let (name, argument) = members.first,
                name == "Ref" || name == "Condition" || name.hasPrefix("Fn::")
            {
                return try function(name, argument)
            }
            var resolved: [String: ResolvedValue] = [:]
            for (key, member) in members {
                let value = try resolve(member)
                if value != .noValue { resolved[key] = value }
            }
            return .map(resolved)
        }
    }

    func boolean(_ value: TemplateValue, _ what: String) throws -> Bool {
        guard let bool = try resolve(value).bool else { throw LocalAPIError("\(what) is not a boolean") }
        return bool
    }

    func function(_ name: String, _ argument: TemplateValue) throws -> ResolvedValue {
        switch name {
        case "Ref":
            guard let target = argument.string else { throw LocalAPIError("Ref needs a name") }
            return try reference(target)
        case "Condition":
            guard let target = argument.string else { throw LocalAPIError("Condition needs a name") }
            return .string(try condition(target) ? "true" : "false")
        case "Fn::GetAtt":
            let parts = try resolve(argument).strings ?? []
            guard parts.count == 2 else { throw LocalAPIError("Fn::GetAtt needs [Resource, Attribute]") }
            return try attribute(parts[0], parts[1])
        case "Fn::If":
            guard let items = argument.items, items.count == 3, let condition = items[0].string else {
                throw LocalAPIError("Fn::If needs [Condition, then, else]")
            }
            return try resolve(try self.condition(condition) ? items[1] : items[2])
        case "Fn::Equals":
            guard let items = argument.items, items.count == 2 else { throw LocalAPIError("Fn::Equals needs two values") }
            return .string(try resolve(items[0]) == resolve(items[1]) ? "true" : "false")
        case "Fn::Not":
            guard let items = argument.items, items.count == 1 else { throw LocalAPIError("Fn::Not needs one condition") }
            return .string(try boolean(items[0], "Fn::Not") ? "false" : "true")
        case "Fn::And", "Fn::Or":
            guard let items = argument.items, (2...10).contains(items.count) else {
                throw LocalAPIError("\(name) needs 2 to 10 conditions")
            }
            let values = try items.map { try boolean($0, name) }
            let result = name == "Fn::And" ? values.allSatisfy { $0 } : values.contains(true)
            return .string(result ? "true" : "false")
        case "Fn::Join":
            guard let items = argument.items, items.count == 2, let delimiter = items[0].string else {
                throw LocalAPIError("Fn::Join needs [delimiter, list]")
            }
            guard let parts = try resolve(items[1]).strings else { throw LocalAPIError("Fn::Join needs a list of strings") }
            return .string(parts.joined(separator: delimiter))
        case "Fn::Select":
            guard let items = argument.items, items.count == 2, let index = try resolve(items[0]).string.flatMap({ Int($0) }),
                let list = try resolve(items[1]).items
            else { throw LocalAPIError("Fn::Select needs [index, list]") }
            guard list.indices.contains(index) else { throw LocalAPIError("Fn::Select index \(index) out of range") }
            return list[index]
        case "Fn::Split":
            guard let items = argument.items, items.count == 2, let delimiter = items[0].string, !delimiter.isEmpty,
                let text = try resolve(items[1]).string
            else { throw LocalAPIError("Fn::Split needs [delimiter, string]") }
            return .list(text.components(separatedBy: delimiter).map { .string($0) })
        case "Fn::Sub":
            return .string(try substitute(argument))
        case "Fn::Base64":
            guard let text = try resolve(argument).string else { throw LocalAPIError("Fn::Base64 needs a string") }
            return .string(Base64.encode(text.utf8))
        case "Fn::FindInMap":
            guard let items = argument.items, items.count == 3 else { throw LocalAPIError("Fn::FindInMap needs three values") }
            let keys = try items.map { try resolve($0).string ?? "" }
            guard let value = mappings[keys[0]]?[keys[1]]?[keys[2]] else {
                throw LocalAPIError("Fn::FindInMap \(keys.joined(separator: "/")) not found")
            }
            return try resolve(value)
        default:
            throw LocalAPIError("\(name) cannot be evaluated locally")
        }
    }

    func reference(_ name: String) throws -> ResolvedValue {
        switch name {
        case "AWS::Region": return .string(region)
        case "AWS::AccountId": return .string(accountId)
        case "AWS::StackName": return .string(stackName)
        case "AWS::StackId":
            return .string("arn:aws:cloudformation:\(region):\(accountId):stack/\(stackName)/00000000-0000-4000-8000-000000000000")
        case "AWS::Partition": return .string("aws")
        case "AWS::URLSuffix": return .string("amazonaws.com")
        case "AWS::NoValue": return .noValue
        case "AWS::NotificationARNs": return .list([])
        default: break
        }
        if let value = parameters[name] { return value }
        // SAM: `!Ref Function.Alias` is the ARN of the AutoPublishAlias (qualified function ARN).
        if name.hasSuffix(".Alias"), let function = resources[String(name.dropLast(6))],
            function["Type"]?.string == "AWS::Serverless::Function"
        {
            let alias = Self.aliasName(function, globals: globals)
            return .string(Self.functionARN(String(name.dropLast(6)), region: region, accountId: accountId) + ":" + alias)
        }
        if resources[name] != nil {
            placeholdersUsed.append(name)
            return .string("local-\(name)")
        }
        throw LocalAPIError("Ref to unknown name \(name)")
    }

    func attribute(_ resource: String, _ attribute: String) throws -> ResolvedValue {
        guard let definition = resources[resource] else { throw LocalAPIError("Fn::GetAtt of unknown resource \(resource)") }
        if attribute == "Arn", definition["Type"]?.string == "AWS::Serverless::Function" {
            return .string(Self.functionARN(resource, region: region, accountId: accountId))
        }
        placeholdersUsed.append("\(resource).\(attribute)")
        return .string("local-\(resource)-\(attribute)")
    }

    /// The function's AutoPublishAlias (its own, else Globals.Function's); `live` when it names none
    /// as a plain string.
    static func aliasName(_ function: TemplateValue, globals: TemplateValue?) -> String {
        function["Properties"]?["AutoPublishAlias"]?.string ?? globals?["Function"]?["AutoPublishAlias"]?.string ?? "live"
    }

    public static func functionARN(_ logicalId: String, region: String, accountId: String) -> String {
        "arn:aws:lambda:\(region):\(accountId):function:\(logicalId)"
    }

    /// `${Name}`, `${Resource.Attribute}` and `${!Literal}` (→ `${Literal}`), with optional variables.
    func substitute(_ argument: TemplateValue) throws -> String {
        var template: String
        var variables: [String: ResolvedValue] = [:]
        if let text = argument.string {
            template = text
        } else if let items = argument.items, items.count == 2, let text = items[0].string, let map = items[1].members {
            template = text
            for (key, value) in map { variables[key] = try resolve(value) }
        } else {
            throw LocalAPIError("Fn::Sub needs a string or [string, variables]")
        }
        var output = ""
        while let start = template.range(of: "${") {
            output += template[..<start.lowerBound]
            guard let end = template[start.upperBound...].firstIndex(of: "}") else {
                throw LocalAPIError("Fn::Sub: unclosed ${ in \(template)")
            }
            let name = String(template[start.upperBound..<end])
            template = String(template[template.index(after: end)...])
            if name.hasPrefix("!") {
                output += "${\(name.dropFirst())}"
                continue
            }
            let value: ResolvedValue
            if let variable = variables[name] {
                value = variable
            } else if let dot = name.firstIndex(of: "."), !name.hasPrefix("AWS::") {
                value = try attribute(String(name[..<dot]), String(name[name.index(after: dot)...]))
            } else {
                value = try reference(name)
            }
            guard let text = value.string else { throw LocalAPIError("Fn::Sub: ${\(name)} is not a string") }
            output += text
        }
        return output + template
    }
}
