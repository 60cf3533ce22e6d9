import JSONValue
import LambdaKit
import Logging
import NIOHTTP1

/// An RFC 9457 problem: what every error response of the product is made of. Only `ErrorTable`
/// builds one (from a domain failure); handlers log it and send its `response`.
///
/// `type` stays `about:blank` (so `title` is the HTTP reason phrase, as RFC 9457 §4.2.1 asks);
/// the machine-readable distinction lives in `code`, and `detail` keeps clients of the original
/// FastAPI service working. A detail never contains a token, a code or a secret.
struct Problem: Sendable, Equatable {
    var status: Int
    let problemCode: ProblemCode
    var code: String { problemCode.rawValue }
    var detail: String
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
    var headers: [(name: String, value: String)]
    /// For the log line only, never sent: which check refused the request (e.g. the verifier's
    /// `unknown_kid` behind a client-facing "Token signing key is unknown"), and its detail.
    var logReason: String?
    var logDetail: String?

    init(
        status: Int, code: ProblemCode, detail: String, headers: [(name: String, value: String)] = [],
        logReason: String? = nil, logDetail: String? = nil
    ) {
        self.status = status
        self.problemCode = code
        self.detail = detail
        self.headers = headers
        self.logReason = logReason
        self.logDetail = logDetail
    }

    /// What a refusal log line carries: the public `code`, and the reason when there is one.
    /// Logs a failed upstream step: a deployment error (500, e.g. the app client lacks a scope or
    /// has revocation disabled) at error, since every call fails the same way until an operator
    /// acts; outages and refusals at warning.
    func logFailure(_ message: Logger.Message, to logger: Logger) {
        if status == 500 {
            logger.error(message, metadata: logMetadata)
        } else {
            logger.warning(message, metadata: logMetadata)
        }
    }

    var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["code": .string(code), "status": "\(status)"]
        if let logReason { metadata["reason"] = .string(logReason) }
        if let logDetail { metadata["check"] = .string(logDetail) }
        return metadata
    }

    static func == (lhs: Problem, rhs: Problem) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.detail == rhs.detail
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    var title: String { HTTPResponseStatus(statusCode: status).reasonPhrase }

    var response: HTTPResponse {
        let body = ProblemBody(type: "about:blank", title: title, status: status, detail: detail, code: code)
        var response = JSONResponse.make(status: status, body: body, contentType: "application/problem+json")
        // The stable code is the invocation's outcome for the metrics and the summary line.
        response.outcome = code
        for header in headers {
            response.headers.add(name: header.name, value: header.value)
        }
        return response
    }
}

struct ProblemBody: JSONBody {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String

    var json: JSONValue {
        .object(["type": .string(type), "title": .string(title), "status": .int(Int64(status)), "detail": .string(detail), "code": .string(code)])
    }
}
