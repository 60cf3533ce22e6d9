import JSONValue

/// The CloudWatch embedded metric format rules, from the specification
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
/// checked against one log line. Returns the problems (empty: valid).
///
/// Root: a JSON object (the whole line, nothing before or after), at most 1 MB, with `_aws`.
/// `_aws`: an object with `Timestamp` (a number: Unix epoch milliseconds) and `CloudWatchMetrics`
/// (an array of MetricDirective), and no other members. MetricDirective: `Namespace` (a string),
/// `Dimensions` (an array of DimensionSet: arrays of 0–30 strings, each naming a root member whose
/// value is a string), `Metrics` (an array of at most 100 MetricDefinition); nothing else.
/// MetricDefinition: `Name` (a string naming a root member whose value is a number or an array of
/// at most 100 numbers), optional `Unit` (a CloudWatch unit), optional `StorageResolution` (1 or
/// 60); nothing else. Dimension values follow CloudWatch's dimension rules (1–1024 characters,
/// ASCII, not all whitespace, no control characters; names 1–255, not starting with `:`).
enum EMFValidator {
    static let units: Set<String> = [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
        "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ]

    static func problems(_ line: [UInt8]) -> [String] {
        var problems: [String] = []
        guard line.count <= 1_000_000 else { return ["document over 1 MB"] }
        guard let root = try? JSONValue.parse(line), case .object(let members) = root else {
            return ["not a JSON object (with nothing around it)"]
        }
        guard case .object(let aws)? = members["_aws"] else { return ["no _aws object"] }
        for key in aws.keys where key != "Timestamp" && key != "CloudWatchMetrics" {
            problems.append("_aws has an extra member \(key)")
        }
        switch aws["Timestamp"] {
        case .int(let ms)? where ms > 0: break
        default: problems.append("_aws.Timestamp is not a positive integer number of milliseconds")
        }
        guard case .array(let directives)? = aws["CloudWatchMetrics"] else {
            return problems + ["_aws.CloudWatchMetrics is not an array"]
        }
        for (index, directiveValue) in directives.enumerated() {
            let at = "CloudWatchMetrics[\(index)]"
            guard case .object(let directive) = directiveValue else {
                problems.append("\(at) is not an object")
                continue
            }
            for key in directive.keys where !["Namespace", "Dimensions", "Metrics"].contains(key) {
                problems.append("\(at) has an extra member \(key)")
            }
            if case .string(let namespace)? = directive["Namespace"], !namespace.isEmpty, namespace.utf8.count <= 255 {
            } else {
                problems.append("\(at).Namespace is not a non-empty string of at most 255 characters")
            }
            if case .array(let sets)? = directive["Dimensions"] {
                for set in sets {
                    guard case .array(let names) = set, names.count <= 30 else {
                        problems.append("\(at).Dimensions holds something other than an array of at most 30 names")
                        continue
                    }
                    for name in names {
                        guard case .string(let key) = name, isDimensionName(key) else {
                            problems.append("\(at).Dimensions holds an invalid dimension name \(name)")
                            continue
                        }
                        guard case .string(let value)? = members[key] else {
                            problems.append("dimension \(key) is not a string member of the root")
                            continue
                        }
                        if !isDimensionValue(value) { problems.append("dimension \(key) has an invalid value") }
                    }
                }
            } else {
                problems.append("\(at).Dimensions is not an array")
            }
            guard case .array(let metrics)? = directive["Metrics"], metrics.count <= 100 else {
                problems.append("\(at).Metrics is not an array of at most 100 definitions")
                continue
            }
            for metric in metrics {
                guard case .object(let definition) = metric else {
                    problems.append("\(at).Metrics holds a non-object")
                    continue
                }
                for key in definition.keys where !["Name", "Unit", "StorageResolution"].contains(key) {
                    problems.append("\(at) metric has an extra member \(key)")
                }
                guard case .string(let name)? = definition["Name"], !name.isEmpty, name.utf8.count <= 255 else {
                    problems.append("\(at) metric without a Name")
                    continue
                }
                if let unit = definition["Unit"] {
                    if case .string(let text) = unit, units.contains(text) {} else { problems.append("metric \(name) has an invalid Unit") }
                }
                if let resolution = definition["StorageResolution"], resolution.int64Value != 1, resolution.int64Value != 60 {
                    problems.append("metric \(name) has an invalid StorageResolution")
                }
                switch members[name] {
                case .int?, .double?: break
                case .array(let values)? where values.count <= 100 && values.allSatisfy({ $0.doubleValue != nil && $0.boolValue == nil }): break
                default: problems.append("metric \(name) is not a number (or an array of at most 100 numbers) at the root")
                }
            }
        }
        return problems
    }

    static func isDimensionName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.hasPrefix(":") && name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && name.utf8.contains { $0 != 0x20 }
    }

    static func isDimensionValue(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 1024 && value.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && value.utf8.contains { $0 != 0x20 }
    }
}
