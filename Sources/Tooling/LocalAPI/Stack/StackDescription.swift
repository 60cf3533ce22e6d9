/// What the local API serves, read from the template: functions, routes, per-API CORS and
/// authorizers, and the warnings for everything it cannot honour.
public struct StackDescription: Sendable {
    public struct Function: Sendable {
        public var logicalId: String
        /// The executable's name (`FunctionExecutable`: the logical id without `Function`, in kebab case).
        public var executableName: String
        public var environment: [String: String]
        public var timeoutSeconds: Int
        public var memorySize: Int
    }

    public struct Route: Sendable {
        /// Upper-case method, or `ANY`.
        public var method: String
        /// `/path` with `{param}` / `{proxy+}` segments, or `$default`.
        public var path: String
        public var functionId: String
        public var apiId: String
        /// The authorizer's name, nil for none.
        public var authorizer: String?
        /// API Gateway's integration timeout: the route's `TimeoutInMillis`, at most 30 s.
        public var integrationTimeoutMs: Int

        public var routeKey: String { path == "$default" ? "$default" : "\(method) \(path)" }
    }

    public struct CORS: Sendable {
        public var allowOrigins: [String] = []
        public var allowMethods: [String] = []
        public var allowHeaders: [String] = []
        public var exposeHeaders: [String] = []
        public var allowCredentials = false
        public var maxAge: Int?
    }

    public enum IdentitySource: Sendable, Equatable {
        case header(String)
        case queryString(String)
        case context(String)
        case stageVariable(String)
    }

    public struct Authorizer: Sendable {
        public var name: String
        public var functionId: String
        public var simpleResponses: Bool
        public var identitySources: [IdentitySource]
        public var ttlSeconds: Int
    }

    public struct API: Sendable {
        public var logicalId: String
        public var cors: CORS?
        public var authorizers: [String: Authorizer] = [:]
        public var defaultAuthorizer: String?
    }

    public var functions: [String: Function] = [:]
    public var routes: [Route] = []
    public var apis: [String: API] = [:]
    public var warnings: [String] = []
    /// Resources the emulator stands in for (Cognito user pool, domain, client).
    public var emulated: [String] = []
    public var region: String = "us-east-1"
    public var accountId: String = "123456789012"
}
