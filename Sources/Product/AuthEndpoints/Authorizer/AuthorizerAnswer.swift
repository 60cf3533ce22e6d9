import JSONValue

/// The answers API Gateway reads from a Lambda authorizer, written as bytes.
enum AuthorizerAnswer {
    /// `context` of every answer: strings only (REST refuses arrays and objects), never the token:
    /// `sub`, `username`, `client_id`, `scope` (the scopes joined by a space), `groups` (the
    /// `encodedGroups`), `token_use` and `principal_type` (`user` or `machine`), written without
    /// building the joined strings; a machine token (`username` nil) has no `username` and no
    /// `groups`. Tests/AuthEndpointsTests/AuthorizerReferencePolicy.swift holds the same as a struct.
    static func writeContext(
        sub: String, username: String?, clientId: String, scopes: [String], groups: [String], into writer: inout JSONWriter
    ) {
        writer.raw("{\"sub\":")
        writer.string(sub)
        if let username {
            writer.raw(",\"username\":")
            writer.string(username)
        }
        writer.raw(",\"client_id\":")
        writer.string(clientId)
        writer.raw(",\"scope\":")
        writeJoined(scopes, separator: " ", into: &writer)
        if username != nil {
            writer.raw(",\"groups\":")
            writeGroups(groups, into: &writer)
            writer.raw(",\"token_use\":\"access\",\"principal_type\":\"user\"}")
        } else {
            writer.raw(",\"token_use\":\"access\",\"principal_type\":\"machine\"}")
        }
    }

    /// `strings.joined(separator:)` as one JSON string: escaping is per byte, so the escaped parts
    /// and separators side by side are the escaped joined string.
    private static func writeJoined(_ strings: [String], separator: StaticString, into writer: inout JSONWriter) {
        writer.raw("\"")
        // In place: iterating (or subscripting) the array would copy each string, a retain and a release.
        strings.withUnsafeBufferPointer { strings in
            for index in strings.indices {
                if index > 0 { writer.raw(separator) }
                appendEscaped(strings[index], to: &writer.bytes)
            }
        }
        writer.raw("\"")
    }

