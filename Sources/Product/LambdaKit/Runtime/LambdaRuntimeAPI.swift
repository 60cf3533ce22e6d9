/// What the runtime loop needs of the Lambda Runtime API: the next invocation and the three kinds
/// of answer. `RuntimeAPIClient` is the one in production; the loop's tests use an in-process one.
protocol LambdaRuntimeAPI: AnyObject {
    func next() async throws(RuntimeAPIClientError) -> RuntimeAPIClient.Invocation
    /// Each post returns the Runtime API's status (202 expected); a 5xx is thrown.
    func postResponse(requestId: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int
    func postError(requestId: String, errorType: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int
    func postInitError(errorType: String, body: [UInt8]) async throws(RuntimeAPIClientError) -> Int
}

extension RuntimeAPIClient: LambdaRuntimeAPI {}
