import Foundation

/// Turns a parsed template into a `StackDescription`: parameters
/// (defaults, local defaults, overrides), conditions, Globals.Function merged into each function,
/// HttpApi events as routes, CORS and Lambda authorizers. Whatever it cannot honour becomes one
/// warning line each.
public struct StackReader {
    public var template: TemplateValue
    public var parameterOverrides: [String: String] = [:]
    /// Defaults used instead of the template's for parameters the template declares (e.g. the
    /// CORS origins and redirect URIs that follow the local port); overrides still win.
    public var localParameterDefaults: [String: String] = [:]
    /// Values for `COGNITO_*` (the emulator's, or the environment's with `--cognito real`).
    public var cognitoEnvironment: [String: String] = [:]
    public var region = "us-east-1"

    public init(template: TemplateValue) {
        self.template = template
    }

    static let knownTopLevel: Set<String> = [
        "AWSTemplateFormatVersion", "Transform", "Description", "Metadata", "Parameters", "Rules", "Mappings",
        "Conditions", "Globals", "Resources", "Outputs",
    ]
    static let functionProperties: Set<String> = [
        "Runtime", "Handler", "Architectures", "MemorySize", "Timeout", "Environment", "Events", "CodeUri", "Description",
        "FunctionName", "Tags",
    ]
    /// The `$context` variables the local API can supply as identity sources.
    static let contextIdentityNames: Set<String> = [
        "httpMethod", "path", "routeKey", "stage", "apiId", "accountId", "requestId", "identity.sourceIp", "domainName",
    ]
    static let httpApiProperties: Set<String> = ["CorsConfiguration", "Auth", "Description", "StageName", "Tags"]

