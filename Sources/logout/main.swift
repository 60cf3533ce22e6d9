import AuthEndpoints
import FoundationEssentials
import LambdaKit

await LambdaMain.run { logger in
    try EndpointFactory.logout(environment: ProcessInfo.processInfo.environment, logger: logger)
}
