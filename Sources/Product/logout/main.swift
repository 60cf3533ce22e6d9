import AuthEndpoints
import LambdaKit

await LambdaMain.run { environment, logger in
    try EndpointFactory.logout(environment: environment, logger: logger)
}
