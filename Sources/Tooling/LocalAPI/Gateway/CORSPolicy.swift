/// An HttpApi's `CorsConfiguration` applied as API Gateway does: a preflight (`OPTIONS` with
/// `Origin` and `Access-Control-Request-Method`) is answered without calling a function; other
/// requests from an allowed origin get the configured headers added, and CORS headers the
/// function returned are dropped. Origins are compared byte for byte.
public struct CORSPolicy: Sendable {
    public let configuration: StackDescription.CORS

    public init(_ configuration: StackDescription.CORS) {
        self.configuration = configuration
    }

    public static func isPreflight(_ request: GatewayRequest) -> Bool {
        request.method == "OPTIONS" && request.header("origin") != nil
            && request.header("access-control-request-method") != nil
    }

    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin else { return nil }
        let bytes = Array(origin.utf8)
        for allowed in configuration.allowOrigins {
            if allowed == "*" { return "*" }
            if Array(allowed.utf8) == bytes { return origin }
        }
        return nil
    }

    public func preflight(_ request: GatewayRequest) -> GatewayResponse {
        var response = GatewayResponse(status: 204)
        guard let origin = allowedOrigin(request.header("origin")) else { return response }
        response.headers.append(("Access-Control-Allow-Origin", origin))
        if configuration.allowCredentials { response.headers.append(("Access-Control-Allow-Credentials", "true")) }
        if !configuration.allowMethods.isEmpty {
            response.headers.append(("Access-Control-Allow-Methods", configuration.allowMethods.joined(separator: ",")))
        }
        if !configuration.allowHeaders.isEmpty {
            response.headers.append(("Access-Control-Allow-Headers", configuration.allowHeaders.joined(separator: ",")))
        }
        if !configuration.exposeHeaders.isEmpty {
            response.headers.append(("Access-Control-Expose-Headers", configuration.exposeHeaders.joined(separator: ",")))
        }
        if let maxAge = configuration.maxAge { response.headers.append(("Access-Control-Max-Age", String(maxAge))) }
        return response
    }

    public func decorate(_ response: inout GatewayResponse, for request: GatewayRequest) {
        response.headers.removeAll { $0.name.lowercased().hasPrefix("access-control-") }
        guard let origin = allowedOrigin(request.header("origin")) else { return }
        response.headers.append(("Access-Control-Allow-Origin", origin))
        if configuration.allowCredentials { response.headers.append(("Access-Control-Allow-Credentials", "true")) }
        if !configuration.exposeHeaders.isEmpty {
            response.headers.append(("Access-Control-Expose-Headers", configuration.exposeHeaders.joined(separator: ",")))
        }
    }
}
