import LambdaKit
import NIOCore

/// The deadline for the Cognito call of an invocation: a little before the invocation's own, so
/// the handler still has time to answer with a 502 instead of being killed by Lambda mid-call.
enum UpstreamDeadline {
    static let answerMargin = TimeAmount.milliseconds(250)
    static let longest = TimeAmount.seconds(10)

    static func forInvocation(_ context: LambdaContext) -> NIODeadline {
        min(context.deadline - answerMargin, .now() + longest)
    }
}
