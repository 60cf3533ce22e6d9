import Logging

/// The log level from the environment: `AWS_LAMBDA_LOG_LEVEL` (Lambda's advanced logging controls)
/// wins over `LOG_LEVEL`; default `info`. Accepts swift-log names and Lambda's (`WARN`, `FATAL`).
public enum LogLevelSetting {
    public static func fromEnvironment(_ environment: [String: String] = Environment.current()) -> Logger.Level {
        for key in ["AWS_LAMBDA_LOG_LEVEL", "LOG_LEVEL"] {
            if let text = environment[key], let level = parse(text) { return level }
        }
        return .info
    }

    public static func parse(_ text: String) -> Logger.Level? {
        switch text.lowercased() {
        case "trace": return .trace
        case "debug": return .debug
        case "info": return .info
        case "notice": return .notice
        case "warn", "warning": return .warning
        case "error": return .error
        case "fatal", "critical": return .critical
        default: return nil
        }
    }
}
