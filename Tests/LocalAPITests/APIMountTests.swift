import Foundation
import JSONValue
import Testing

@testable import LocalAPI

/// The local API's named-stage and API-mapping events (issue 24, item 1): `rawPath` keeps the
/// stage or mapping key, as API Gateway's does; the routes and `routeArn` use the path within the API.
@Suite struct APIMountTests {
    @Test func pathsWithinTheAPI() {
        let stage = APIMount(stage: "prod")
        #expect(stage.pathWithinAPI("/prod/admin/x") == "/admin/x")
        #expect(stage.pathWithinAPI("/prod") == "/")
        #expect(stage.pathWithinAPI("/production/x") == nil)
        #expect(stage.pathWithinAPI("/admin/x") == nil)
        let mapped = APIMount(stage: "prod", mappingKey: "orders/v1")
        #expect(mapped.pathWithinAPI("/orders/v1/admin/x") == "/admin/x")
        #expect(mapped.pathWithinAPI("/prod/admin/x") == nil)
        #expect(APIMount().pathWithinAPI("/prod/admin/x") == "/prod/admin/x")
    }

    func authorizerEvent(_ mount: APIMount, target: String, routeKey: String, apiPath: String) throws -> [String: JSONValue] {
        let builder = EventBuilder(accountId: "123456789012", apiId: "api1", region: "us-east-1", mount: mount)
        let request = GatewayRequest(method: "GET", target: target, headers: [("Host", "127.0.0.1:3000")], body: [], sourceIp: "127.0.0.1")
        let context = EventBuilder.Context(requestId: "r", routeKey: routeKey, pathParameters: [:], timeEpochMs: 0, apiPath: apiPath)
        guard case .object(let event) = try JSONValue.parse(builder.authorizerEvent(request, context, identitySource: [])) else {
            throw CancellationError()
        }
        return event
    }

    @Test func namedStageMappedAndDefaultRouteEvents() throws {
        let staged = try authorizerEvent(APIMount(stage: "prod"), target: "/prod/admin/x", routeKey: "GET /admin/{proxy+}", apiPath: "/admin/x")
        #expect(staged["rawPath"] == .string("/prod/admin/x"))
        #expect(staged["routeArn"] == .string("arn:aws:execute-api:us-east-1:123456789012:api1/prod/GET/admin/x"))
        #expect(staged["requestContext"]?["stage"] == .string("prod"))
        let mapped = try authorizerEvent(APIMount(mappingKey: "v1"), target: "/v1/admin/x", routeKey: "GET /admin/{proxy+}", apiPath: "/admin/x")
        #expect(mapped["rawPath"] == .string("/v1/admin/x"))
        #expect(mapped["routeArn"] == .string("arn:aws:execute-api:us-east-1:123456789012:api1/$default/GET/admin/x"))
        let fallback = try authorizerEvent(APIMount(stage: "prod", defaultRouteArn: true), target: "/prod/admin/x", routeKey: "$default", apiPath: "/admin/x")
        #expect(fallback["routeArn"] == .string("arn:aws:execute-api:us-east-1:123456789012:api1/prod/$default"))
    }
}
