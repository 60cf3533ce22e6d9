@testable import AuthCore
import NIOHTTP1
import Testing

@Suite("Cognito values: redaction, error-type parsing")
struct CognitoValueTests {
    @Test("TokenSet's description, debugDescription and dump never show a token")
    func tokenSetRedacts() {
        let tokens = TokenSet(accessToken: "ACCESS-SECRET", idToken: "ID-SECRET", refreshToken: "REFRESH-SECRET", expiresIn: 3600, tokenType: "Bearer")
        var dumped = ""
        dump(tokens, to: &dumped)
        for text in [tokens.description, tokens.debugDescription, "\(tokens)", String(reflecting: tokens), dumped] {
            #expect(!text.contains("SECRET"), "\(text)")
        }
        #expect(tokens.description.contains("expiresIn: 3600"))
        let partial = TokenSet(accessToken: "A", idToken: nil, refreshToken: nil, expiresIn: 1, tokenType: "Bearer")
        #expect(partial.description.contains("idToken: nil"))
    }

    @Test("sanitize cuts secrets, long token-like runs and control characters, and caps the length")
    func sanitize() {
        #expect(UpstreamText.sanitize("bad code abc12345 here", secrets: ["abc12345"]) == "bad code <redacted> here")
        // Too short to be a credential: left alone rather than garbling the text.
        #expect(UpstreamText.sanitize("bad code c here", secrets: ["c"]) == "bad code c here")
        let jwtLike = String(repeating: "x", count: 20) + "." + String(repeating: "y", count: 20)
        #expect(UpstreamText.sanitize("see \(jwtLike) end", secrets: []) == "see <redacted> end")
        #expect(UpstreamText.sanitize("short.run.ok", secrets: []) == "short.run.ok")
        #expect(UpstreamText.sanitize("line1\nline2\r\tx", secrets: []) == "line1 line2  x")
        let long = UpstreamText.sanitize(String(repeating: "ab ", count: 200), secrets: [])
        #expect(long.count == UpstreamText.excerptLimit + 1)
        #expect(long.hasSuffix("…"))
    }

    @Test("__type with or without namespace, header with or without suffix")
    func errorTypeParsing() {
        #expect(CognitoResponseReader.errorType(.object(["__type": .string("NotAuthorizedException")]), headers: [:]) == "NotAuthorizedException")
        #expect(CognitoResponseReader.errorType(.object(["__type": .string("a.b.c#UserNotFoundException")]), headers: [:]) == "UserNotFoundException")
        #expect(CognitoResponseReader.errorType(nil, headers: ["x-amzn-ErrorType": "TooManyRequestsException:http://internal.amazon.com/"]) == "TooManyRequestsException")
        #expect(CognitoResponseReader.errorType(.object([:]), headers: ["X-Amzn-ErrorType": "ns#LimitExceededException"]) == "LimitExceededException")
        #expect(CognitoResponseReader.errorType(.object([:]), headers: [:]) == nil)
        // The body wins over the header.
        #expect(CognitoResponseReader.errorType(.object(["__type": .string("UserNotFoundException")]), headers: ["x-amzn-ErrorType": "NotAuthorizedException"]) == "UserNotFoundException")
    }
}
