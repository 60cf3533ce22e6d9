import AuthEndpoints
import LambdaKit

// EventBridge -> the user pool's CloudTrail sign-out events -> the revocation table (issue 22).
await LambdaMain.run(events: { environment, logger in
    try EndpointFactory.revocationSink(environment: environment, logger: logger)
})
