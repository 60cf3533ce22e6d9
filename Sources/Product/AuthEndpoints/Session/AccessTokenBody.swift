import JSONValue

/// The 200 body of sign-in and refresh: `{"access_token", "token_type": "Bearer", "expires_in"}`,
/// plus `refresh_token` in body delivery when Cognito issued one.
struct AccessTokenBody: JSONBody {
    var accessToken: String
    var expiresIn: Int
    var refreshToken: String? = nil

    var json: JSONValue {
        var members: [String: JSONValue] = [
            "access_token": .string(accessToken), "token_type": .string("Bearer"), "expires_in": .int(Int64(expiresIn)),
        ]
        if let refreshToken { members["refresh_token"] = .string(refreshToken) }
        return .object(members)
    }
}
