/// Why a request body (sign-in's, or refresh's and logout's in body delivery) or the redirect URI
/// it names is refused before any Cognito call. `ErrorTable.requestBody` writes the 400.
enum RequestBodyFailure: Error, Sendable, Equatable {
    case tooLarge
    /// Not the JSON object or form the endpoint reads: broken syntax, a repeated member or field,
    /// a member of the wrong type.
    case malformed
    /// The event's base64 body is not canonical base64 (`HTTPRequest.malformedBody`).
    case notCanonicalBase64
    /// A content type other than JSON or form-encoded (sign-in).
    case notJSONOrForm
    /// A content type other than JSON (refresh and logout bodies).
    case notJSON
    case missingCode
    case malformedCode
    case missingCodeVerifier
    case malformedCodeVerifier
    /// No `redirect_uri` in the body and none configured to default to.
    case noRedirectURIConfigured
    /// A `redirect_uri` that is not exactly one of the configured ones.
    case redirectURINotAllowed
}
