import AuthCore
import LambdaKit

/// The refresh-token cookie: the one place its name, attributes and reading rules live.
///
/// `__Host-` makes browsers refuse the cookie unless it is `Secure`, has `Path=/` and no `Domain`,
/// so no sibling subdomain can plant or shadow it. `HttpOnly` keeps it out of JavaScript's reach.
struct RefreshCookie: Sendable {
    static let name = "__Host-refresh_token"

    let maxAge: Int
    let sameSite: SessionConfig.SameSite

    init(config: SessionConfig) {
        self.maxAge = config.cookieMaxAge
        self.sameSite = config.sameSite
    }

    /// `Set-Cookie` that stores `token`.
    func setting(_ token: String) -> String {
        "\(Self.name)=\(token); Path=/; Max-Age=\(maxAge); Secure; HttpOnly; SameSite=\(sameSite.rawValue)"
    }

    /// `Set-Cookie` that deletes the cookie (same name, path and attributes, so browsers match it).
    var clearing: String {
        "\(Self.name)=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=\(sameSite.rawValue)"
    }

    enum Reading: Equatable {
        case absent
        case present(String)
        /// A cookie of that name the request carries but that cannot be used: two of them, or a
        /// malformed value. Its 400 is the answer when nothing else can be done.
        case unusable(SessionFailure)
    }

    /// The refresh token of the request's cookie. Two cookies of that name are refused, not
    /// resolved (which one a browser sends first is not defined, and a second one can be planted
    /// by a related domain if the prefix is ever dropped). Names are compared byte for byte.
    static func read(_ request: HTTPRequest) -> Reading {
        var found: String? = nil
        for pair in request.cookies {
            var utf8 = Substring(pair).utf8
            while let first = utf8.first, first == 0x20 || first == 0x09 { utf8 = utf8.dropFirst() }
            guard let equals = utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            guard utf8[..<equals].elementsEqual(name.utf8) else { continue }
            guard found == nil else {
                return .unusable(.severalRefreshCookies)
            }
            found = String(Substring(utf8[utf8.index(after: equals)...]))
        }
        guard let found, !found.isEmpty else { return .absent }
        guard isWellFormed(found) else { return .unusable(.malformedRefreshToken) }
        return .present(found)
    }

    /// A refresh token as it may be forwarded to Cognito: bounded, and only the characters of a
    /// JWE compact serialization (base64url and dots). Anything else is refused before any call.
    static func validate(_ token: String) throws(SessionFailure) {
        guard isWellFormed(token) else { throw .malformedRefreshToken }
    }

    /// The one rule for a refresh token's bytes, whichever way it travels: at most
    /// `TokenLimits.maximumLength` bytes of base64url and dots. It also keeps a token safe to
    /// write into `Set-Cookie` (no `;`, `,`, space, quote or control byte can end the value or add
    /// an attribute).
    static func isWellFormed(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.count <= TokenLimits.maximumLength
            && token.utf8.allSatisfy({ byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    return true
                default:
                    return false
                }
            })
    }

    /// The longest `name=value` browsers are required to store (RFC 6265 §6.1: at least 4096
    /// bytes per cookie); a longer one is silently dropped, which would leave a "signed-in" user
    /// without a session.
    static let maximumCookieBytes = 4096

    /// Whether Cognito's refresh token may be written into `Set-Cookie`: well formed as a cookie
    /// coming back must be, and short enough that browsers keep it.
    static func canStore(_ token: String) -> Bool {
        isWellFormed(token) && name.utf8.count + 1 + token.utf8.count <= maximumCookieBytes
    }
}
