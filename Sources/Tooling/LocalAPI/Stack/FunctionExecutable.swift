/// Which executable serves a template function. The rule is the project's one naming rule
/// (scripts/functions states it, scripts/sam/Makefile and scripts/package apply it): a function's
/// logical id is its executable's name in UpperCamelCase followed by `Function`, so
/// `SignInFunction` is `sign-in` and `ProtectedExampleFunction` is `protected-example`.
public enum FunctionExecutable {
    /// The executable of `logicalId`, or nil when the id does not follow the rule.
    public static func name(logicalId: String) -> String? {
        guard logicalId.hasSuffix("Function") else { return nil }
        let stem = logicalId.dropLast("Function".count)
        guard let first = stem.first, first.isASCII, first.isUppercase else { return nil }
        var name = ""
        var previous: Character?
        for character in stem {
            guard character.isASCII, character.isLetter || character.isNumber else { return nil }
            // A word starts at an upper-case letter after a lower-case letter or a digit, as in
            // scripts/functions' `s/([a-z0-9])([A-Z])/\1-\2/g`.
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber { name.append("-") }
            name.append(Character(character.lowercased()))
            previous = character
        }
        return name
    }
}
