/// One invocation, the same in both modes: decode the event, call the handler, encode the
/// response for the event's origin, enforce the payload limit.
enum Invocation {
    enum Outcome: Sendable {
        case response([UInt8])
        case failure(InvocationErrorReport)
        /// A `FunctionError` the handler threw on purpose (stdin mode: on stdout, exit 3).
        case functionError(InvocationErrorReport)
    }

    static func perform(payload: [UInt8], context: LambdaContext, handler: InvocationHandler) async -> Outcome {
        switch handler {
        case .http(let handler): return await perform(payload: payload, context: context, handler: handler)
        case .event(let handler): return await perform(payload: payload, context: context, handler: handler)
        }
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
            return failure(error)
        }
        return limited(LambdaResponseEncoder.encode(response, for: request))
    }

    static func perform(payload: [UInt8], context: LambdaContext, handler: EventHandler) async -> Outcome {
        do {
            return limited(try await handler(payload, context))
        } catch {
            return failure(error)
        }
    }

    private static func failure(_ error: any Error) -> Outcome {
        if let functionError = error as? FunctionError {
            return .functionError(InvocationErrorReport(errorType: functionError.errorType, errorMessage: functionError.errorMessage))
        }
        return .failure(InvocationErrorReport(error))
    }

    private static func limited(_ body: [UInt8]) -> Outcome {
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
