import AuthCore
import NIOCore

enum CognitoTestSupport {
    static let clientId = "1example23456789"
    static let clientSecret = "s3cr3t-abcdefghijklmnopqrstuvwxyz0123"

    /// A client whose domain and JSON API both point at `baseURL`.
    static func client(_ baseURL: String, secret: String? = nil) -> CognitoClient {
        CognitoClient(config: config(baseURL, secret: secret))
    }

    /// A client that reaches Cognito through `upstream` only.
    static func client(_ upstream: FakeUpstream, secret: String? = nil) -> CognitoClient {
        CognitoClient(config: config(upstream.baseURL, secret: secret), transport: upstream)
    }

    static func config(_ baseURL: String, secret: String? = nil) -> CognitoConfig {
        CognitoConfig(
            region: "us-east-1", userPoolId: "us-east-1_Example", clientId: clientId, clientSecret: secret,
            domain: baseURL, redirectURIs: ["https://app.example.com/callback"], idpEndpoint: baseURL
        )
    }

    static func deadline(_ seconds: Int64 = 60) -> NIODeadline { .now() + .seconds(seconds) }  // a minute: no stall of a loaded machine reaches it

    /// A JWT-shaped string long enough to look like a real access token.
    static let fakeAccessToken =
        "eyJraWQiOiJrZXktMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJhYmMiLCJ0b2tlbl91c2UiOiJhY2Nlc3MiLCJleHAiOjE5MDAwMDAwMDB9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2lnbmF0dXJl"

    static let tokenResponse = """
        {"access_token":"\(fakeAccessToken)","id_token":"id.token.value","refresh_token":"refresh-token-value","expires_in":3600,"token_type":"Bearer"}
        """
}
