import JSONValue
import LocalAPI
import Testing
@testable import LambdaKit

/// `headers` + `multiValueHeaders` read as one list by one rule (`HeaderMerge`), whether a handler
/// reads the event (`LambdaEventDecoder`) or the authorizer does (`AuthorizerEvent`).
@Suite struct HeaderMergeTests {
    /// The two maps of a REST (payload 1.0) event, as JSON members, and the Authorization values
    /// the merge must give, in order.
    static let cases: [(headers: String, multi: String?, expected: [String])] = [
        // API Gateway repeats the last value in `headers`: a value in both counts once.
        (#"{"Authorization":"Bearer b"}"#, #"{"Authorization":["Bearer a","Bearer b"]}"#, ["Bearer a", "Bearer b"]),
        // Names are case-insensitive across the two maps.
        (#"{"authorization":"Bearer a"}"#, #"{"AUTHORIZATION":["Bearer a"]}"#, ["Bearer a"]),
        // A `headers` value missing from `multiValueHeaders` is a header of its own.
        (#"{"Authorization":"Bearer c"}"#, #"{"authorization":["Bearer a"]}"#, ["Bearer a", "Bearer c"]),
        // Two members of `headers` are two headers, even with one value.
        (#"{"Authorization":"Bearer a","authorization":"Bearer a"}"#, nil, ["Bearer a", "Bearer a"]),
        (#"{"Authorization":"Bearer a","authorization":"Bearer a"}"#, #"{}"#, ["Bearer a", "Bearer a"]),
        // Only `headers` (payload 2.0 shape): as they are.
        (#"{"authorization":"Bearer a","host":"h"}"#, nil, ["Bearer a"]),
        // Other names never mix in.
        (#"{"Authorization":"Bearer a","X-Authorization":"Bearer a"}"#, #"{"X-Authorization":["Bearer x"]}"#, ["Bearer a"]),
    ]

    func httpEvent(_ headers: String, _ multi: String?) -> [UInt8] {
        let multiMember = multi.map { #","multiValueHeaders":\#($0)"# } ?? ""
        return Array(#"{"httpMethod":"GET","resource":"/","path":"/","headers":\#(headers)\#(multiMember),"requestContext":{"requestId":"r"}}"#.utf8)
    }

    func authorizerEvent(_ headers: String, _ multi: String?) -> [UInt8] {
        let multiMember = multi.map { #","multiValueHeaders":\#($0)"# } ?? ""
        return Array(#"{"type":"REQUEST","methodArn":"arn:aws:execute-api:us-east-1:1:api/prod/GET/","headers":\#(headers)\#(multiMember)}"#.utf8)
    }

    @Test func handlersAndTheAuthorizerSeeTheSameAuthorizationValues() throws {
        for (headers, multi, expected) in Self.cases {
            let request = try LambdaEventDecoder.decode(httpEvent(headers, multi))
            #expect(request.headers["authorization"] == expected, "\(headers) \(multi ?? "-")")
            let event = try AuthorizerEvent.read(authorizerEvent(headers, multi))
            #expect(event.authorization.map { String(decoding: event.bytes($0), as: UTF8.self) } == expected, "\(headers) \(multi ?? "-")")
        }
    }

    @Test func everyHeaderMergesByTheRule() throws {
        let request = try LambdaEventDecoder.decode(httpEvent(
            #"{"X-A":"2","x-b":"s","X-B":"s","Host":"h"}"#, #"{"x-a":["1","2"],"host":["h"],"X-C":["c"]}"#))
        // multiValueHeaders first (in name order, as read), then the `headers` values that count.
        #expect(request.headers.map { "\($0.name)=\($0.value)" } == ["X-C=c", "host=h", "x-a=1", "x-a=2", "X-B=s", "x-b=s"])
    }

    @Test func namesFoldOnlyASCII() {
        #expect(HeaderMerge.sameName("Authorization", "aUTHORIZATION"))
        // U+212A KELVIN SIGN lower-cases to "k" in Unicode; a header name never folds it.
        #expect(!HeaderMerge.sameName("\u{212A}ey", "key"))
        #expect(!HeaderMerge.sameName("Authorization", "Authorizatio"))
    }

    /// LocalAPI mirrors HTTP API payload 2.0, which has no `multiValueHeaders`: a repeated header
    /// arrives comma-joined in one `headers` member, so a handler and the authorizer each read one
    /// Authorization value from its events, by the same rule.
    @Test func localAPIEventsReadAsOneValuePerName() throws {
        let builder = EventBuilder(accountId: "123456789012", apiId: "api1", region: "us-east-1")
        let request = GatewayRequest(
            method: "GET", target: "/pets", headers: [("Authorization", "Bearer a"), ("Host", "h"), ("authorization", "Bearer b")],
            body: [], sourceIp: "127.0.0.1")
        let context = EventBuilder.Context(requestId: "r", routeKey: "GET /pets", pathParameters: [:], timeEpochMs: 0)
        let http = try LambdaEventDecoder.decode(builder.event(request, context, authorizerContext: nil))
        #expect(http.headers["authorization"] == ["Bearer a,Bearer b"])
        let event = try AuthorizerEvent.read(builder.authorizerEvent(request, context, identitySource: ["Bearer a,Bearer b"]))
        #expect(event.authorization.map { String(decoding: event.bytes($0), as: UTF8.self) } == ["Bearer a,Bearer b"])
    }
}
