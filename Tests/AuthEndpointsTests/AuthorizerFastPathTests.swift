import AuthCore
import Foundation
import JSONValue
import LambdaKit
import Testing

@testable import AuthEndpoints

/// The authorizer's per-decision fast paths give what the plain, slower ways give.
@Suite struct AuthorizerFastPathTests {
    typealias Support = AuthorizerTestSupport

    /// Every ASCII byte, escapes, non-ASCII (composed and decomposed), and empty strings.
    static let awkwardStrings: [String] = {
        var strings = ["", "plain", "a\"b", "back\\slash", "new\nline\r\t", "caf\u{e9}", "cafe\u{301}", "\u{212A}", "😀 x", "/x/"]
        strings.append(String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self))
        strings += (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        return strings
    }()

    /// The escaper the policy fragments use (JSONWriter's) checked from outside: Foundation's
    /// decoder reads each quoted fragment back as the text, and no raw control byte is left.
    @Test func escapedFragmentsDecodeBackToTheText() throws {
        for text in Self.awkwardStrings {
            var bytes: [UInt8] = []
            JSONWriter.appendStringContents(text, to: &bytes)
            #expect(!bytes.contains { $0 < 0x20 }, "\(Array(text.utf8))")
            let quoted = Data([UInt8(ascii: "\"")] + bytes + [UInt8(ascii: "\"")])
            let decoded = try JSONSerialization.jsonObject(with: quoted, options: .fragmentsAllowed) as? String
            #expect(decoded.map { Array($0.utf8) } == Array(text.utf8), "\(Array(text.utf8))")
        }
    }

    @Test func simpleAllowedAnswersAreTheContextAnswers() {
        let lists: [[String]] = [[], ["one"], ["admins", "readers"], Self.awkwardStrings, ["", ""], ["a b", "c,d"]]
        for sub in ["sub-1234", "x\"y"] {
            for scopes in lists {
                for groups in lists {
                    let context = AuthorizerAnswer.Context(
                        sub: sub, username: "u\\" + sub, clientId: "client", scope: scopes.joined(separator: " "),
                        groups: AuthorizerAnswer.encodedGroups(groups), tokenUse: "access")
                    let expected = AuthorizerAnswer.simple(allowed: true, context: context)
                    let fast = AuthorizerAnswer.simpleAllowed(sub: sub, username: "u\\" + sub, clientId: "client", scopes: scopes, groups: groups)
                    #expect(fast == expected, "\(scopes) \(groups)")
                }
            }
        }
    }

    /// The policy written from precomputed fragments is, byte for byte, the one built from
    /// `AuthorizerRules.policy` resource strings and `JSONWriter`, for every token shape.
    @Test(arguments: [true, false])
    func policyAnswersAreTheResourceListAnswers(defaultAllows: Bool) throws {
        let ruleSets = [
            AuthorizerRulesTests.rulesJSON, "[]", #"[{"route":"ANY /q'x(y)/*","scopes":["s"]},{"route":"POST /only","groups":["g","admins"]}]"#,
        ]
        let tokens: [([String], [String])] = [([], []), (["admins"], []), (["users"], ["reports/read"]), (["admins", "users", "g"], ["reports/read", "s"]), (Self.awkwardStrings, Self.awkwardStrings)]
        let bases = [AuthorizerTestSupport.base, "arn:aws:execute-api:r:1:a\"b\\c/st\n/"]
        for text in ruleSets {
            let rules = try AuthorizerRules.parse(text, defaultAllows: defaultAllows).get()
            for base in bases {
                for (groups, scopes) in tokens {
                    let statements = rules.policy(base: base, groups: groups, scopes: scopes)
                    let context = AuthorizerAnswer.Context(
                        sub: "s\"1", username: "u", clientId: "c", scope: scopes.joined(separator: " "), groups: AuthorizerAnswer.encodedGroups(groups),
                        tokenUse: "access")
                    let expected = AuthorizerAnswer.policy(principalId: "s\"1", allow: statements.allow, deny: statements.deny, context: context)
                    let fast = AuthorizerAnswer.policy(base: base, rules: rules, sub: "s\"1", username: "u", clientId: "c", scopes: scopes, groups: groups)
                    #expect(fast == expected, "\(text) \(base) \(groups) \(scopes)")
                }
            }
        }
    }