    public func read() throws -> StackDescription {
        var stack = StackDescription()
        stack.region = region
        var warnings: [String] = []
        for key in (template.members ?? [:]).keys.sorted() where !Self.knownTopLevel.contains(key) {
            warnings.append("template section \(key) is not understood and is ignored")
        }
        let parameters = try resolveParameters()
        let resolver = IntrinsicResolver(template: template, parameters: parameters, region: region)
        stack.accountId = resolver.accountId
        // Rules are CloudFormation's check of what would be deployed: the template's defaults and
        // the overrides, not the local defaults (e.g. SameSite=Strict, which the one local origin
        // of app and API allows and the execute-api host would not).
        let deployed = IntrinsicResolver(
            template: template, parameters: try resolveParameters(localDefaults: false), region: region)
        warnings += checkRules(deployed)

        let resources = template["Resources"]?.members ?? [:]
        let globals = template["Globals"]?.members ?? [:]
        for key in globals.keys.sorted() where key != "Function" && key != "HttpApi" {
            warnings.append("Globals.\(key) is not served locally and is ignored")
        }
        let functionGlobals = globals["Function"]?.members ?? [:]
        let apiGlobals = globals["HttpApi"]?.members ?? [:]

        var included: [String: TemplateValue] = [:]
        for (logicalId, resource) in resources {
            if let condition = resource["Condition"]?.string, try !resolver.condition(condition) { continue }
            included[logicalId] = resource
        }

        var notEmulated: [String: [String]] = [:]
        for logicalId in included.keys.sorted() {
            let resource = included[logicalId]!
            let type = resource["Type"]?.string ?? ""
            switch type {
            case "AWS::Serverless::HttpApi":
                let properties = Self.merge(apiGlobals, resource["Properties"]?.members ?? [:])
                stack.apis[logicalId] = try readAPI(logicalId, properties, resolver, &warnings)
            case "AWS::Serverless::Function", "AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient",
                "AWS::Cognito::UserPoolDomain":
                if type.hasPrefix("AWS::Cognito::") { stack.emulated.append(logicalId) }
            default:
                notEmulated[type, default: []].append(logicalId)
            }
        }
        for (type, ids) in notEmulated.sorted(by: { $0.key < $1.key }) {
            warnings.append(ids.count == 1
                ? "resource \(ids[0]) (\(type)) is not emulated locally"
                : "resources \(ids.joined(separator: ", ")) (\(type)) are not emulated locally")
        }

        // Deploy-time properties (aliases, logging, concurrency...) usually sit in Globals: one
        // line per property, naming the functions, rather than one per function and property.
        var unhonoured: [String: [String]] = [:]
        for logicalId in included.keys.sorted() where included[logicalId]!["Type"]?.string == "AWS::Serverless::Function" {
            let resource = included[logicalId]!
            let properties = Self.merge(functionGlobals, resource["Properties"]?.members ?? [:])
            guard let executable = FunctionExecutable.name(logicalId: logicalId) else {
                warnings.append("function \(logicalId): the logical id is not an executable's name followed by Function (SignInFunction is sign-in); it is not served")
                continue
            }
            if let method = resource["Metadata"]?["BuildMethod"]?.string, method != "makefile" {
                warnings.append("function \(logicalId): BuildMethod \(method) is not used; the executable \(executable) is run")
            }
            let function = try readFunction(logicalId, executable, properties, resolver, &warnings, &unhonoured)
            stack.functions[logicalId] = function
            let events = properties["Events"]?.members ?? [:]
            for eventName in events.keys.sorted() {
                let event = events[eventName]!
                let eventType = event["Type"]?.string ?? ""
                guard eventType == "HttpApi" else {
                    warnings.append("function \(logicalId): event \(eventName) of type \(eventType) is not served locally")
                    continue
                }
                if let route = try readRoute(logicalId, eventName, event["Properties"]?.members ?? [:], resolver, &stack, &warnings) {
                    stack.routes.append(route)
                }
            }
        }
        // Routes whose authorizer is unknown would be open locally and closed on AWS: refuse them.
        stack.routes.removeAll { route in
            guard let name = route.authorizer else { return false }
            if stack.apis[route.apiId]?.authorizers[name] == nil {
                warnings.append("route \(route.routeKey): authorizer \(name) is not defined or not supported; the route is not served")
                return true
            }
            return false
        }
        for api in stack.apis.values {
            for authorizer in api.authorizers.values where stack.functions[authorizer.functionId] == nil {
                warnings.append("authorizer \(authorizer.name): function \(authorizer.functionId) is not served; its routes answer 500")
            }
        }
        if stack.apis.count > 1 {
            warnings.append("\(stack.apis.count) HttpApi resources (\(stack.apis.keys.sorted().joined(separator: ", "))) are served on one port")
        }
        for (property, ids) in unhonoured.sorted(by: { $0.key < $1.key }) {
            warnings.append("property \(property) is not honoured locally (functions \(ids.joined(separator: ", ")))")
        }
        stack.warnings = warnings
        return stack
    }

    // MARK: parameters and rules

    func resolveParameters(localDefaults: Bool = true) throws -> [String: ResolvedValue] {
        let declared = template["Parameters"]?.members ?? [:]
        for name in parameterOverrides.keys where declared[name] == nil {
            throw LocalAPIError("--parameter-overrides \(name): the template has no such parameter")
        }
        var values: [String: ResolvedValue] = [:]
        for (name, definition) in declared {
            let text: String
            if let override = parameterOverrides[name] {
                text = override
            } else if localDefaults, let local = localParameterDefaults[name] {
                text = local
            } else if let fallback = definition["Default"]?.string {
                text = fallback
            } else {
                throw LocalAPIError("parameter \(name) has no default: pass --parameter-overrides \(name)=VALUE")
            }
            let type = definition["Type"]?.string ?? "String"
            let isList = type == "CommaDelimitedList" || type.hasPrefix("List<")
            let items = isList ? text.components(separatedBy: ",") : [text]
            if let allowed = definition["AllowedValues"]?.items?.compactMap(\.string) {
                for item in items where !allowed.contains(item) {
                    throw LocalAPIError("parameter \(name)=\(text) is not one of \(allowed.joined(separator: ", "))")
                }
            }
            if let pattern = definition["AllowedPattern"]?.string {
                let expression = try NSRegularExpression(pattern: "^(?:\(pattern))$")
                for item in items
                where expression.firstMatch(in: item, range: NSRange(item.startIndex..., in: item)) == nil {
                    throw LocalAPIError("parameter \(name)=\(text) does not match its AllowedPattern")
                }
            }
            values[name] = isList ? .list(items.map { .string($0) }) : .string(text)
        }
        return values
    }

