import JSONValue
import NIOHTTP1
import WireCoding

/// Turns an invocation payload (API Gateway REST v1, HTTP API v2, function URL or ALB event)
/// into one `HTTPRequest`.
public enum LambdaEventDecoder {
    public static func decode(_ payload: [UInt8]) throws(LambdaEventError) -> HTTPRequest {
        try decode(try RawEvent.read(payload))
    }

    static func decode(_ raw: RawEvent) throws(LambdaEventError) -> HTTPRequest {
        // Lambda authorizer events carry httpMethod/headers too (type REQUEST), but they ask for a
        // policy, not a response: answering them as HTTP would be wrong, so they are refused by name.
        if let type = raw.type, type == "TOKEN" || type == "REQUEST", raw.methodArn != nil || raw.routeArn != nil {
            throw .notAnHTTPEvent("API Gateway Lambda authorizer event (type \(type))")
        }
        if raw.requestContext?.elb != nil {
            return try decodeALB(raw)
        }
        if raw.version == "2.0" {
            return try decodeV2(raw)
        }
        if raw.httpMethod != nil, raw.resource != nil || raw.requestContext != nil {
            return try decodeV1(raw)
        }
        throw .notAnHTTPEvent("no API Gateway, function URL or ALB request shape (httpMethod or version 2.0)")
    }

    // MARK: - shapes

    private static func decodeV1(_ raw: RawEvent) throws(LambdaEventError) -> HTTPRequest {
        let context = raw.requestContext
        let query = mergedQuery(single: raw.queryStringParameters, multi: raw.multiValueQueryStringParameters)
        let headers = mergedHeaders(single: raw.headers, multi: raw.multiValueHeaders)
        let claims = authorizerClaims(context?.authorizer)
        let body = body(raw)
        return HTTPRequest(
            method: raw.httpMethod ?? "GET",
            rawPath: raw.path ?? context?.resourcePath ?? "/",
            rawQueryString: FormURLEncoding.encode(query, style: .unreserved),
            queryParameters: query,
            headers: headers,
            cookies: cookiesFromHeaders(headers),
            body: body.bytes, malformedBody: body.problem,
            pathParameters: dictionary(raw.pathParameters),
            origin: .restV1,
            requestContext: RequestContextInfo(
                requestId: context?.requestId, stage: context?.stage, sourceIP: context?.identity?.sourceIp,
                domainName: context?.domainName, apiId: context?.apiId, accountId: context?.accountId,
                route: context?.resourcePath ?? raw.resource,
                authorizer: context?.authorizer, authorizerClaims: claims.claims, authorizerScopes: claims.scopes
            )
        )
    }

    private static func decodeV2(_ raw: RawEvent) throws(LambdaEventError) -> HTTPRequest {
        guard let context = raw.requestContext, let method = context.http?.method else {
            throw .notAnHTTPEvent("version 2.0 event without requestContext.http.method")
        }
        var headers = HTTPHeaders()
        for (name, value) in raw.headers?.entries ?? [] {
            headers.add(name: name, value: value)
        }
        let cookies = raw.cookies ?? []
        if !cookies.isEmpty, !headers.contains(name: "cookie") {
            headers.add(name: "Cookie", value: cookies.joined(separator: "; "))
        }
        let rawQuery = raw.rawQueryString ?? ""
        // Performance: a UTF-8 byte search; `String.contains(String)` costs more than the whole parse.
        let origin: EventOrigin = (context.domainName.map { containsBytes($0, ".lambda-url.") } ?? false) ? .functionURL : .httpV2
        let claims = authorizerClaims(context.authorizer)
        let body = body(raw)
        return HTTPRequest(
            method: method,
            rawPath: raw.rawPath ?? context.http?.path ?? "/",
            rawQueryString: rawQuery,
            queryParameters: FormURLEncoding.parseLeniently(rawQuery),
            headers: headers,
            cookies: cookies.isEmpty ? cookiesFromHeaders(headers) : cookies,
            body: body.bytes, malformedBody: body.problem,
            pathParameters: dictionary(raw.pathParameters),
            origin: origin,
            requestContext: RequestContextInfo(
                requestId: context.requestId, stage: context.stage, sourceIP: context.http?.sourceIp,
                domainName: context.domainName, apiId: context.apiId, accountId: context.accountId,
                route: context.routeKey ?? raw.routeKey,
                authorizer: context.authorizer, authorizerClaims: claims.claims, authorizerScopes: claims.scopes
            )
        )
    }

