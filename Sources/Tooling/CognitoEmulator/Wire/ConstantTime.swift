/// Comparison of secrets (passwords, client secrets, PKCE verifiers) whose time does not
/// depend on where the first difference is.
enum ConstantTime {
    static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            diff |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return diff == 0
    }
}
