@testable import AuthEndpoints
import JSONValue

// The reference policy: the general, String-based form of the cache-safe IAM policy, which the
// product writes as bytes in one pass (`AuthorizerAnswer.policy(base:rules:…)`). Tests compare the
// two (AuthorizerFastPathTests) and read statements from this form; no product code calls it, so
// it lives here (issue 19: reference paths only tests use move to Tests/).

extension AuthorizerRules {
    /// What a token may do on every route of the API, as IAM statements under `base`
    /// (`arn:…:apiId/stage/`): the answer API Gateway caches per token and reuses for every
    /// method of the API, so it must not depend on the request that happened to ask.
    ///
    /// Allow: everything (`base*`) when the default allows (never for a machine token), else every
    /// admitted rule's routes. The token's clients, scopes, groups and claims are all the
    /// conditions read, so the policy is right for every route it is reused for.
    /// Deny: every refused rule's routes, and every ambiguous path. IAM lets an explicit Deny win
    /// over any Allow, which is first-match-wins exactly because `parse` refuses rule lists where
    /// an earlier rule could admit a token that a later, overlapping rule refuses.
    func policy(base: String, _ subject: AuthorizerSubject) -> (allow: [String], deny: [String]) {
        let allowsByDefault = defaultAllows(subject)
        var allow: [String] = allowsByDefault ? [base + "*"] : []
        var deny: [String] = []
        for rule in rules {
            if rule.admits(subject) {
                if !allowsByDefault { allow += rule.route.resources(base: base) }
            } else {
                deny += rule.route.denyResources(base: base)
            }
        }
        if allow.isEmpty {
            // Nothing admitted: one explicit Deny of the whole API says so plainly.
            return ([], [base + "*"])
        }
        // The paths `decide` refuses as ambiguous, refused by IAM too (resources carry no leading
        // `/` after the method: `GET//x` is an empty segment right after it).
        deny += Self.ambiguousPathResources(base: base)
        if !(allowsByDefault && deny.count == Self.ambiguousPathSuffixes.count) {
            // A `$default`-route ARN (`…/stage/$default`) names no path: the same ARN for every
            // request that route serves, so a cached Allow of it would admit a route a rule refuses.
            // Only a token that every rule admits (under a default that allows) may use it.
            deny.append(base + Self.nonMethodSuffix.description)
        }
        return (allow, deny)
    }

    static func ambiguousPathResources(base: String) -> [String] {
        ambiguousPathSuffixes.map { base + $0.description }
    }
}

extension RoutePattern {
    /// The IAM `Resource` patterns of an Allow of this route under `base` (`arn:…:apiId/stage/`).
    func resources(base: String) -> [String] {
        allowSuffixes().map { base + $0 }
    }

    /// The IAM `Resource` patterns of a Deny of this route under `base`.
    func denyResources(base: String) -> [String] {
        denySuffixes().map { base + $0 }
    }
}

extension AuthorizerRule {
    /// Whether a token with these facts satisfies the rule's conditions.
    func admits(_ subject: AuthorizerSubject) -> Bool {
        Self.conditions(groups: groups, scopes: scopes, clients: clients, claims: claims, subject)
    }
}

extension AuthorizerAnswer {
    /// An IAM policy answer (REST TOKEN/REQUEST, HTTP API 1.0, HTTP API 2.0 with policy responses).
    static func policy(principalId: String, allow: [String], deny: [String], context: Context) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.raw("{\"principalId\":")
        writer.string(principalId)
        writer.raw(",\"policyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[")
        var first = true
        for (effect, resources) in [("Allow", allow), ("Deny", deny)] where !resources.isEmpty {
            if !first { writer.raw(",") }
            first = false
            writer.raw("{\"Action\":\"execute-api:Invoke\",\"Effect\":")
            writer.string(effect)
            writer.raw(",\"Resource\":[")
            for (index, resource) in resources.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(resource)
            }
            writer.raw("]}")
        }
        writer.raw("]},\"context\":")
        context.write(into: &writer)
        writer.raw("}")
        return writer.bytes
    }
}

// The reference answers' context: the struct the product's `AuthorizerAnswer.writeContext` writes
// without building, and the simple answer written from it.
extension AuthorizerAnswer {
    /// `context` of every answer: strings only (REST refuses arrays and objects), never the token.
    struct Context: Sendable, Equatable {
        var sub: String
        /// nil for a machine token (it acts for no user): the member is left out.
        var username: String?
        var clientId: String
        /// Space-separated, as in the token's `scope`.
        var scope: String
        /// Comma-separated `cognito:groups`, each name with `%` and `,` percent-encoded
        /// (`encodedGroups`); nil for a machine token (left out).
        var groups: String?
        var tokenUse: String
        /// `user` or `machine` (`VerifiedAccessToken.Principal`).
        var principalType: String

        func write(into writer: inout JSONWriter) {
            writer.raw("{\"sub\":")
            writer.string(sub)
            if let username {
                writer.raw(",\"username\":")
                writer.string(username)
            }
            writer.raw(",\"client_id\":")
            writer.string(clientId)
            writer.raw(",\"scope\":")
            writer.string(scope)
            if let groups {
                writer.raw(",\"groups\":")
                writer.string(groups)
            }
            writer.raw(",\"token_use\":")
            writer.string(tokenUse)
            writer.raw(",\"principal_type\":")
            writer.string(principalType)
            writer.raw("}")
        }
    }

    /// HTTP API simple response: `{"isAuthorized": true, "context": {...}}`; refused: `{"isAuthorized": false}`.
    static func simple(allowed: Bool, context: Context?) -> [UInt8] {
        guard allowed, let context else { return Array(#"{"isAuthorized":false}"#.utf8) }
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"isAuthorized\":true,\"context\":")
        context.write(into: &writer)
        writer.raw("}")
        return writer.bytes
    }
}
