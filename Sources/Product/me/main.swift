import AuthEndpoints
import LambdaKit

await LambdaMain.run { environment, logger in
    try EndpointFactory.me(environment: environment, logger: logger)
}