    func checkRules(_ resolver: IntrinsicResolver) -> [String] {
        var warnings: [String] = []
        for (name, rule) in (template["Rules"]?.members ?? [:]).sorted(by: { $0.key < $1.key }) {
            do {
                if let condition = rule["RuleCondition"], try resolver.resolve(condition).bool != true { continue }
                for assertion in rule["Assertions"]?.items ?? [] {
                    guard let check = assertion["Assert"] else { continue }
                    if try resolver.resolve(check).bool != true {
                        let reason = assertion["AssertDescription"]?.string ?? "assertion failed"
                        warnings.append("rule \(name): \(reason) (CloudFormation would refuse these parameters)")
                    }
                }
            } catch {
                warnings.append("rule \(name) cannot be checked locally: \(error)")
            }
        }
        return warnings
    }

    // MARK: functions

    static func merge(_ globals: [String: TemplateValue], _ own: [String: TemplateValue]) -> [String: TemplateValue] {
        var merged = globals
        for (key, value) in own {
            if key == "Environment", let base = globals["Environment"]?["Variables"]?.members,
                let mine = value["Variables"]?.members
            {
                merged[key] = .map(["Variables": .map(base.merging(mine) { _, new in new })])
            } else {
                merged[key] = value
            }
        }
        return merged
    }

    func readFunction(
        _ logicalId: String, _ executable: String, _ properties: [String: TemplateValue], _ resolver: IntrinsicResolver,
        _ warnings: inout [String], _ unhonoured: inout [String: [String]]
    ) throws -> StackDescription.Function {
        for key in properties.keys.sorted() where !Self.functionProperties.contains(key) {
            unhonoured[key, default: []].append(logicalId)
        }
        if let runtime = properties["Runtime"].flatMap({ try? resolver.resolve($0).string }), !runtime.hasPrefix("provided") {
            warnings.append("function \(logicalId): runtime \(runtime) is not a custom runtime; the executable \(executable) is run anyway")
        }
        var environment: [String: String] = [:]
        for (name, value) in properties["Environment"]?["Variables"]?.members ?? [:] {
            if name.hasPrefix("COGNITO_") {
                continue  // replaced below by the emulator's (or the real pool's) values
            }
            resolver.resetPlaceholders()
            do {
                switch try resolver.resolve(value) {
                case .noValue: continue
                case .string(let text): environment[name] = text
                default: warnings.append("function \(logicalId): environment \(name) is not a string; left out")
                }
                if !resolver.placeholdersUsed.isEmpty {
                    warnings.append("function \(logicalId): environment \(name) refers to \(resolver.placeholdersUsed.joined(separator: ", ")), which has no local value (a placeholder is used)")
                }
            } catch {
                warnings.append("function \(logicalId): environment \(name) cannot be resolved (\(error)); left out")
            }
        }
        for (name, value) in cognitoEnvironment { environment[name] = value }
        func integer(_ key: String, _ fallback: Int) throws -> Int {
            guard let raw = properties[key] else { return fallback }
            guard let text = try resolver.resolve(raw).string, let number = Int(text), number > 0 else {
                throw LocalAPIError("function \(logicalId): \(key) is not a positive integer")
            }
            return number
        }
        return StackDescription.Function(
            logicalId: logicalId, executableName: executable, environment: environment,
            timeoutSeconds: try integer("Timeout", 3), memorySize: try integer("MemorySize", 128))
    }

