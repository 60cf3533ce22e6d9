import JSONValue
import Logging
import NIOCore
import NIOHTTP1

/// The few DynamoDB operations the product uses (`GetItem`, `UpdateItem`) over DynamoDB's JSON
/// protocol: `POST /` with `X-Amz-Target: DynamoDB_20120810.<Operation>` and
/// `Content-Type: application/x-amz-json-1.0`, signed with Signature Version 4
/// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.LowLevelAPI.html).
///
/// Sent through the process's one HTTP client (`UpstreamHTTP.shared`: keep-alive, no redirects),
/// bounded by the caller's deadline. Throttling and 5xx are retried once, re-signed, when the
/// deadline leaves room; nothing else is (a 4xx will not change, and a broken connection after
/// the request was sent may have been applied — a retry of an idempotent update would be safe, but
/// an unreachable store is better reported at once than after a second connect timeout).
/// Every answer is checked before it is believed: status 200, a JSON object, the members the
/// operation returns with the types it returns.
public struct DynamoDBClient: Sendable {
    static let maxBodyBytes = 64 * 1024
    /// The pause before the one retry (AWS's SDKs start their backoff at tens of milliseconds).
    static let retryPause = TimeAmount.milliseconds(25)
    /// A retry is only started with at least this much of the deadline left.
    static let retryMinimumRemaining = TimeAmount.milliseconds(100)

    public let endpoint: DynamoDBEndpoint
    let signer: SigV4Signer
    let transport: any UpstreamTransport
    /// Wall-clock seconds since 1970, for `X-Amz-Date` (injectable for tests).
    let now: @Sendable () -> Double
    let logger: Logger

    public init(
        region: String, credentials: AWSCredentials, endpoint: DynamoDBEndpoint? = nil,
        transport: any UpstreamTransport = UpstreamHTTP.shared,
        now: @escaping @Sendable () -> Double = AccessTokenVerifier.wallClockSeconds,
        logger: Logger = Logger(label: "AuthCore.DynamoDBClient")
    ) {
        self.endpoint = endpoint ?? .standard(region: region)
        self.signer = SigV4Signer(credentials: credentials, region: region, service: "dynamodb")
        self.transport = transport
        self.now = now
        self.logger = logger
    }

    /// `GetItem`: the item's attributes (DynamoDB's typed form, e.g. `{"sub":{"S":"…"}}`), or nil
    /// when there is no item.
    public func getItem(
        table: String, key: [String: JSONValue], consistentRead: Bool, projection: [String]? = nil, deadline: NIODeadline
    ) async throws(DynamoDBError) -> [String: JSONValue]? {
        var request: [String: JSONValue] = [
            "TableName": .string(table), "Key": .object(key), "ConsistentRead": .bool(consistentRead),
        ]
        if let projection {
            // Names go through placeholders: attribute names may be reserved words.
            var names: [String: JSONValue] = [:]
            var list: [String] = []
            for (index, name) in projection.enumerated() {
                names["#p\(index)"] = .string(name)
                list.append("#p\(index)")
            }
            request["ProjectionExpression"] = .string(list.joined(separator: ", "))
            request["ExpressionAttributeNames"] = .object(names)
        }
        let answer = try await call("GetItem", request, deadline: deadline)
        switch answer["Item"] {
        case nil: return nil
        case .object(let item)?:
            try Self.checkAttributeMap(item, what: "GetItem Item")
            return item
        default: throw .malformed("GetItem Item is not an object")
        }
    }

    /// `UpdateItem` with an update expression and an optional condition; the answer's
    /// `Attributes` are not asked for. A false condition is `.conditionalCheckFailed`.
    public func updateItem(
        table: String, key: [String: JSONValue], updateExpression: String, conditionExpression: String?,
        names: [String: String], values: [String: JSONValue], deadline: NIODeadline
    ) async throws(DynamoDBError) {
        var request: [String: JSONValue] = [
            "TableName": .string(table), "Key": .object(key), "UpdateExpression": .string(updateExpression),
            "ExpressionAttributeNames": .object(names.mapValues { .string($0) }),
            "ExpressionAttributeValues": .object(values), "ReturnValues": .string("NONE"),
        ]
        if let conditionExpression { request["ConditionExpression"] = .string(conditionExpression) }
        let answer = try await call("UpdateItem", request, deadline: deadline)
        // ReturnValues NONE: `{}`, perhaps with ConsumedCapacity/ItemCollectionMetrics when asked
        // (never here). Attributes would mean a different request was answered.
        if let attributes = answer["Attributes"], attributes.objectValue == nil {
            throw .malformed("UpdateItem Attributes is not an object")
        }
    }

