/// Everything wrong with the configuration, one human-readable line per problem.
///
/// Messages name the variable and, for non-secret values, a short excerpt of what was found.
/// They never contain `COGNITO_CLIENT_SECRET` or the contents of a JWKS.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    /// One line, suitable for stdin mode's single stderr line and for `/runtime/init/error`.
    public var description: String {
        switch problems.count {
        case 0: return "invalid configuration"
        case 1: return "invalid configuration: \(problems[0])"
        default: return "invalid configuration (\(problems.count) problems): " + problems.joined(separator: "; ")
        }
    }
}