    func readRoute(
        _ logicalId: String, _ eventName: String, _ properties: [String: TemplateValue], _ resolver: IntrinsicResolver,
        _ stack: inout StackDescription, _ warnings: inout [String]
    ) throws -> StackDescription.Route? {
        let label = "function \(logicalId): event \(eventName)"
        for key in properties.keys.sorted()
        where !["ApiId", "Path", "Method", "Auth", "PayloadFormatVersion", "TimeoutInMillis"].contains(key) {
            warnings.append("\(label): property \(key) is not honoured locally")
        }
        var apiId = "ServerlessHttpApi"
        if let reference = properties["ApiId"] {
            guard case .map(let members) = reference, let target = members["Ref"]?.string else {
                warnings.append("\(label): ApiId is not a !Ref to an HttpApi of this template; not served")
                return nil
            }
            apiId = target
        }
        if stack.apis[apiId] == nil {
            if apiId == "ServerlessHttpApi" {
                stack.apis[apiId] = StackDescription.API(logicalId: apiId)
            } else {
                warnings.append("\(label): HttpApi \(apiId) is not defined (or its Condition is false); not served")
                return nil
            }
        }
        let path = properties["Path"].flatMap { try? resolver.resolve($0).string } ?? "$default"
        var method = (properties["Method"].flatMap { try? resolver.resolve($0).string } ?? "ANY").uppercased()
        if path == "$default" { method = "ANY" }
        guard path == "$default" || path.hasPrefix("/") else {
            warnings.append("\(label): path \(path) does not start with /; not served")
            return nil
        }
        if let version = properties["PayloadFormatVersion"].flatMap({ try? resolver.resolve($0).string }), version != "2.0" {
            warnings.append("\(label): payload format \(version) is not served locally (2.0 only); not served")
            return nil
        }
        var timeout = 30_000
        if let raw = properties["TimeoutInMillis"], let text = try resolver.resolve(raw).string, let value = Int(text) {
            timeout = min(max(value, 50), 30_000)
        }
        var authorizer: String? = stack.apis[apiId]?.defaultAuthorizer
        if let auth = properties["Auth"]?.members {
            if let name = auth["Authorizer"].flatMap({ try? resolver.resolve($0).string }) {
                authorizer = name == "NONE" ? nil : name
            }
            if auth["AuthorizationScopes"] != nil {
                warnings.append("\(label): AuthorizationScopes apply to JWT authorizers; not checked locally")
            }
        }
        return StackDescription.Route(
            method: method, path: path, functionId: logicalId, apiId: apiId, authorizer: authorizer,
            integrationTimeoutMs: timeout)
    }

    // MARK: HttpApi

    func readAPI(
        _ logicalId: String, _ properties: [String: TemplateValue], _ resolver: IntrinsicResolver, _ warnings: inout [String]
    ) throws -> StackDescription.API {
        var api = StackDescription.API(logicalId: logicalId)
        for key in properties.keys.sorted() where !Self.httpApiProperties.contains(key) {
            let effect = key.hasSuffix("RouteSettings") ? " (no throttling)" : ""
            warnings.append("HttpApi \(logicalId): \(key) is not honoured locally\(effect)")
        }
        if let raw = properties["CorsConfiguration"] {
            api.cors = try readCORS(logicalId, try resolver.resolve(raw), &warnings)
        }
        if let auth = properties["Auth"] {
            let resolved = try resolver.resolve(auth)
            for key in (resolved.members ?? [:]).keys.sorted() where !["Authorizers", "DefaultAuthorizer"].contains(key) {
                warnings.append("HttpApi \(logicalId): Auth.\(key) is not honoured locally")
            }
            for (name, definition) in resolved["Authorizers"]?.members ?? [:] {
                if let authorizer = readAuthorizer(logicalId, name, definition, &warnings) {
                    api.authorizers[name] = authorizer
                }
            }
            api.defaultAuthorizer = resolved["DefaultAuthorizer"]?.string
        }
        return api
    }

