import Foundation

/// The `build-<LogicalId>` targets of the Makefile `sam build` runs, and the `--function NAME`
/// each passes to scripts/package: which executable serves which function.
public enum MakefileTargets {
    public static func executables(makefile text: String) -> [String: String] {
        var result: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != "\t", first != " ", first != "#" {
                current = nil
                if line.hasPrefix("build-"), let colon = line.firstIndex(of: ":") {
                    let target = line[line.index(line.startIndex, offsetBy: 6)..<colon].trimmingCharacters(in: .whitespaces)
                    if !target.isEmpty, !target.contains(" ") { current = target }
                }
                continue
            }
            guard let target = current, line.first == "\t" else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let index = words.firstIndex(of: "--function"), index + 1 < words.count {
                result[target] = String(words[index + 1]).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
        }
        return result
    }
}
