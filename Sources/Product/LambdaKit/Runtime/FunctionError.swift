/// A function error a handler throws on purpose, with the exact `errorMessage` the caller of the
/// function reads: API Gateway turns a Lambda authorizer's function error `Unauthorized` into a 401.
/// Lambda mode posts it to the invocation's `/error`; stdin mode writes the same error object on
/// stdout and exits 3, so a local caller can tell it from a crash (exit 1).
public struct FunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var errorType: String
    public var errorMessage: String

    public init(errorType: String, errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }

    /// The answer API Gateway maps to 401 for a TOKEN or REQUEST (policy) authorizer.
    public static let unauthorized = FunctionError(errorType: "Unauthorized", errorMessage: "Unauthorized")

    public var description: String { "\(errorType): \(errorMessage)" }
}