    func readCORS(_ logicalId: String, _ value: ResolvedValue, _ warnings: inout [String]) throws -> StackDescription.CORS? {
        if let enabled = value.bool {
            // SAM: `CorsConfiguration: true` allows every origin, header and method.
            return enabled ? StackDescription.CORS(allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"]) : nil
        }
        guard let members = value.members else { throw LocalAPIError("HttpApi \(logicalId): CorsConfiguration is not a map") }
        var cors = StackDescription.CORS()
        for key in members.keys.sorted()
        where !["AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "AllowCredentials", "MaxAge"].contains(key) {
            warnings.append("HttpApi \(logicalId): CorsConfiguration.\(key) is not honoured locally")
        }
        cors.allowOrigins = members["AllowOrigins"]?.strings ?? []
        cors.allowMethods = (members["AllowMethods"]?.strings ?? []).map { $0.uppercased() }
        cors.allowHeaders = (members["AllowHeaders"]?.strings ?? []).map { $0.lowercased() }
        cors.exposeHeaders = (members["ExposeHeaders"]?.strings ?? []).map { $0.lowercased() }
        cors.allowCredentials = members["AllowCredentials"]?.bool ?? false
        cors.maxAge = members["MaxAge"]?.string.flatMap { Int($0) }
        if cors.allowCredentials, cors.allowOrigins.contains("*") {
            throw LocalAPIError("HttpApi \(logicalId): AllowCredentials with a wildcard origin is refused by API Gateway")
        }
        return cors
    }

    func readAuthorizer(
        _ apiId: String, _ name: String, _ definition: ResolvedValue, _ warnings: inout [String]
    ) -> StackDescription.Authorizer? {
        let label = "HttpApi \(apiId): authorizer \(name)"
        guard let arn = definition["FunctionArn"]?.string else {
            warnings.append("\(label) is not a Lambda authorizer (e.g. JWT); it is not emulated and its routes are not served")
            return nil
        }
        guard let range = arn.range(of: ":function:") else {
            warnings.append("\(label): FunctionArn \(arn) is not a function of this template; its routes are not served")
            return nil
        }
        // `arn:…:function:Name` or, for a `!Ref Function.Alias`, `arn:…:function:Name:live`.
        let functionId = String(arn[range.upperBound...].prefix { $0 != ":" })
        let version = definition["AuthorizerPayloadFormatVersion"]?.string ?? ""
        guard version == "2.0" else {
            warnings.append("\(label): payload format \(version.isEmpty ? "(none)" : version) is not served locally (2.0 only); its routes are not served")
            return nil
        }
        for key in (definition.members ?? [:]).keys.sorted()
        where !["FunctionArn", "AuthorizerPayloadFormatVersion", "EnableSimpleResponses", "Identity", "FunctionInvokeRole",
            "EnableFunctionDefaultPermissions"].contains(key) {
            warnings.append("\(label): \(key) is not honoured locally")
        }
        var sources: [StackDescription.IdentitySource] = []
        let identity = definition["Identity"]
        sources += (identity?["Headers"]?.strings ?? []).map { .header($0) }
        sources += (identity?["QueryStrings"]?.strings ?? []).map { .queryString($0) }
        sources += (identity?["StageVariables"]?.strings ?? []).map { .stageVariable($0) }
        let contextNames = identity?["Context"]?.strings ?? []
        for name in contextNames where !Self.contextIdentityNames.contains(name) {
            warnings.append("\(label): identity source $context.\(name) has no local value; every request to its routes answers 401")
        }
        if !(identity?["StageVariables"]?.strings ?? []).isEmpty {
            warnings.append("\(label): stage variables are not served locally; every request to its routes answers 401")
        }
        sources += contextNames.map { .context($0) }
        // SAM's default TTL is 300 s when an identity source is given; without one there is no cache.
        let ttl = identity?["ReauthorizeEvery"]?.string.flatMap { Int($0) } ?? 300
        return StackDescription.Authorizer(
            name: name, functionId: functionId, simpleResponses: definition["EnableSimpleResponses"]?.bool ?? false,
            identitySources: sources, ttlSeconds: sources.isEmpty ? 0 : ttl)
    }
}
