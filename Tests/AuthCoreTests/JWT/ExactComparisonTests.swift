import Testing

@testable import AuthCore

/// Issue 9.1: Swift's `String ==` says canonically equivalent spellings are equal; every check
/// that decides access compares exact code points instead.
@Suite("Exact comparisons: canonically equivalent spellings are different values")
struct ExactComparisonTests {
    typealias S = JWTTestSupport

    /// Pairs `String ==` calls equal while their bytes differ.
    static let equivalentPairs: [(String, String)] = [
        ("K", "\u{212A}"),  // KELVIN SIGN decomposes to K
        (";", "\u{37E}"),  // GREEK QUESTION MARK decomposes to ;
        ("\u{E9}", "e\u{301}"),  // precomposed vs decomposed é
        ("\u{C5}", "\u{212B}"),  // Å vs ANGSTROM SIGN
    ]

    @Test("ExactText tells apart what String == does not")
    func exactText() {
        for (a, b) in Self.equivalentPairs {
            #expect(a == b, "the premise: String == calls \(Array(a.unicodeScalars)) and \(Array(b.unicodeScalars)) equal")
            #expect(!ExactText.equal(a, b))
            #expect(!ExactText.contains([a], b))
            #expect(ExactText.equal(a, a))
        }
        #expect(ExactText.equalIgnoringASCIICase("BeArEr", "bearer"))
        #expect(!ExactText.equalIgnoringASCIICase("\u{212A}", "k"))
        #expect(!ExactText.equalIgnoringASCIICase("bearer ", "bearer"))
        #expect(!ExactText.equalIgnoringASCIICase("[", "{"))  // 0x5B | 0x20 == 0x7B, but neither is a letter
    }

    /// A pool and a client whose ids contain K, so a Kelvin-sign spelling is canonically equal.
    static let poolId = "us-east-1_KeyPool"
    static let clientId = "Kclient1"
    static var issuer: String { "https://cognito-idp.us-east-1.amazonaws.com/\(poolId)" }

    static func verifier() -> AccessTokenVerifier {
        let config = CognitoConfig(region: "us-east-1", userPoolId: poolId, clientId: clientId)
        return AccessTokenVerifier(config: config, keys: JWKSCache(url: "http://127.0.0.1:9/jwks.json", preloaded: Array(S.defaultJWKS.utf8)), now: { S.now })
    }

    static func claims(iss: String = issuer, clientId: String = clientId, tokenUse: String = "access") -> String {
        S.claims(overrides: ["iss": "\"\(iss)\"", "client_id": "\"\(clientId)\"", "token_use": "\"\(tokenUse)\""])
    }

    @Test("iss, client_id and token_use: the exact value verifies, a canonically equivalent one does not")
    func claims() async throws {
        _ = try await Self.verifier().verify(S.token(payload: Self.claims()), deadline: S.deadline())
        // JSON escapes are the same code points, so they still match.
        _ = try await Self.verifier().verify(S.token(payload: Self.claims(clientId: #"\u004Bclient1"#)), deadline: S.deadline())

        let kelvinIssuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_\u{212A}eyPool"
        #expect(kelvinIssuer == Self.issuer)  // the premise
        #expect(await S.failure(of: S.token(payload: Self.claims(iss: kelvinIssuer)), with: Self.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: Self.claims(iss: #"https:\/\/cognito-idp.us-east-1.amazonaws.com\/us-east-1_\u212Aey"# + "Pool")), with: Self.verifier()) == .wrongIssuer)
        #expect(await S.failure(of: S.token(payload: Self.claims(clientId: "\u{212A}client1")), with: Self.verifier()) == .wrongClient)
        #expect(await S.failure(of: S.token(payload: Self.claims(clientId: #"\u212Aclient1"#)), with: Self.verifier()) == .wrongClient)
    }

    @Test("the configured redirect URIs are deduplicated by bytes, not by canonical equivalence")
    func redirectAllowList() throws {
        let config = try CognitoConfig.fromEnvironment([
            "AWS_REGION": "us-east-1", "COGNITO_USER_POOL_ID": "us-east-1_AbC123", "COGNITO_CLIENT_ID": "client1",
            "COGNITO_REDIRECT_URI": "https://app.example.com/K,https://app.example.com/K",
        ])
        #expect(config.redirectURIs == ["https://app.example.com/K"])
    }
}
