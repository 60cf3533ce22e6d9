/// One invocation, the same in both modes: decode the event, call the handler, encode the
/// response for the event's origin, enforce the payload limit.
enum Invocation {
    enum Outcome: Sendable {
        case response([UInt8])
        case failure(InvocationErrorReport)
    }

    static func perform(payload: [UInt8], context: LambdaContext, handler: HTTPHandler) async -> Outcome {
        let request: HTTPRequest
        do {
            request = try LambdaEventDecoder.decode(payload)
        } catch {
            return .failure(InvocationErrorReport(error))
        }
        let response: HTTPResponse
        do {
            response = try await handler(request, context)
        } catch {
            return .failure(InvocationErrorReport(error))
        }
        let body = LambdaResponseEncoder.encode(response, for: request)
        guard body.count <= RuntimeLoop.maxResponseBytes else {
            return .failure(
                InvocationErrorReport(
                    errorType: "Runtime.ResponseSizeTooLarge",
                    errorMessage: "response is \(body.count) bytes, over the \(RuntimeLoop.maxResponseBytes)-byte limit"
                )
            )
        }
        return .response(body)
    }
}
