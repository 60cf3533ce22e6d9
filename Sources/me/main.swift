import AuthEndpoints
import FoundationEssentials
import LambdaKit

await LambdaMain.run { logger in
    try EndpointFactory.me(environment: ProcessInfo.processInfo.environment, logger: logger)
}
