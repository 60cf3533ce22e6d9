import JSONValue

/// The body Lambda expects on `/error` and `/init/error`:
/// `{"errorMessage": ..., "errorType": ..., "stackTrace": []}`.
struct InvocationErrorReport: Sendable {
    var errorType: String
    var errorMessage: String

    init(errorType: String, errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }

    /// From a thrown error: the Swift type name and the error's description.
    init(_ error: any Error) {
        if let eventError = error as? LambdaEventError {
            self.init(errorType: eventError.errorType, errorMessage: eventError.description)
        } else {
            self.init(errorType: String(describing: type(of: error)), errorMessage: String(describing: error))
        }
    }

    /// The outcome code the observers see for a failed invocation the handler gave no code for.
    var outcomeCode: String {
        switch errorType {
        case "Runtime.InvalidEventJSON": return "invalid_event_json"
        case "Runtime.NotAnHTTPEvent": return "not_an_http_event"
        case "Runtime.MalformedHTTPEvent": return "malformed_event"
        case "Runtime.ResponseSizeTooLarge": return "response_too_large"
        default: return "invocation_failed"
        }
    }

    var json: [UInt8] {
        var writer = JSONWriter()
        writer.raw("{\"errorMessage\":")
        writer.string(errorMessage)
        writer.raw(",\"errorType\":")
        writer.string(errorType)
        writer.raw(",\"stackTrace\":[]}")
        return writer.bytes
    }
}
