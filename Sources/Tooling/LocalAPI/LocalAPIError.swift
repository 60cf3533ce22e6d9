/// A problem that stops the local API from starting or serving (printed as one line).
public struct LocalAPIError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
