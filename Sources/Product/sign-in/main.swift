import AuthEndpoints
import LambdaKit

await LambdaMain.run { environment, logger in
    try EndpointFactory.signIn(environment: environment, logger: logger)
}
