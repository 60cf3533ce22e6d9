/// How the local API is reached, as API Gateway serves a stage: at the API's own URL with the
/// `$default` stage (paths as routed), at `/{stage}/…` for a named stage, or behind a custom
/// domain's API mapping key `/{key}/…`. The authorizer event's `rawPath` keeps the prefix (as
/// API Gateway's does on named stages, issue 24 item 1); routes, `routeArn` and the function see
/// the path within the API.
public struct APIMount: Sendable, Equatable {
    /// `requestContext.stage` and the stage in every ARN.
    public var stage: String = "$default"
    /// A custom domain's API mapping key (`v1`, `orders/v1`): the URL starts with it instead of the stage.
    public var mappingKey: String?
    /// The `$default` route's `routeArn` as `…/{stage}/$default` instead of its method and path.
    public var defaultRouteArn: Bool = false

    public init(stage: String = "$default", mappingKey: String? = nil, defaultRouteArn: Bool = false) {
        self.stage = stage
        self.mappingKey = mappingKey
        self.defaultRouteArn = defaultRouteArn
    }

    /// The prefix a request URL carries before the path within the API ("" for none).
    public var prefix: String {
        if let mappingKey, !mappingKey.isEmpty { return "/" + mappingKey }
        return stage == "$default" ? "" : "/" + stage
    }

    /// The path within the API of a request's `rawPath`; nil when it does not start with the
    /// prefix (API Gateway answers 404: no mapping or stage there).
    public func pathWithinAPI(_ rawPath: String) -> String? {
        let prefix = self.prefix
        guard !prefix.isEmpty else { return rawPath }
        guard rawPath.hasPrefix(prefix) else { return nil }
        let rest = String(rawPath.dropFirst(prefix.count))
        if rest.isEmpty { return "/" }
        return rest.hasPrefix("/") ? rest : nil
    }
}
