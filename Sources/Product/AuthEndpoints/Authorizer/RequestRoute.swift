import JSONValue

/// The method and path within the API that a request is decided on, the same way for every
/// family: the route ARN's (where API Gateway names the stage apart and has stripped a custom
/// domain's mapping key; policies are written against it too), or, when the ARN names no HTTP
/// method (`…/stage/$default`, the `$default` route), the request's method and `rawPath` without
/// the stage.
///
/// The other reading of a 2.0 request, its `rawPath` as received (with the stage, or a mapping key
/// of unknown length, in front), may only add refusals: every tail of it that a rule the token fails
/// covers is refused ("a Deny may over-match, an Allow may not").
///
/// Performance: slices of the event's bytes (no copy, no `String`).
struct RequestRoute {
    var method: ArraySlice<UInt8>
    var path: ArraySlice<UInt8>
    /// The request's own method and `rawPath`, when they may read differently from the above.
    var other: (method: ArraySlice<UInt8>, path: ArraySlice<UInt8>)?

    private static let root: [UInt8] = [UInt8(ascii: "/")]

    /// The ARN's method and path (REST, HTTP API 1.0, and 2.0 when nothing else is known).
    init(arn: ArraySlice<UInt8>, layout: ExecuteAPIArn.Layout) {
        let offset = arn.startIndex
        method = arn[(layout.method.lowerBound + offset)..<(layout.method.upperBound + offset)]
        // The path with its leading `/`: the byte before the resource (`…/GET/x` → `/x`).
        path = layout.resource.isEmpty ? Self.root[...] : arn[(layout.resource.lowerBound - 1 + offset)..<(layout.resource.upperBound + offset)]
        other = nil
    }

    /// An HTTP API 2.0 request: `routeArn`, `requestContext.http.method`, `rawPath`, `requestContext.stage`.
    init(arn: ArraySlice<UInt8>, layout: ExecuteAPIArn.Layout, requestMethod: ArraySlice<UInt8>, rawPath: ArraySlice<UInt8>, stage: ArraySlice<UInt8>?) {
        self.init(arn: arn, layout: layout)
        if Self.isHTTPMethod(method) {
            // The common case (`$default` stage, no mapping): one reading, one decision.
            if Self.equal(method, requestMethod), Self.equal(path, rawPath) { return }
            other = (requestMethod, rawPath)
        } else {
            // Decided on the request (issue 24, item 6); the cached policy for such an ARN is
            // written by `AuthorizerRules.policy`, which admits it only for tokens every rule admits.
            method = requestMethod
            let stageLength = stage.map { stage in
                rawPath.withUnsafeBufferPointer { raw in stage.withUnsafeBufferPointer { RequestPath.stagePrefixLength(raw, stage: $0) } }
            } ?? 0
            path = stageLength == rawPath.count ? Self.root[...] : rawPath.dropFirst(stageLength)  // `/prod` is the root
            other = (requestMethod, rawPath)
        }
    }

    /// Performance: memcmp in place (`==` on slices compares element by element).
    @inline(__always)
    private static func equal(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { ExactBytes.equal(a, $0) } }
    }

    /// Whether an ARN's method part is an HTTP method token of letters (`GET`, `PROPFIND`), not
    /// `$default` or another marker.
    static func isHTTPMethod(_ method: ArraySlice<UInt8>) -> Bool {
        !method.isEmpty && method.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0 & ~0x20) }
    }

    /// The decision under `rules` (see the type's comment): the token's part once, then this
    /// request's readings against it.
    func decide(_ rules: AuthorizerRules, _ subject: AuthorizerSubject) -> AuthorizerDecision {
        var decision = rules.decide(method: method, path: path, subject)
        guard decision.allowed, let other else { return decision }
        let refused = other.method.withUnsafeBufferPointer { method in
            other.path.withUnsafeBufferPointer { path in rules.refusesAnyTail(method: method, path: path, admitted: decision.admitted) }
        }
        if refused {
            decision.allowed = false
            decision.rule = nil
        }
        return decision
    }
}
