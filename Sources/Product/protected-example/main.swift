// The example route behind the authorizer: what a team's own function reads. API Gateway puts the
// authorizer's `context` in `requestContext.authorizer.lambda` (HTTP API) or
// `requestContext.authorizer` (REST); LambdaKit hands it over as `authorizerClaims`.
import FoundationEssentials
import JSONValue
import LambdaKit

await LambdaMain.run { _, _ in
    { request, _ in
        var caller: [String: JSONValue] = [:]
        if case .object(let members)? = request.requestContext.authorizerClaims {
            for name in ["sub", "username", "client_id", "scope", "groups", "token_use", "principal_type"] {
                if let value = members[name]?.stringValue { caller[name] = .string(value) }
            }
        }
        let body: JSONValue = .object(["route": .string(request.method + " " + request.rawPath), "caller": .object(caller)])
        return HTTPResponse(
            status: 200, headers: ["Content-Type": "application/json", "Cache-Control": "no-store"],
            body: JSONWriter.serialize(body))
    }
}
