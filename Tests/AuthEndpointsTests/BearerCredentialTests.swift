import Testing

@testable import AuthEndpoints

/// `BearerCredential` is the product's one bearer parser: `BearerGuard` reads header values as
/// Strings, the authorizer as byte slices of its event; both get the same token or the same failure.
@Suite struct BearerCredentialTests {
    static let oversized = "Bearer " + String(repeating: "x", count: 8193)

    static let cases: [([String], Result<String, CredentialFailure>)] = [
        (["Bearer a.b.c"], .success("a.b.c")),
        (["  bearer   a.b.c  "], .success("a.b.c")),
        (["Bearer tök.en"], .success("tök.en")),
        ([], .failure(.missing)),
        (["   "], .failure(.missing)),
        (["Basic ZGVtbzp4"], .failure(.notBearerScheme)),
        (["Bearér a.b.c"], .failure(.notBearerScheme)),
        (["Bearer"], .failure(.malformedHeader)),
        (["Bearer a b"], .failure(.malformedHeader)),
        (["Bearer ö b"], .failure(.malformedHeader)),
        (["Bearer a.b.c", "Bearer a.b.c"], .failure(.malformedHeader)),
        ([oversized], .failure(.oversizedToken)),
    ]

    @Test func stringsAndBytesGetTheSameAnswer() {
        for (values, expected) in Self.cases {
            let fromStrings = Result { () throws(CredentialFailure) in try BearerCredential.token(headerValues: values) }
            let fromBytes = Result { () throws(CredentialFailure) in
                String(decoding: try BearerCredential.token(headerValues: values.map { ArraySlice($0.utf8) }), as: UTF8.self)
            }
            #expect(fromStrings == expected, "\(values.map { $0.prefix(20) })")
            #expect(fromBytes == expected, "\(values.map { $0.prefix(20) })")
        }
    }

    /// The authorizer logs and records the failure's reason; me and logout answer with its
    /// problem. Both are the code the bearer guard's problem carried before the split.
    @Test func theAuthorizersReasonIsTheCodeMeAnswersWith() {
        let reasons: [(CredentialFailure, String)] = [
            (.missing, "not_authenticated"), (.notBearerScheme, "invalid_authentication_scheme"),
            (.malformedHeader, "invalid_token"), (.oversizedToken, "invalid_token"),
        ]
        for (failure, reason) in reasons {
            #expect(failure.reason == reason)
            #expect(ErrorTable.credential(failure).code == reason)
            #expect(ErrorTable.credential(failure).status == 403)
        }
    }
}