    /// The context's `groups`: the names joined by `,`, in each name `%` written `%25` and `,`
    /// written `%2C`, so the list splits back exactly (Cognito group names may hold both). A name
    /// without them reads as before.
    static func encodedGroups(_ groups: [String]) -> String {
        groups.map { group in
            guard group.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: ",") }) else { return group }
            var encoded = ""
            for character in group.unicodeScalars {
                switch character {
                case "%": encoded += "%25"
                case ",": encoded += "%2C"
                default: encoded.unicodeScalars.append(character)
                }
            }
            return encoded
        }.joined(separator: ",")
    }

    /// `encodedGroups(groups)` as one JSON string, without building it unless a name needs encoding.
    private static func writeGroups(_ groups: [String], into writer: inout JSONWriter) {
        let needsEncoding = groups.withUnsafeBufferPointer { groups in
            groups.contains { $0.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: ",") }) }
        }
        if needsEncoding {
            writer.string(encodedGroups(groups))
        } else {
            writeJoined(groups, separator: ",", into: &writer)
        }
    }

    /// The inside of `JSONWriter.string(text)` (without its quotes), JSONWriter's own escaper.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        JSONWriter.appendStringContents(text, to: &bytes)
    }

    /// The HTTP API simple answer of `decision`: `{"isAuthorized":true,"context":{…}}`, or
    /// `simpleRefused`.
    static func simple(_ decision: AuthorizerDecision, sub: String, username: String?, subject: AuthorizerSubject) -> [UInt8] {
        guard decision.allowed else { return simpleRefused }
        var writer = JSONWriter(capacity: 512)
        writer.raw("{\"isAuthorized\":true,\"context\":")
        writeContext(sub: sub, username: username, clientId: subject.clientId, scopes: subject.scopes, groups: subject.groups, into: &writer)
        writer.raw("}")
        return writer.bytes
    }

    /// The simple answer of a refused request or token.
    static let simpleRefused = Array(#"{"isAuthorized":false}"#.utf8)

    /// The IAM policy answer (REST TOKEN/REQUEST, HTTP API 1.0, HTTP API 2.0 with policy
    /// responses): what a token may do on every route of the API, as statements under `base`
    /// (`arn:…:apiId/stage/`). API Gateway caches it per token and reuses it for every method of
    /// the API, so it must not depend on the request that happened to ask.
    ///
    /// Allow: everything (`base*`) when the default allows (never for a machine token), else every
    /// admitted rule's routes. The token's clients, scopes, groups and claims are all the
    /// conditions read, so the policy is right for every route it is reused for.
    /// Deny: every refused rule's routes, every ambiguous path and, unless every rule admits the
    /// token under a default that allows, the `$default` route's ARN (it names no path). IAM lets
    /// an explicit Deny win over any Allow, which is first-match-wins exactly because
    /// `AuthorizerRules.parse` refuses rule lists where an earlier rule could admit a token that a
    /// later, overlapping rule refuses. Nothing admitted: one Deny of `base*`.
    ///
    /// Written in one pass from the rules' precomputed, escaped resource suffixes after the escaped
    /// base: no resource strings are built per decision. The same policy as Strings, the reference
    /// the tests compare these bytes with, is in Tests/AuthEndpointsTests/AuthorizerReferencePolicy.swift.
    static func policy(
        base: String, rules: AuthorizerRules, decision: AuthorizerDecision, subject: AuthorizerSubject, sub: String, username: String?
    ) -> [UInt8] {
        var escapedBase: [UInt8] = []
        escapedBase.reserveCapacity(base.utf8.count + 8)
        appendEscaped(base, to: &escapedBase)
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{\"principalId\":")
        writer.string(sub)
        writer.raw(",\"policyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[")
        var first = true
        func resource(_ suffix: UnsafeBufferPointer<UInt8>) {
            if !first { writer.bytes.append(UInt8(ascii: ",")) }
            first = false
            writer.bytes.append(UInt8(ascii: "\""))
            writer.bytes.append(contentsOf: escapedBase)
            writer.bytes.append(contentsOf: suffix)
            writer.bytes.append(UInt8(ascii: "\""))
        }
        func resource(_ suffix: StaticString) {
            suffix.withUTF8Buffer { resource($0) }
        }
        func allowResources(of rule: Int) {
            for suffix in rules.rules[rule].route.escapedAllowSuffixes { suffix.withUnsafeBufferPointer { resource($0) } }
        }
        func denyResources(of rule: Int) {
            for suffix in rules.rules[rule].route.escapedDenySuffixes { suffix.withUnsafeBufferPointer { resource($0) } }
        }
        // Rules by index: none is copied (and reference-counted) per request.
        let admitted = decision.admitted
        let admittedCount = admitted.count(of: rules.rules.count)
        let allowsByDefault = decision.defaultAllows
        if allowsByDefault || admittedCount > 0 {
            writer.raw("{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\",\"Resource\":[")
            if allowsByDefault {
                resource("*")
            } else {
                for rule in rules.rules.indices where admitted.contains(rule) { allowResources(of: rule) }
            }
            first = true
            writer.raw("]},{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Deny\",\"Resource\":[")
            for rule in rules.rules.indices where !admitted.contains(rule) { denyResources(of: rule) }
            for suffix in AuthorizerRules.escapedAmbiguousPathSuffixes { resource(suffix) }
            // As the reference policy: the `$default` route's ARN only for a token every rule admits.
            if !(allowsByDefault && admittedCount == rules.rules.count) { resource(AuthorizerRules.nonMethodSuffix) }
        } else {
            writer.raw("{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Deny\",\"Resource\":[")
            resource("*")
        }
        writer.raw("]}]},\"context\":")
        writeContext(sub: sub, username: username, clientId: subject.clientId, scopes: subject.scopes, groups: subject.groups, into: &writer)
        writer.raw("}")
        return writer.bytes
    }
}
