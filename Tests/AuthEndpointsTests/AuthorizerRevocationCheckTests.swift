import AuthCore
import LambdaKit
import Logging
import NIOCore
import Testing

@testable import AuthEndpoints

/// The authorizer's revocation seam (issue 22) and logout's mark time, without a network: the
/// store and Cognito are on a closed loopback port, so any call they make fails.
@Suite struct AuthorizerRevocationCheckTests {
    static let logger = Logger(label: "revocation-check-tests")
    static let aws = ["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"]
    static let closedStore = ["AUTH_REVOCATION_TABLE": "revocations", "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9"].merging(aws) { $1 }

    static let user = VerifiedAccessToken(
        sub: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", username: "alice", clientId: AuthorizerTestSupport.clientId, exp: 4_000_000_000,
        authTime: 1_700_000_000)
    static let machine = VerifiedAccessToken(
        sub: AuthorizerTestSupport.clientId, username: "", clientId: AuthorizerTestSupport.clientId, principal: .machine, exp: 4_000_000_000)

    func check(_ revocation: AuthorizerRevocationCheck, _ claims: VerifiedAccessToken) async -> AuthorizerRevocationCheck.Outcome {
        await revocation.check(claims, token: ArraySlice("x.y.z".utf8), deadline: .now() + .seconds(60), logger: Self.logger)
    }

    @Test("the mode is decided at start: off, GetUser, or the store (never both)")
    func modes() throws {
        #expect(try AuthorizerTestSupport.endpoint().revocation.isOff)
        guard case .cognitoGetUser = try AuthorizerTestSupport.endpoint(["AUTHORIZER_CHECK_REVOCATION": "true"]).revocation else {
            Issue.record("AUTHORIZER_CHECK_REVOCATION=true is not the GetUser check")
            return
        }
        guard case .store(let store) = try AuthorizerTestSupport.endpoint(Self.closedStore.merging(["AUTH_REVOCATION_ON_ERROR": "allow"]) { $1 }).revocation else {
            Issue.record("AUTH_REVOCATION_TABLE is not the store")
            return
        }
        #expect(store.config.onError == .allow)
        #expect(store.config.table == "revocations")
        do {
            _ = try AuthorizerTestSupport.endpoint(Self.closedStore.merging(["AUTHORIZER_CHECK_REVOCATION": "true"]) { $1 })
            Issue.record("both revocation modes at once were accepted")
        } catch let error as ConfigurationError {
            #expect(error.problems == [
                "AUTHORIZER_CHECK_REVOCATION=true and AUTH_REVOCATION_TABLE are both set: the revocation store replaces the GetUser check; set only one"
            ])
        }
    }

    @Test("a table without the Lambda environment's credentials is a start error of the authorizer and of logout, one line each")
    func missingCredentials() throws {
        let table = ["AUTH_REVOCATION_TABLE": "revocations", "AWS_REGION": "us-east-1"]
        do {
            _ = try AuthorizerTestSupport.endpoint(table)
            Issue.record("the authorizer started without credentials")
        } catch let error as ConfigurationError {
            #expect(error.problems.contains { $0.hasPrefix("AWS_ACCESS_KEY_ID is not set") }, "\(error.problems)")
        }
        let logoutEnvironment = AuthorizerTestSupport.environment.merging(table) { $1 }
            .merging(["COGNITO_DOMAIN": "https://x.auth.us-east-1.amazoncognito.com", "AUTH_ALLOWED_ORIGINS": "https://app.example.com"]) { $1 }
        do {
            _ = try EndpointFactory.logout(environment: logoutEnvironment, logger: Self.logger)
            Issue.record("logout started without credentials")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("AWS_ACCESS_KEY_ID is not set") }, "\(error.problems)")
        }
        #expect(throws: Never.self) { try EndpointFactory.logout(environment: logoutEnvironment.merging(Self.aws) { $1 }, logger: Self.logger) }
    }

    @Test("a machine token is never checked: no GetUser, no store read")
    func machineTokensAreNotChecked() async throws {
        let store = try AuthorizerTestSupport.endpoint(Self.closedStore).revocation
        let getUser = try AuthorizerTestSupport.endpoint(["AUTHORIZER_CHECK_REVOCATION": "true"]).revocation
        // The same checks reach their (closed) dependency for a user token...
        #expect(await check(store, Self.user) == .unavailable(reason: "revocation_store_unavailable"))
        #expect(await check(getUser, Self.user) == .unavailable(reason: "upstream_unreachable"))
        // ...and never for a machine token.
        #expect(await check(store, Self.machine) == .passed)
        #expect(await check(getUser, Self.machine) == .passed)
    }

    @Test("a store that cannot answer: the decision is the invocation error (fail closed), or passes with AUTH_REVOCATION_ON_ERROR=allow")
    func storeUnavailableThroughTheHandler() async throws {
        let token = AuthorizerTestSupport.token()
        let event = AuthorizerTestSupport.v2Event(token, method: "GET", path: "/x")
        let closed = try AuthorizerTestSupport.endpoint(Self.closedStore)
        await #expect(throws: AuthorizerUpstreamError(reason: "revocation_store_unavailable")) {
            _ = try await closed.handle(event, context: AuthorizerTestSupport.context())
        }
        let open = try AuthorizerTestSupport.endpoint(Self.closedStore.merging(["AUTH_REVOCATION_ON_ERROR": "allow"]) { $1 })
        let answer = try await open.handle(event, context: AuthorizerTestSupport.context())
        #expect(String(decoding: answer, as: UTF8.self).hasPrefix(#"{"isAuthorized":true"#))
    }

    @Test("logout's T is now, but never before the presented token's own sign-in (clock skew)")
    func markTime() {
        #expect(LogoutEndpoint.markTime(now: 1_700_000_000.9, authTime: 1_699_000_000) == 1_700_000_000)
        #expect(LogoutEndpoint.markTime(now: 1_700_000_000.9, authTime: 1_700_000_002) == 1_700_000_002)
        #expect(LogoutEndpoint.markTime(now: 1_700_000_000.2, authTime: nil) == 1_700_000_000)
    }

    @Test("a failed mark is a 502 with its own code, nothing of the store's error in the body")
    func writeFailureProblem() {
        let problem = ErrorTable.revocationStoreWrite(.accessDenied("AccessDeniedException"))
        #expect(problem.status == 502)
        #expect(problem.code == "revocation_store_unavailable")
        #expect(problem.logDetail == "access denied (AccessDeniedException)")
        #expect(!String(decoding: problem.response.body, as: UTF8.self).contains("AccessDenied"))
    }
}
