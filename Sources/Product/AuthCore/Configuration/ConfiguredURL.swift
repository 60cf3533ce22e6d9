import FoundationEssentials

/// The checks every configured URL passes (`COGNITO_DOMAIN`, `COGNITO_IDP_ENDPOINT`,
/// `COGNITO_ISSUER`, redirect and sign-out URIs), on the components of an RFC 3986 parse.
///
/// The parser is Foundation's `URLComponents`: the same URL code AsyncHTTPClient uses to decide
/// which host to connect to, so the host checked here is the host the product talks to. On top of
/// the parse, a URL must read back exactly as written (scheme, `://`, host, port): whatever a
/// lenient parser would repair or reinterpret (`http://127.0.0.1:/`, a port with leading zeros) is
/// refused rather than guessed at.
public enum ConfiguredURL {
    public enum Kind: Sendable {
        /// A base URL the product sends credentials to (`COGNITO_DOMAIN`, `COGNITO_IDP_ENDPOINT`):
        /// https, or plain http to loopback only; no query or fragment.
        case endpoint
        /// An issuer to compare `iss` with: the same rules as an endpoint (it names a Cognito host).
        case issuer
        /// A redirect or sign-out URI registered on the app client: any scheme (`myapp://callback`,
        /// as Cognito allows), plain http to loopback only; no fragment (RFC 6749 §3.1.2).
        case redirect
        /// A web origin (RFC 6454) as browsers send it in `Origin`: `scheme://host[:port]`, nothing
        /// after it; https, or plain http to loopback (a local dev server).
        case origin
    }

    /// Why `value` is not an acceptable URL of `kind`, or nil when it is.
    public static func problem(_ value: String, kind: Kind) -> String? {
        // Only RFC 3986 characters: no spaces, controls or non-ASCII (which a parser would
        // percent-encode or IDNA-map), and no `\`, which WHATWG parsers (browsers) read as `/` but
        // RFC 3986 parsers keep in the userinfo: two readings of one URL are never acceptable.
        guard value.utf8.allSatisfy(isURLCharacter) else {
            return "contains characters that are not allowed in a URL (spaces, non-ASCII, \\ and the like)"
        }
        guard let components = URLComponents(string: value), let scheme = components.scheme,
            let host = components.encodedHost, !host.isEmpty
        else {
            return kind == .redirect
                ? "is not an absolute URI (like https://app.example.com/callback)"
                : "is not an absolute URL (like https://example.com)"
        }
        // userinfo (`https://user:pass@host`) hides the real host behind something that reads like
        // one (`https://cognito-idp.us-east-1.amazonaws.com@evil.example`), and carries secrets.
        guard components.percentEncodedUser == nil, components.percentEncodedPassword == nil else {
            return "must not contain a user name or password (user@host)"
        }
        // Percent-encoding in a host (`%6cocalhost`) and IPv6 zone ids (`[::1%25eth0]`) have more
        // than one reading; no Cognito or loopback host needs them.
        guard !host.utf8.contains(UInt8(ascii: "%")) else {
            return "has a percent-encoded host"
        }
        if let port = components.port, !(1...65535).contains(port) {
            return "has a port outside 1-65535"
        }
        var authority = scheme + "://" + host
        if let port = components.port { authority += ":\(port)" }
        guard value.utf8.starts(with: authority.utf8), isAuthorityEnd(value.utf8.dropFirst(authority.utf8.count).first) else {
            return "is not written in the plain form scheme://host[:port][/path]"
        }
        let isHTTP = ExactText.equalIgnoringASCIICase(scheme, "http")
        switch kind {
        case .endpoint, .issuer:
            // Lower case only: the issuer is compared with `iss` byte for byte, and one spelling
            // per endpoint keeps every consumer of the string on the same reading.
            guard scheme == "https" || scheme == "http" else { return "must use https (or http to a loopback host)" }
            guard components.percentEncodedQuery == nil, components.percentEncodedFragment == nil else {
                return "must not have a query or fragment"
            }
        case .redirect:
            guard components.percentEncodedFragment == nil else { return "must not have a fragment" }
        case .origin:
            // An Origin header is compared byte for byte, and browsers send it in this one form.
            guard scheme == "https" || scheme == "http" else { return "must use https (or http to a loopback host)" }
            guard value.utf8.count == authority.utf8.count else {
                return "is not an origin (scheme://host[:port], with no path, query or trailing slash)"
            }
            // Browsers serialize an origin with a lower-case host and without the default port;
            // a configured spelling they never send would silently match nothing.
            guard !host.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return "must have a lower-case host" }
            if components.port == (scheme == "https" ? 443 : 80) { return "must not name the default port" }
        }
        // Plain http would send the client secret, codes and tokens in clear text.
        if isHTTP, !isLoopbackHost(host) {
            return "uses plain http to a host that is not loopback (127.0.0.0/8, [::1] or localhost); use https"
        }
        return nil
    }

    /// Loopback is exactly: an IPv4 literal in 127.0.0.0/8 written as four decimal octets without
    /// leading zeros, the IPv6 literal `[::1]`, or the name `localhost`. Nothing that merely starts
    /// like one (`127.0.0.1.evil.example`, `localhost.evil.example`), no shorthand (`127.1`,
    /// `0x7f.0.0.1`, `2130706433`: resolvers read those differently), no trailing dot
    /// (`localhost.` is a DNS name that /etc/hosts does not pin), no IPv4-mapped IPv6.
    public static func isLoopbackHost(_ host: String) -> Bool {
        if host == "localhost" || host == "[::1]" { return true }
        let octets = host.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        var values: [Int] = []
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
            if octet.count > 1, octet.first == UInt8(ascii: "0") { return false }
            let value = octet.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return false }
            values.append(value)
        }
        return values[0] == 127
    }

    /// RFC 3986 §2: unreserved, reserved (gen-delims and sub-delims) and `%`.
    static func isURLCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~:/?#[]@!$&'()*+,;=%".utf8.contains(byte)
        }
    }

    private static func isAuthorityEnd(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }
}
