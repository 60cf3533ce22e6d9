import NIOCore

/// Who may use the emulator's privileged features: the control API (`/_emulator/*`: faults,
/// clock) and credentials in the `/oauth2/authorize` query string (the scriptable login).
///
/// The emulator has no TLS and trusts whoever reaches it; on a loopback bind only this machine
/// can. When it is bound to another interface, these features stay limited to loopback peers
/// unless `--unsafe-expose` says otherwise.
struct PeerAccessPolicy: Sendable {
    /// `EmulatorOptions.unsafeExpose`: every peer may use the privileged features.
    let unsafeExpose: Bool

    /// Decided on the connection's remote address as the kernel reports it, never on a `Host`
    /// or `X-Forwarded-For` header, which any client can write.
    func allowsPrivileged(peer: SocketAddress?) -> Bool {
        unsafeExpose || Self.isLoopback(peer)
    }

    /// Why a request from a trusted peer may still not use a privileged feature, or nil.
    ///
    /// A loopback peer is not the same as a trusted client: every web page the developer opens
    /// runs on this machine. A page on a name the attacker controls can re-point that name at
    /// 127.0.0.1 (DNS rebinding) and then read the emulator's answers as same-origin; its
    /// requests still carry the attacker's name in `Host`, so `Host` must name loopback
    /// (`localhost`, an IPv4 literal in 127/8, `[::1]`, optionally with a port). With
    /// `--unsafe-expose` the emulator is reached by other names on purpose, and this is skipped.
    func refusal(host: String?) -> String? {
        if unsafeExpose || LoopbackAuthority.isLoopback(host) { return nil }
        return "the Host header must name loopback (localhost, 127.0.0.1 or [::1]): a request for another name may come from a DNS-rebinding web page"
    }

    /// 127.0.0.0/8 or ::1, read from the socket address bytes (not from its text form).
    ///
    /// `::ffff:127.x.y.z` (IPv4-mapped) counts as loopback: a dual-stack socket (a `::` bind)
    /// reports an IPv4 peer in that form, and the kernel only does so for a connection that
    /// really came over IPv4 from 127/8, which cannot arrive from another machine (Linux drops
    /// loopback-sourced packets on other interfaces). Refusing it would refuse `127.0.0.1`
    /// clients of a `::` bind while the same connection to a `0.0.0.0` bind is accepted.
    /// No address (a closed channel) and Unix domain sockets (never bound here) fail closed.
    static func isLoopback(_ address: SocketAddress?) -> Bool {
        switch address {
        case .v4(let v4):
            let host = UInt32(bigEndian: v4.address.sin_addr.s_addr)
            return host >> 24 == 127
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            guard bytes.count == 16 else { return false }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }  // ::1
            let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
            return Array(bytes[0..<12]) == mappedPrefix && bytes[12] == 127
        case .unixDomainSocket, nil:
            return false
        }
    }
}
