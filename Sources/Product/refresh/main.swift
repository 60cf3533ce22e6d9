import AuthEndpoints
import LambdaKit

await LambdaMain.run { environment, logger in
    try EndpointFactory.refresh(environment: environment, logger: logger)
}
