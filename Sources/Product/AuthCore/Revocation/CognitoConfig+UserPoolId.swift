extension CognitoConfig {
    /// `COGNITO_USER_POOL_ID` alone, checked as `fromEnvironment` checks it, for a function that
    /// needs the pool but no app client (`revocation-sink`); nil with a problem line otherwise.
    public static func userPoolId(_ env: [String: String], problems: inout [String]) -> String? {
        let pool = trimmingWhitespace(env["COGNITO_USER_POOL_ID"] ?? "")
        if pool.isEmpty {
            problems.append("COGNITO_USER_POOL_ID is not set")
            return nil
        }
        guard isPoolIdShape(pool) else {
            problems.append("COGNITO_USER_POOL_ID \(quoted(pool)) is not a user pool id (like us-east-1_AbC123)")
            return nil
        }
        return pool
    }
}
