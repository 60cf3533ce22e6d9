import Foundation

/// How `scripts/serve` (and the tests) start the local API.
public struct LocalAPIOptions: Sendable {
    public enum Cognito: Sendable, Equatable {
        /// The in-process emulator on `cognitoPort`.
        case emulator
        /// `COGNITO_*` from this environment point at a real user pool.
        case real([String: String])
    }

    public var templatePath: String
    /// Where the function executables are (`swift build --show-bin-path`).
    public var binDirectory: String
    /// 0: any free port.
    public var port: Int = 3000
    public var cognitoPort: Int = 9229
    public var cognito: Cognito = .emulator
    public var concurrency: Int = 4
    public var parameterOverrides: [String: String] = [:]
    /// The stage or custom-domain mapping key requests come through (`--stage`, `--mapping-key`,
    /// `--default-route-arn`).
    public var mount = APIMount()
    /// Where the functions' stdout/stderr go.
    public var functionOutput: FileHandle = .standardError
    /// One line per request.
    public var log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    public init(templatePath: String, binDirectory: String) {
        self.templatePath = templatePath
        self.binDirectory = binDirectory
    }
}
