import JSONValue

/// The parts of the event's `requestContext` a handler needs.
public struct RequestContextInfo: Sendable, Hashable {
    /// API Gateway / function URL request id (`nil` for ALB, which has none).
    public var requestId: String?
    public var stage: String?
    /// The caller's address as the AWS front door saw it.
    public var sourceIP: String?
    public var domainName: String?
    public var apiId: String?
    public var accountId: String?
    /// `routeKey` (HTTP API) or `resourcePath` (REST API).
    public var route: String?
    /// The whole `requestContext.authorizer` object, as sent.
    public var authorizer: JSONValue?
    /// The claims part of the authorizer: `jwt.claims` (HTTP API JWT authorizer), `claims` (REST
    /// Cognito authorizer), `lambda` (HTTP API Lambda authorizer), else the authorizer object itself
    /// (REST Lambda authorizer context). Kept as JSON values: claims may be numbers, booleans or arrays.
    public var authorizerClaims: JSONValue?
    /// `jwt.scopes` of an HTTP API JWT authorizer.
    public var authorizerScopes: [String]

    public init(
        requestId: String? = nil, stage: String? = nil, sourceIP: String? = nil, domainName: String? = nil,
        apiId: String? = nil, accountId: String? = nil, route: String? = nil,
        authorizer: JSONValue? = nil, authorizerClaims: JSONValue? = nil, authorizerScopes: [String] = []
    ) {
        self.requestId = requestId
        self.stage = stage
        self.sourceIP = sourceIP
        self.domainName = domainName
        self.apiId = apiId
        self.accountId = accountId
        self.route = route
        self.authorizer = authorizer
        self.authorizerClaims = authorizerClaims
        self.authorizerScopes = authorizerScopes
    }
}
