import AuthEndpoints
import FoundationEssentials
import LambdaKit

await LambdaMain.run { logger in
    try EndpointFactory.refresh(environment: ProcessInfo.processInfo.environment, logger: logger)
}
