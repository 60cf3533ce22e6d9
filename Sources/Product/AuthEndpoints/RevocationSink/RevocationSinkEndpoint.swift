import AuthCore
import JSONValue
import LambdaKit
import Logging

/// `revocation-sink`: EventBridge delivers the pool's CloudTrail events for sign-outs and account
/// changes made outside this API; each writes the user's "revoked before eventTime" mark.
///
/// Answers (the function's result, kept by Lambda's async invocation record):
/// `{"marked":{"sub","revokedBefore","operation","eventID","result":"written"|"alreadyCovered"}}` or
/// `{"ignored":"<why>"}`. A malformed event is the function error `InvalidEvent` with one line;
/// a store that cannot take the mark is `RevocationStoreUnavailable`, so Lambda retries the
/// asynchronous invocation (twice by default) and then hands it to the failure destination.
public struct RevocationSinkEndpoint: Sendable {
    let store: RevocationStore
    let userPoolId: String

    public init(store: RevocationStore, userPoolId: String) {
        self.store = store
        self.userPoolId = userPoolId
    }

    public func handle(_ payload: [UInt8], context: LambdaContext) async throws -> [UInt8] {
        let reading: CloudTrailSignOutEvent.Reading
        do {
            reading = try CloudTrailSignOutEvent.read(payload, userPoolId: userPoolId)
        } catch {
            context.logger.error("revocation-sink: malformed event", metadata: ["reason": "\(error.description)"])
            throw FunctionError(errorType: "InvalidEvent", errorMessage: "revocation-sink: \(error.description)")
        }
        switch reading {
        case .ignore(let why):
            context.logger.info("event needs no mark", metadata: ["reason": "\(why)"])
            return JSONWriter.serialize(.object(["ignored": .string(why)]))
        case .revoke(let event):
            let mark: RevocationMark
            do {
                mark = try await store.markRevoked(
                    sub: event.sub, before: event.time, source: "cloudtrail:\(event.operation)",
                    deadline: UpstreamDeadline.forInvocation(context))
            } catch {
                context.logger.error(
                    "revocation mark not written", metadata: ["operation": "\(event.operation)", "eventID": "\(event.eventID)", "error": "\(error)"])
                throw FunctionError(errorType: "RevocationStoreUnavailable", errorMessage: "revocation-sink: the mark was not written (\(error))")
            }
            context.logger.info(
                "revocation mark stored",
                metadata: ["operation": "\(event.operation)", "eventID": "\(event.eventID)", "result": "\(mark)", "revokedBefore": "\(event.time)"])
            return JSONWriter.serialize(.object(["marked": .object([
                "sub": .string(event.sub), "revokedBefore": .int(event.time), "operation": .string(event.operation),
                "eventID": .string(event.eventID), "result": .string(mark == .written ? "written" : "alreadyCovered"),
            ])]))
        }
    }
}
