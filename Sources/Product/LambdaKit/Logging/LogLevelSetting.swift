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

    /// Lambda's name for a swift-log level, as its JSON log format and `ApplicationLogLevel` spell
    /// them: TRACE, DEBUG, INFO, WARN, ERROR, FATAL
    /// (https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html). swift-log's `notice`
    /// has no Lambda level; it is INFO, the nearest one that a WARN filter drops as it drops notices
    /// below `warning` here, so the two filters agree.
    public static func lambdaName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: return "TRACE"
        case .debug: return "DEBUG"
        case .info, .notice: return "INFO"
        case .warning: return "WARN"
        case .error: return "ERROR"
        case .critical: return "FATAL"
        }
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
