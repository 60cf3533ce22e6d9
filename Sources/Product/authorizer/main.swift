import AuthEndpoints
import LambdaKit

await LambdaMain.run(events: { environment, logger in
    try EndpointFactory.authorizer(environment: environment, logger: logger)
})
