import AuthEndpoints
import FoundationEssentials
import LambdaKit

await LambdaMain.run(events: { logger in
    try EndpointFactory.authorizer(environment: ProcessInfo.processInfo.environment, logger: logger)
})