    private static func decodeALB(_ raw: RawEvent) throws(LambdaEventError) -> HTTPRequest {
        guard let method = raw.httpMethod else {
            throw .notAnHTTPEvent("ALB event without httpMethod")
        }
        let multiValue = raw.multiValueHeaders != nil || raw.multiValueQueryStringParameters != nil
        let headers = mergedHeaders(single: raw.headers, multi: raw.multiValueHeaders)
        // ALB passes query names and values exactly as the client sent them (still percent-encoded).
        let rawPairs = mergedQuery(single: raw.queryStringParameters, multi: raw.multiValueQueryStringParameters)
        let rawQuery = rawPairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        // Security: X-Forwarded-For is client-controlled except its last entry, which the load
        // balancer appends itself; only that one is the peer address.
        let sourceIP = headers["x-forwarded-for"].last?
            .split(separator: ",").last.map { trimSpaces($0) }
        let body = body(raw)
        return HTTPRequest(
            method: method,
            rawPath: raw.path ?? "/",
            rawQueryString: rawQuery,
            queryParameters: FormURLEncoding.parseLeniently(rawQuery),
            headers: headers,
            cookies: cookiesFromHeaders(headers),
            body: body.bytes, malformedBody: body.problem,
            pathParameters: [:],
            origin: .alb,
            requestContext: RequestContextInfo(sourceIP: sourceIP),
            albMultiValueHeaders: multiValue
        )
    }

    // MARK: - parts

    /// The body bytes, or (empty bytes and) why the body cannot be read.
    private static func body(_ raw: RawEvent) -> (bytes: [UInt8], problem: String?) {
        guard let text = raw.body, !text.isEmpty else { return ([], nil) }
        guard raw.isBase64Encoded == true else { return (Array(text.utf8), nil) }
        // Security: canonical base64 or nothing, never a lenient guess (see WireCoding's Base64). The event
        // itself is well formed, so this is the client's bad body: the request is still handed
        // to the handler, marked, for it to answer 400 like any other malformed body.
        guard let bytes = Base64.decode(text) else {
            return ([], "isBase64Encoded body is not canonical base64 (RFC 4648, padded)")
        }
        return (bytes, nil)
    }

    /// v1/ALB: `multiValueHeaders` holds every value, `headers` the last one of each; merged by
    /// `HeaderMerge`, the rule `AuthorizerEvent` reads the Authorization header by.
    private static func mergedHeaders(single: LenientStringMap?, multi: LenientMultiMap?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in HeaderMerge.headers(multi: multi?.entries ?? [], single: single?.entries ?? []) {
            headers.add(name: name, value: value)
        }
        return headers
    }

    private static func mergedQuery(
        single: LenientStringMap?, multi: LenientMultiMap?
    ) -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        for (name, values) in multi?.entries ?? [] {
            for value in values { pairs.append((name, value)) }
        }
        for (name, value) in single?.entries ?? []
        where !pairs.contains(where: { $0.name == name && $0.value == value }) {
            pairs.append((name, value))
        }
        return pairs
    }

    private static func cookiesFromHeaders(_ headers: HTTPHeaders) -> [String] {
        headers["cookie"].flatMap { line in
            line.split(separator: ";").map { trimSpaces($0) }.filter { !$0.isEmpty }
        }
    }

    private static func dictionary(_ map: LenientStringMap?) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in map?.entries ?? [] { result[name] = value }
        return result
    }

    private static func authorizerClaims(_ authorizer: JSONValue?) -> (claims: JSONValue?, scopes: [String]) {
        guard let authorizer, case .object(let members) = authorizer else { return (nil, []) }
        if let jwt = members["jwt"], jwt["claims"] != nil {
            let scopes = jwt["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return (jwt["claims"], scopes)
        }
        if let claims = members["claims"] { return (claims, []) }
        if let lambda = members["lambda"] { return (lambda, []) }
        return (authorizer, [])
    }
}

/// Whether `text` contains the ASCII `needle`, compared byte by byte.
func containsBytes(_ text: String, _ needle: StaticString) -> Bool {
    var text = text
    text.makeContiguousUTF8()
    let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
    return text.utf8.withContiguousStorageIfAvailable { bytes in
        guard bytes.count >= pattern.count else { return false }
        for start in 0...(bytes.count - pattern.count)
        where UnsafeBufferPointer(rebasing: bytes[start..<start + pattern.count]).elementsEqual(pattern) {
            return true
        }
        return false
    } ?? false
}

func trimSpaces(_ text: Substring) -> String {
    var slice = text
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
    return String(slice)
}