    /// The split-based parser the byte scan replaced: the reference for the ARN's shape.
    static func referenceArn(_ text: String) -> ExecuteAPIArn? {
        let bytes = Array(text.utf8)
        let fields = bytes.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, Array(fields[0]) == Array("arn".utf8), !fields[1].isEmpty,
            Array(fields[2]) == Array("execute-api".utf8), !fields[3].isEmpty, !fields[4].isEmpty
        else { return nil }
        let resource = fields[5]
        let parts = resource.split(separator: UInt8(ascii: "/"), maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        let baseLength = bytes.count - resource.count + parts[0].count + 1 + parts[1].count + 1
        let path: [UInt8] = [UInt8(ascii: "/")] + (parts.count == 4 ? Array(parts[3]) : [])
        return ExecuteAPIArn(base: String(decoding: bytes[..<baseLength], as: UTF8.self), method: Array(parts[2]), path: path)
    }

    @Test func arnsParseAsTheSplitParserDid() {
        let pieces = ["arn", "aws", "execute-api", "us-east-1", "1", "api", "prod", "GET", "x", "", ":", "/", "arn:", "execute-apix", "a/b"]
        var texts: [String] = [
            "arn:aws:execute-api:us-east-1:123456789012:abc/$default/GET/admin/users", "arn:aws:execute-api:r:a:api/st/GET",
            "arn:aws:execute-api:r:a:api/st/GET/", "arn:aws:execute-api:r:a:api/st//x", "arn:aws:execute-api:r:a:/st/GET/x",
            "arn:aws:execute-api:r:a:api//GET/x", "arn:aws:execute-api:r:a:api/st", "arn:aws:execute-api:r:a:", "arn:aws:execute-api:r::api/st/GET/x",
            "arn::execute-api:r:a:api/st/GET/x", "ARN:aws:execute-api:r:a:api/st/GET/x", "arn:aws:execute-api:r:a:api/st/GET/a:b/c//d",
            "arn:aws:execute-api:r:a:b:c:api/st/GET/x", "xarn:aws:execute-api:r:a:api/st/GET/x", "arn:aws:execute-api:r:a:api/st/GET/caf\u{e9}",
        ]
        // Every sequence of three of the pieces joined by ':' and '/' in turn, for the edges.
        for a in pieces {
            for b in pieces {
                texts.append("arn:aws:execute-api:\(a):\(b):api/st/GET/x")
                texts.append("arn:aws:execute-api:r:a:\(a)/\(b)/GET/x")
                texts.append("arn:\(a):\(b):r:a:api/st/\(a)/\(b)")
            }
        }
        for text in texts {
            #expect(ExecuteAPIArn.parse(ArraySlice(text.utf8)) == Self.referenceArn(text), "\(text)")
        }
    }

    func v2Event(header: String, identitySource: String, extraHeaders: String = "", requestContext: String? = nil) -> [UInt8] {
        let context = requestContext ?? #"{"http":{"method":"GET","path":"/pets"},"stage":"$default"}"#
        return Array(#"{"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:api1/$default/GET/pets","identitySource":["\#(identitySource)"],"rawPath":"/pets","headers":{"host":"x","authorization":"\#(header)"\#(extraHeaders)},"requestContext":\#(context)}"#.utf8)
    }

    /// The token is the Authorization header's, whatever identitySource says.
    @Test func theTokenIsTheHeadersNotIdentitySources() async throws {
        let simple = try Support.endpoint()
        let valid = Support.token()
        let forged = Support.token(key: 1)
        let allowed = try await simple.handle(v2Event(header: "Bearer " + valid, identitySource: "Bearer " + forged), context: Support.context())
        #expect(String(decoding: allowed, as: UTF8.self).hasPrefix(#"{"isAuthorized":true"#))
        let refused = try await simple.handle(v2Event(header: "Bearer " + forged, identitySource: "Bearer " + valid), context: Support.context())
        #expect(refused == Array(#"{"isAuthorized":false}"#.utf8))
    }

    /// Repeated names are refused at every level the reader walks, and in values it skips.
    @Test func repeatedMembersAnywhereAreRefused() async throws {
        let policy = try Support.endpoint(["AUTHORIZER_RESPONSE": "policy"])
        let valid = Support.token()
        let header = "Bearer " + valid
        #expect(try await policy.handle(v2Event(header: header, identitySource: header), context: Support.context()).count > 20)
        let repeated: [[UInt8]] = [
            v2Event(header: header, identitySource: header, extraHeaders: #","host":"y""#),
            v2Event(header: header, identitySource: header, extraHeaders: #","Authorization":"\#(header)""#),
            v2Event(header: header, identitySource: header, requestContext: #"{"http":{"method":"GET","method":"POST"},"stage":"$default"}"#),
            v2Event(header: header, identitySource: header, requestContext: #"{"http":{"method":"GET"},"http":{"method":"GET"}}"#),
            v2Event(header: header, identitySource: header, requestContext: #"{"http":{"method":"GET"},"other":{"a":1,"a":2}}"#),
            Array(#"{"version":"2.0","version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:1:api1/$default/GET/pets","rawPath":"/pets","headers":{"authorization":"\#(header)"},"requestContext":{"http":{"method":"GET"}}}"#.utf8),
        ]
        for event in repeated {
            #expect(await Support.isUnauthorized(policy, event), "\(String(decoding: event, as: UTF8.self).prefix(200))")
        }
    }

    /// Member names are exact bytes: other spellings of the names the reader keeps are other members.
    @Test func memberNamesAreExactBytes() async throws {
        let policy = try Support.endpoint(["AUTHORIZER_RESPONSE": "policy"])
        let valid = Support.token()
        for name in ["Type", "typ", "types", "t\u{0079}pe\u{301}"] {
            let event = Array(#"{"\#(name)":"TOKEN","authorizationToken":"Bearer \#(valid)","methodArn":"\#(Support.base)GET/pets"}"#.utf8)
            #expect(await Support.isUnauthorized(policy, event), "\(name)")
        }
        for name in ["MethodArn", "methodarn", "methodArn "] {
            let event = Array(#"{"type":"TOKEN","authorizationToken":"Bearer \#(valid)","\#(name)":"\#(Support.base)GET/pets"}"#.utf8)
            #expect(await Support.isUnauthorized(policy, event), "\(name)")
        }
        let escaped = Array(#"{"type":"TOKEN","authorizationToken":"Bearer \#(valid)","method\u0041rn":"\#(Support.base)GET/pets"}"#.utf8)
        #expect(try Support.iamAllows(try await policy.handle(escaped, context: Support.context()), arn: Support.base + "GET/pets"))
    }
}
