/// The `Host` header (an HTTP authority) of a request meant for a server on this machine only:
/// the emulator's privileged features and `scripts/serve`'s local API check it against DNS
/// rebinding (a web page whose own name was re-pointed at 127.0.0.1 sends that name).
public enum LoopbackAuthority {
    /// `host[:port]` where host is exactly `localhost`, `[::1]` or four plain decimal octets
    /// starting with 127, and port is 1 to 5 digits. Byte for byte: `LOCALHOST`, `localhost.`,
    /// `127.1` and `0x7f.0.0.1` are other spellings a resolver may treat alike, so they are refused.
    public static func isLoopback(_ authority: String?) -> Bool {
        guard let authority else { return false }
        var host = Substring(authority)
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard (1...5).contains(port.utf8.count), port.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
            host = host[..<colon]
        }
        if host.utf8.elementsEqual("localhost".utf8) || host.utf8.elementsEqual("[::1]".utf8) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0].utf8.elementsEqual("127".utf8) else { return false }
        return octets.allSatisfy { octet in
            (1...3).contains(octet.utf8.count) && octet.utf8.allSatisfy({ (0x30...0x39).contains($0) })
                && (octet.utf8.count == 1 || octet.utf8.first != 0x30) && Int(octet)! <= 255
        }
    }
}
