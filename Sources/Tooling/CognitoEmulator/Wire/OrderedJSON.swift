import FoundationEssentials
import JSONValue

/// A JSON value that keeps object members in insertion order, so tokens and responses
/// serialize with Cognito's claim order and byte-stable output.
indirect enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    func serialized() -> String {
        var out = ""
        write(into: &out)
        return out
    }

    var bytes: [UInt8] { Array(serialized().utf8) }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(member.0, into: &out)
                out += ":"
                member.1.write(into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension OrderedJSON {
    /// `value` with object members in name order (a `JSONValue` object has no order of its own).
    init(sortedFrom value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let bool): self = .bool(bool)
        case .int(let int): self = .int(int)
        // Cognito's claims have no fractions; a test edit never adds one.
        case .double(let double): self = .int(Int64(double))
        case .string(let string): self = .string(string)
        case .array(let values): self = .array(values.map(OrderedJSON.init(sortedFrom:)))
        case .object(let members):
            self = .object(members.keys.sorted().map { ($0, OrderedJSON(sortedFrom: members[$0]!)) })
        }
    }
}
