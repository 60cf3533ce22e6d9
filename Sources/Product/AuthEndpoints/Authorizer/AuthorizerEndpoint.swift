import AuthCore
import JSONValue
import LambdaKit
import Logging

/// The API Gateway Lambda authorizer: the bearer guard's token rules and the same verifier as
/// `me`, then `AUTHORIZER_RULES`, answered in the wire format of the event's family.
///
/// Refusals: a missing or invalid token is the function error `Unauthorized` (API Gateway's 401)
/// for policy answers and `isAuthorized: false` for simple ones; a valid token the rules refuse
/// gets a policy whose Deny covers the route (a 403), or `isAuthorized: false`.
public struct AuthorizerEndpoint: Sendable {
    let verifier: AccessTokenVerifier
    /// After verification: `GetUser`, the revocation store, or nothing (see the type).
    let revocation: AuthorizerRevocationCheck
    let config: AuthorizerConfig

    init(verifier: AccessTokenVerifier, revocation: AuthorizerRevocationCheck, config: AuthorizerConfig) {
        self.verifier = verifier
        self.revocation = revocation
        self.config = config
    }

    /// Why a request is refused, for the log line (never anything of the token).
    private struct Refusal: Error {
        var reason: String
        var detail: String?
    }

    public func handle(_ payload: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let event: AuthorizerEvent
        do {
            event = try AuthorizerEvent.read(payload)
        } catch {
            // Security: an event that cannot be read exactly is never decided on.
            context.logger.warning("authorizer refused", metadata: ["reason": "unreadable_event", "detail": .string(error.description)])
            context.outcome.record("unreadable_event")
            throw FunctionError.unauthorized
        }
        let family = event.family
        let simple = family == .httpV2 && config.responseFormat == .simple
        do {
            return try await decide(event, simple: simple, context: context)
        } catch let refusal as Refusal {
            var metadata: Logger.Metadata = ["reason": .string(refusal.reason), "family": .string("\(family)")]
            if let detail = refusal.detail { metadata["detail"] = .string(detail) }
            context.logger.info("authorizer refused", metadata: metadata)
            // A fixed reason code (the verifier's and the bearer guard's), never request data.
            context.outcome.record(refusal.reason)
            if simple { return AuthorizerResponse.refused }
            throw FunctionError.unauthorized
        }
    }

    private func decide(_ event: AuthorizerEvent, simple: Bool, context: LambdaContext) async throws -> [UInt8] {
        let token: ArraySlice<UInt8>
        do {
            // The same rules as `me`: one Authorization value, scheme Bearer (ASCII case-insensitive),
            // exactly one token, size cap. A TOKEN event carries the header's value as authorizationToken.
            // Performance: closures, not `event.bytes` as a function value, which would copy the
            // event (and reference-count its arrays) per use; one value needs no array.
            if event.family == .restToken {
                token = try BearerCredential.token(headerValues: event.authorizationToken.map { [event.bytes($0)] } ?? [])
            } else if event.authorization.count == 1 {
                token = try BearerCredential.token(headerValues: CollectionOfOne(event.bytes(event.authorization[0])))
            } else {
                token = try BearerCredential.token(headerValues: event.authorization.map { event.bytes($0) })
            }
        } catch {
            throw Refusal(reason: error.reason)
        }
        // Every family is decided on the path within the API (`RequestRoute`); policies also need
        // the ARN's base.
        let arn: ExecuteAPIArn?
        let route: RequestRoute
        let arnBytes = event.bytes(event.arn)
        guard let layout = event.withBytes(event.arn, ExecuteAPIArn.layout) else { throw Refusal(reason: "malformed_arn") }
        if event.family == .httpV2, let method = event.method, let rawPath = event.rawPath {
            route = RequestRoute(
                arn: arnBytes, layout: layout, requestMethod: event.bytes(method), rawPath: event.bytes(rawPath), stage: event.stage.map { event.bytes($0) })
        } else {
            route = RequestRoute(arn: arnBytes, layout: layout)
        }
        if simple {
            arn = nil
        } else {
            guard let parsed = ExecuteAPIArn.parse(arnBytes) else { throw Refusal(reason: "malformed_arn") }
            arn = parsed
        }
        // Performance: nothing of `event` is read past this point, so the async frame does not
        // keep (copy and reference-count) the event across the awaits below.
        let deadline = UpstreamDeadline.forInvocation(context)
        let claims: VerifiedAccessToken
        do {
            claims = try await verifier.verify(token, deadline: deadline)
        } catch .keysUnavailable(let why) {
            context.logger.error("authorizer cannot verify", metadata: ["reason": "jwks_unavailable", "detail": .string(why)])
            context.outcome.record("jwks_unavailable")
            throw AuthorizerUpstreamError(reason: "jwks_unavailable")
        } catch {
            // Forged, expired, ID tokens, other pools or clients: never past this point.
            throw Refusal(reason: error.reason, detail: error.logDetail)
        }
        // Revocation (issue 22): one check per decision for a user token, never for a machine token.
        if !revocation.isOff {
            switch await revocation.check(claims, token: token, deadline: deadline, logger: context.logger) {
            case .passed: break
            case .refused(let reason): throw Refusal(reason: reason)
            case .unavailable(let reason):
                context.outcome.record(reason)
                throw AuthorizerUpstreamError(reason: reason)
            }
        }
        // Read once each: the verified token decodes its claims on every read. A machine token has
        // no username and no groups, and reports none (issue 21).
        let subject = AuthorizerSubject(claims, claimNames: config.rules.claimNames)
        let username: String? = claims.isMachine ? nil : claims.username
        // Decided once; each answer family writes its part of it.
        let decision = route.decide(config.rules, subject)
        log(decision, context: context)
        guard let arn else {
            return AuthorizerAnswer.simple(decision, sub: claims.sub, username: username, subject: subject)
        }
        // The policy depends on the token's part only (API Gateway caches it per token for every
        // route); the decision for this request is logged, and IAM reaches the same one (or, for the
        // refusals IAM cannot write, such as case variants, allows where it is logged refused).
        return AuthorizerAnswer.policy(base: arn.base, rules: config.rules, decision: decision, subject: subject, sub: claims.sub, username: username)
    }

    private func log(_ decision: AuthorizerDecision, context: LambdaContext) {
        context.outcome.record(decision.allowed ? "allow" : "deny")
        // Performance: the rule's metadata is built only when the line is written (autoclosures).
        if decision.allowed {
            context.logger.debug("authorizer allowed", metadata: ["rule": Self.ruleMetadata(decision.rule)])
        } else {
            context.logger.info("authorizer refused", metadata: ["reason": "rule_refused", "rule": Self.ruleMetadata(decision.rule)])
        }
    }

    private static func ruleMetadata(_ rule: Int?) -> Logger.MetadataValue {
        rule.map { .string("\($0)") } ?? "default"
    }
}