    // MARK: Plumbing

    /// One operation: signed, sent, retried once on throttling or 5xx, answer parsed.
    func call(_ operation: String, _ body: [String: JSONValue], deadline: NIODeadline) async throws(DynamoDBError) -> [String: JSONValue] {
        let bytes = JSONWriter.serialize(.object(body))
        do {
            return try await attempt(operation, bytes, deadline: deadline)
        } catch where error.isRetryable && deadline - .now() >= Self.retryMinimumRemaining + Self.retryPause {
            logger.warning("DynamoDB call failed; retrying once", metadata: ["operation": "\(operation)", "error": "\(error)"])
            try? await Task.sleep(for: .nanoseconds(Self.retryPause.nanoseconds))
            return try await attempt(operation, bytes, deadline: deadline)
        }
    }

    func attempt(_ operation: String, _ body: [UInt8], deadline: NIODeadline) async throws(DynamoDBError) -> [String: JSONValue] {
        guard deadline > .now() else { throw .timeout }
        let request = signedRequest(operation, body: body)
        let response: UpstreamResponse
        do {
            response = try await transport.send(request, deadline: deadline, maxBodyBytes: Self.maxBodyBytes)
        } catch {
            switch error {
            case .timeout: throw .timeout
            case .unreachable(let why): throw .unreachable(why)
            case .connectionLost(let why): throw .unreachable("connection lost: \(why)")
            case .bodyTooLarge: throw .malformed("answer larger than \(Self.maxBodyBytes) bytes")
            }
        }
        return try Self.read(response, operation: operation)
    }

    func signedRequest(_ operation: String, body: [UInt8]) -> UpstreamRequest {
        let contentType = "application/x-amz-json-1.0"
        let target = "DynamoDB_20120810.\(operation)"
        let seconds = Int64(now().rounded(.down))
        let signed = signer.sign(
            method: "POST", path: "/",
            headers: [("Host", endpoint.host), ("Content-Type", contentType), ("X-Amz-Target", target)],
            body: body, timestamp: SigV4Timestamp(epochSeconds: seconds))
        var request = UpstreamRequest(method: .POST, url: endpoint.url + "/", body: body)
        // The Host header is sent exactly as signed (the HTTP client adds its own only when absent).
        request.headers.add(name: "Host", value: endpoint.host)
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "X-Amz-Target", value: target)
        request.headers.add(name: "Accept-Encoding", value: "identity")
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        return request
    }

    /// The answer's JSON object, or the typed error it stands for.
    static func read(_ response: UpstreamResponse, operation: String) throws(DynamoDBError) -> [String: JSONValue] {
        let json = try? JSONValue.parse(response.body)
        guard response.status == 200 else { throw error(response, json: json) }
        guard let object = json?.objectValue else { throw .malformed("\(operation) answer is not a JSON object") }
        return object
    }

    /// DynamoDB's error answer: `{"__type": "com.amazonaws.dynamodb.v20120810#Name", "message": …}`
    /// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
    static func error(_ response: UpstreamResponse, json: JSONValue?) -> DynamoDBError {
        let status = response.status
        let type = CognitoResponseReader.errorType(json, headers: response.headers)
        if (500..<600).contains(status) {
            return type == "ThrottlingException" ? .throttled : .serverError(status: status)
        }
        switch type {
        case "ConditionalCheckFailedException": return .conditionalCheckFailed
        case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded": return .throttled
        case "ResourceNotFoundException": return .tableNotFound
        case "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "MissingAuthenticationTokenException", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch":
            return .accessDenied(type ?? "")
        case "InternalServerError", "ServiceUnavailable": return .serverError(status: status)
        case let type? where (400..<500).contains(status) && Self.isTypeName(type): return .rejected(type)
        default:
            if status == 429 { return .throttled }
            return .malformed("HTTP \(status) without a DynamoDB error type")
        }
    }

    /// An exception name: letters and digits only (it goes into logs and errors).
    static func isTypeName(_ type: String) -> Bool {
        !type.isEmpty && type.utf8.count <= 100 && type.utf8.allSatisfy { CognitoConfig.isAlphanumeric($0) }
    }

    /// Every attribute is an object with exactly one type descriptor (`S`, `N`, `BOOL`, …).
    static func checkAttributeMap(_ item: [String: JSONValue], what: String) throws(DynamoDBError) {
        for (name, value) in item {
            guard let descriptor = value.objectValue, descriptor.count == 1 else {
                throw .malformed("\(what) attribute \(name.prefix(40)) is not a typed attribute value")
            }
        }
    }
}
