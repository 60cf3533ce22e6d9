// A tiny LambdaKit handler for tests and the runtime benchmark: answers with the request as JSON.
//   ECHO_INIT_FAIL=1   init throws (configuration error path: Lambda exit 1, stdin exit 2)
//   ECHO_MODE=noop     answers 204 with no body (benchmark)
// Per request, header `x-echo-action`: throw | sleep:MS | big (7 MB) | binary | cookies | context
//   | outcome:CODE (a 403 whose HTTPResponse.outcome is CODE, as ErrorTable's problems carry theirs)
//   | init-logger (a line from the logger handed to init, as the Cognito client logs)
import JSONValue
import LambdaKit
import NIOHTTP1
import WireCoding

struct EchoConfigError: Error, CustomStringConvertible {
    var description: String { "ECHO_INIT_FAIL is set" }
}

struct EchoRequestedError: Error, CustomStringConvertible {
    var description: String { "x-echo-action asked for an error" }
}

/// The request as the echo's JSON body (members written in name order by `JSONWriter`; an absent
/// optional is no member at all).
struct Echo {
    struct Context {
        var requestId: String
        var traceId: String?
        var traceEnv: String?
        var invokedFunctionARN: String?
        var clientContext: String?
        var cognitoIdentity: String?
        var deadlineEpochMs: Int64
        var remainingMs: Int64

        var json: JSONValue {
            var members: [String: JSONValue] = ["requestId": .string(requestId), "deadlineEpochMs": .int(deadlineEpochMs), "remainingMs": .int(remainingMs)]
            members["traceId"] = traceId.map(JSONValue.string)
            members["traceEnv"] = traceEnv.map(JSONValue.string)
            members["invokedFunctionARN"] = invokedFunctionARN.map(JSONValue.string)
            members["clientContext"] = clientContext.map(JSONValue.string)
            members["cognitoIdentity"] = cognitoIdentity.map(JSONValue.string)
            return .object(members)
        }
    }

    var method: String
    var rawPath: String
    var rawQueryString: String
    var query: [[String]]
    var headers: [[String]]
    var cookies: [String]
    var bodyBase64: String
    var origin: String
    var requestId: String?
    var stage: String?
    var sourceIP: String?
    var claims: JSONValue?
    var context: Context?

    var json: JSONValue {
        func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
        var members: [String: JSONValue] = [
            "method": .string(method), "rawPath": .string(rawPath), "rawQueryString": .string(rawQueryString),
            "query": .array(query.map(strings)), "headers": .array(headers.map(strings)), "cookies": strings(cookies),
            "bodyBase64": .string(bodyBase64), "origin": .string(origin),
        ]
        members["requestId"] = requestId.map(JSONValue.string)
        members["stage"] = stage.map(JSONValue.string)
        members["sourceIP"] = sourceIP.map(JSONValue.string)
        members["claims"] = claims
        members["context"] = context?.json
        return .object(members)
    }
}

await LambdaMain.run { environment, initLogger in
    if environment["ECHO_INIT_FAIL"] == "1" { throw EchoConfigError() }
    if environment["ECHO_MODE"] == "noop" {
        return { _, _ in HTTPResponse(status: 204) }
    }
    return { request, context in
        let action = request.headers.first(name: "x-echo-action") ?? ""
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        switch action {
        case "throw":
            throw EchoRequestedError()
        case "big":
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"],
                                body: [UInt8](repeating: UInt8(ascii: "x"), count: 7 << 20))
        case "binary":
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"],
                                body: (0...255).map { UInt8($0) })
        case "init-logger":
            initLogger.info("from the init logger")
        case "cookies":
            headers.add(name: "Set-Cookie", value: "a=1; Path=/; HttpOnly")
            headers.add(name: "Set-Cookie", value: "b=2; Path=/; Secure")
        default:
            if action.hasPrefix("outcome:") {
                return HTTPResponse(
                    status: 403, headers: ["Content-Type": "application/problem+json"],
                    body: Array(#"{"status":403}"#.utf8), outcome: String(action.dropFirst("outcome:".count)))
            }
            if action.hasPrefix("sleep:"), let ms = Int(action.dropFirst("sleep:".count)) {
                context.logger.info("sleeping", metadata: ["ms": "\(ms)"])
                try await Task.sleep(for: .milliseconds(ms))
            }
        }
        var echo = Echo(
            method: request.method, rawPath: request.rawPath, rawQueryString: request.rawQueryString,
            query: request.queryParameters.map { [$0.name, $0.value] },
            headers: request.headers.map { [$0.name, $0.value] },
            cookies: request.cookies,
            bodyBase64: Base64.encode(request.body),
            origin: request.origin.rawValue,
            requestId: request.requestContext.requestId, stage: request.requestContext.stage,
            sourceIP: request.requestContext.sourceIP, claims: request.requestContext.authorizerClaims
        )
        if action == "context" {
            echo.context = Echo.Context(
                requestId: context.requestId, traceId: context.traceId,
                traceEnv: Environment.current()["_X_AMZN_TRACE_ID"],
                invokedFunctionARN: context.invokedFunctionARN, clientContext: context.clientContext,
                cognitoIdentity: context.cognitoIdentity, deadlineEpochMs: context.deadlineEpochMs,
                remainingMs: context.remainingTime.nanoseconds / 1_000_000
            )
        }
        context.logger.debug("echoing")
        return HTTPResponse(status: 200, headers: headers, body: JSONWriter.serialize(echo.json))
    }
}
