import AuthCore
import JSONValue

/// A user pool's CloudTrail event as EventBridge delivers it ("AWS API Call via CloudTrail",
/// https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html), read strictly:
/// the envelope, the Cognito event source, one of the operations that end a user's sessions, and
/// the user's `sub`.
///
/// Which user: Cognito "records UserSub but not UserName in CloudTrail logs for requests that are
/// specific to a user" (https://docs.aws.amazon.com/cognito/latest/developerguide/logging-using-cloudtrail.html);
/// `requestParameters.username` of an admin call reads `HIDDEN_DUE_TO_SECURITY_REASONS`. The sub is
/// in `additionalEventData.sub`, which is also the key of the revocation table, so no `AdminGetUser`
/// (and no extra IAM permission) is needed. The docs do not list the member per operation: an
/// event without it is refused loudly (an invocation error, retried and then sent to the
/// function's failure destination), never skipped in silence.
struct CloudTrailSignOutEvent: Equatable {
    /// The operations after which no session begun before them may be used.
    static let revokingOperations: Set<String> = [
        "AdminUserGlobalSignOut", "GlobalSignOut",
        "AdminDisableUser", "AdminDeleteUser", "DeleteUser",
        "AdminResetUserPassword", "AdminSetUserPassword", "ChangePassword", "ConfirmForgotPassword",
    ]

    enum Reading: Equatable {
        case revoke(CloudTrailSignOutEvent)
        /// A well-formed event that needs no mark (the call failed, or another operation).
        case ignore(String)
    }

    var operation: String
    var sub: String
    /// `eventTime`, epoch seconds: when the sign-out happened. Sessions begun after it (while
    /// the event was on its way) stay valid.
    var time: Int64
    var eventID: String

    struct Malformed: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    static func read(_ payload: [UInt8], userPoolId: String) throws(Malformed) -> Reading {
        guard let event = try? JSONValue.parse(payload), let envelope = event.objectValue else {
            throw Malformed(description: "the event is not a JSON object")
        }
        guard envelope["detail-type"]?.stringValue == "AWS API Call via CloudTrail" else {
            throw Malformed(description: "detail-type is not \"AWS API Call via CloudTrail\"")
        }
        guard envelope["source"]?.stringValue == "aws.cognito-idp" else {
            throw Malformed(description: "source is not aws.cognito-idp")
        }
        guard let detail = envelope["detail"]?.objectValue else { throw Malformed(description: "detail is not an object") }
        guard detail["eventSource"]?.stringValue == "cognito-idp.amazonaws.com" else {
            throw Malformed(description: "detail.eventSource is not cognito-idp.amazonaws.com")
        }
        guard let operation = detail["eventName"]?.stringValue, !operation.isEmpty else {
            throw Malformed(description: "detail.eventName is missing")
        }
        guard let eventID = detail["eventID"]?.stringValue, !eventID.isEmpty, eventID.utf8.count <= 128 else {
            throw Malformed(description: "detail.eventID is missing")
        }
        guard revokingOperations.contains(operation) else { return .ignore("\(operation.prefix(64)) does not end sessions") }
        switch detail["errorCode"] {
        case nil, .null?, .string("")?: break
        case .string(let code)?: return .ignore("\(operation) failed (\(code.prefix(64)))")
        default: throw Malformed(description: "detail.errorCode is not a string")
        }
        // Admin calls name their pool; user calls (access token) do not, and their sub is unique
        // across pools anyway. A named pool must be ours: another pool's users are not ours to mark.
        if let requested = detail["requestParameters"]?["userPoolId"] {
            guard let pool = requested.stringValue else { throw Malformed(description: "requestParameters.userPoolId is not a string") }
            guard pool == userPoolId else { return .ignore("\(operation) in another user pool") }
        }
        guard let sub = detail["additionalEventData"]?["sub"]?.stringValue else {
            throw Malformed(description: "detail.additionalEventData.sub is missing: the event does not say which user")
        }
        guard RevocationStore.isValidSub(sub), sub != "HIDDEN_DUE_TO_SECURITY_REASONS" else {
            throw Malformed(description: "detail.additionalEventData.sub is not a user id")
        }
        guard let text = detail["eventTime"]?.stringValue, let time = Self.epochSeconds(text) else {
            throw Malformed(description: "detail.eventTime is not yyyy-mm-ddThh:mm:ssZ")
        }
        return .revoke(CloudTrailSignOutEvent(operation: operation, sub: sub, time: time, eventID: eventID))
    }

    /// `2024-05-01T12:00:00Z` (CloudTrail's form, UTC, whole seconds) as epoch seconds; anything else nil.
    static func epochSeconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
            bytes[19] == 0x5A
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), year >= 1970, (1...12).contains(month), hour < 24,
            minute < 60, second < 60
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[Int(month) - 1]).contains(day) else { return nil }
        // Days from civil (H. Hinnant), the inverse of SigV4Timestamp's.
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }
}
