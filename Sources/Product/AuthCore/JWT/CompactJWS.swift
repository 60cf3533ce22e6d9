#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import WireCoding

/// A JWS in compact serialization (RFC 7515 §7.1), split and base64url-decoded but not verified.
/// The header stays encoded: `JOSEHeader` decodes it into a stack buffer, as it is read only once.
struct CompactJWS: Sendable {
    /// Length of the encoded header at the start of the token (its canonical base64url form is
    /// checked when it is decoded).
    var headerLength: Int
    var payload: [UInt8]
    var signature: [UInt8]
    /// Length in bytes of `header.payload` (the signing input) at the start of the token.
    var signingInputLength: Int

    /// Pipeline step 1: exactly three parts, each canonical unpadded base64url, at most 8 KiB.
    static func parse(_ token: ArraySlice<UInt8>) throws(TokenVerificationError) -> CompactJWS {
        guard token.count <= TokenLimits.maximumLength else {
            throw .malformed("token longer than \(TokenLimits.maximumLength) bytes")
        }
        let parsed: CompactJWS? = token.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return nil }
            let count = bytes.count
            // memchr is vectorised; a byte loop over the ~1 KiB token cost about 1 µs per verify.
            func dot(from start: Int) -> Int {
                guard start < count, let found = memchr(base + start, Int32(UInt8(ascii: ".")), count - start) else { return -1 }
                return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            }
            let firstDot = dot(from: 0)
            guard firstDot >= 0 else { return nil }
            let secondDot = dot(from: firstDot + 1)
            guard secondDot >= 0 else { return nil }
            if dot(from: secondDot + 1) >= 0 { return nil }  // a fourth part
            guard Base64URL.decodedCount(firstDot) != nil,
                let payload = Base64URL.decode(UnsafeBufferPointer(rebasing: bytes[(firstDot + 1)..<secondDot])),
                let signature = Base64URL.decode(UnsafeBufferPointer(rebasing: bytes[(secondDot + 1)...]))
            else { return nil }
            return CompactJWS(headerLength: firstDot, payload: payload, signature: signature, signingInputLength: secondDot)
        }
        guard let parsed else {
            throw .malformed("not three base64url parts separated by dots")
        }
        return parsed
    }
}
