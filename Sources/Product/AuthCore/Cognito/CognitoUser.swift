/// A user as `GetUser` describes it: the username and the attributes in Cognito's order.
public struct CognitoUser: Sendable, Hashable {
    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var username: String
    public var attributes: [Attribute]

    public init(username: String, attributes: [Attribute]) {
        self.username = username
        self.attributes = attributes
    }

    /// The value of the first attribute called `name` (`"sub"`, `"email"`, `"custom:tenant"`...).
    public subscript(attribute name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}
