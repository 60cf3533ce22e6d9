import JSONValue
import LambdaKit

/// The authorizer's answers, rendered from its one decision in LambdaKit's wire shapes
/// (`AuthorizerResponse`): what goes in them is decided here.
enum AuthorizerAnswer {
    /// `context` of every answer, never the token: `sub`, `username`, `client_id`, `scope` (the
    /// scopes joined by a space), `groups` (the `encodedGroups`), `token_use` and `principal_type`
    /// (`user` or `machine`), written without building the joined strings; a machine token
    /// (`username` nil) has no `username` and no `groups`.
    /// Tests/AuthEndpointsTests/AuthorizerReferencePolicy.swift holds the same as a struct.
    static func writeContext(sub: String, username: String?, subject: AuthorizerSubject, into context: inout AuthorizerResponse.Context) {
        context.string("sub", sub)
        if let username { context.string("username", username) }
        context.string("client_id", subject.clientId)
        context.joined("scope", subject.scopes, separator: " ")
        if username != nil {
            writeGroups(subject.groups, into: &context)
            context.literal("token_use", "access")
            context.literal("principal_type", "user")
        } else {
            context.literal("token_use", "access")
            context.literal("principal_type", "machine")
        }
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
    private static func writeGroups(_ groups: [String], into context: inout AuthorizerResponse.Context) {
        let needsEncoding = groups.withUnsafeBufferPointer { groups in
            groups.contains { $0.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: ",") }) }
        }
        if needsEncoding {
            context.string("groups", encodedGroups(groups))
        } else {
            context.joined("groups", groups, separator: ",")
        }
    }

    /// The HTTP API simple answer of `decision`.
    static func simple(_ decision: AuthorizerDecision, sub: String, username: String?, subject: AuthorizerSubject) -> [UInt8] {
        guard decision.allowed else { return AuthorizerResponse.refused }
        return AuthorizerResponse.allowed { writeContext(sub: sub, username: username, subject: subject, into: &$0) }
    }

    /// The IAM policy answer (REST TOKEN/REQUEST, HTTP API 1.0, HTTP API 2.0 with policy
    /// responses): what a token may do on every route of the API, as statements under `base`
    /// (`arn:…:apiId/stage/`). API Gateway caches it per token and reuses it for every method of
    /// the API, so it is written from the decision's token part only, never from the request that
    /// happened to ask.
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
        var policy = AuthorizerResponse.Policy(principalId: sub, base: base)
        // Rules by index: none is copied (and reference-counted) per request.
        let admitted = decision.admitted
        let admittedCount = admitted.count
        let allowsByDefault = decision.defaultAllows
        if allowsByDefault || admittedCount > 0 {
            policy.statement(.allow)
            if allowsByDefault {
                policy.resource(escapedSuffix: "*")
            } else {
                for rule in rules.rules.indices where admitted.contains(rule) {
                    for suffix in rules.rules[rule].route.escapedAllowSuffixes {
                        suffix.withUnsafeBufferPointer { policy.resource(escapedSuffix: $0) }
                    }
                }
            }
            policy.statement(.deny)
            for rule in rules.rules.indices where !admitted.contains(rule) {
                for suffix in rules.rules[rule].route.escapedDenySuffixes {
                    suffix.withUnsafeBufferPointer { policy.resource(escapedSuffix: $0) }
                }
            }
            for suffix in AuthorizerRules.escapedAmbiguousPathSuffixes { policy.resource(escapedSuffix: suffix) }
            // As the reference policy: the `$default` route's ARN only for a token every rule admits.
            if !(allowsByDefault && admittedCount == rules.rules.count) { policy.resource(escapedSuffix: AuthorizerRules.nonMethodSuffix) }
        } else {
            policy.statement(.deny)
            policy.resource(escapedSuffix: "*")
        }
        return policy.finish { writeContext(sub: sub, username: username, subject: subject, into: &$0) }
    }
}
