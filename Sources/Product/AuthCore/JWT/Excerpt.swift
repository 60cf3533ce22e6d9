/// Short printable excerpts of attacker-supplied header or key values for error messages.
/// Only values that are not secrets ever get here (an `alg`, a `kty`), never a token or a claim.
enum Excerpt {
    static func safe(_ value: String, limit: Int = 24) -> String {
        var out = ""
        var count = 0
        for scalar in value.unicodeScalars {
            if count == limit { out += "…"; break }
            out.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
            count += 1
        }
        return out
    }
}
