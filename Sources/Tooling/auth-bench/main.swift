import AuthCore
import AuthEndpoints
import Crypto
import LambdaKit
import Logging
import NIOCore
import WireCoding
import _CryptoExtras

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// auth-bench verify [seconds]
//
// One thread. Mints a Cognito-shaped RS256 access token with a fresh RSA-2048 key, preloads the
// matching JWKS (warm cache, no network), then times short slices of
//   - full:  AccessTokenVerifier.verify (parse, header, kid lookup, signature, claims), and
//   - raw:   swift-crypto `isValidSignature` of the same signature over the same signing input
//            (SHA-256 + RSA PKCS#1 v1.5) with the same key,
// back to back in alternating order, and prints the median slice rate of each and the median
// of the per-pair ratios. The last line is `verify/raw ratio: 0.NN`.
//
// auth-bench authorizer [seconds]
//
// The same slice pairs for the authorizer's whole path: the bytes of an HTTP API 2.0 authorizer
// event → strict event read → bearer parsing → full verification → AUTHORIZER_RULES → the
// answer's bytes (the handler EndpointFactory builds for the executable, JWKS preloaded, no
// revocation check), against raw RSA verify. Last line: `authorizer/raw ratio: 0.NN`.
//
// auth-bench authorizer [seconds] with AUTH_BENCH_STORE_ENDPOINT and AUTH_BENCH_STORE_TABLE set
// (scripts/bench authorizer --store: moto on loopback, the table from template.yaml)
//
// Revocation store mode (issue 22): the same event through three authorizers in one run, store
// off, store on with every decision reading the table (one strongly consistent GetItem), and store
// on with the per-process cache warm (AUTH_REVOCATION_CACHE_SECONDS=300); decisions/s, p50/p99 per
// decision, and each one's ratio to raw RSA verify. Cognito is a closed port: any Cognito call would
// fail a decision, so the run also shows none is made. Last line: `authorizer/raw ratio (store,
// cache warm): 0.NN`.
// auth-bench authorizer-metrics [seconds]
//
// The cost of the metrics per decision (issue 23): rounds of four slices in rotating order, raw
// RSA verify, the bare decision, and the decision followed by what the runtime does after every
// invocation: build the InvocationRecord and hand it to its observers (LambdaKit's own list for
// METRICS=off, the summary line, and METRICS=on, the summary line and the EMF document), written
// to stderr (pointed at /dev/null) in one write(2). Lines: the summary line's and the document's
// cost per invocation, `authorizer/raw ratio (metrics off|on)` (the decision, and the decision with
// what METRICS=on adds to it) and the ratios with every line written.
//
// auth-bench event-read [count]
//
// The authorizer's strict read of its benchmark event alone (`AuthorizerEvent.read`, 3,237 bytes:
// the JSON core's walk, repeated-name checks and the fields it keeps), `count` reads (default
// 100,000) in each of 7 runs: the median and lowest ns per read. A diagnostic for the JSON core,
// steadier than the ratios (the runs agree within about 1% on a quiet machine); no baseline.
//
// auth-bench loop <full|raw|authorizer> <count>
//
// One path only, `count` times, for `perf` or callgrind (no figures printed); the authorizer's
// decisions run in `authorizerLoop`. Callgrind's --toggle-collect misses the resumed parts of async
// functions: compare whole runs of two counts instead (valgrind needs `objcopy --strip-debug` on
// this binary: it cannot read the release build's debug info).

/// The process's stderr as it started: the metrics benchmark points descriptor 2 at /dev/null
/// while it measures, and a failure then must still be seen.
let startupStderr = dup(2)

func fail(_ message: String) -> Never {
    var line = "auth-bench: \(message)\n"
    line.withUTF8 { _ = write(startupStderr >= 0 ? startupStderr : 2, $0.baseAddress, $0.count) }
    exit(1)
}

let arguments = CommandLine.arguments.dropFirst()
guard ["verify", "loop", "authorizer", "authorizer-metrics", "event-read"].contains(arguments.first) else {
    fail("usage: auth-bench verify [seconds] | auth-bench authorizer [seconds] | auth-bench authorizer-metrics [seconds] | auth-bench event-read [count] | auth-bench loop <full|raw|authorizer> <count>")
}
let roundSeconds = arguments.dropFirst().first.flatMap(Double.init) ?? 8

let region = "us-east-1"
let poolId = "us-east-1_BenchPool1"
let clientId = "3n4b5urk1ft4fl3mg5e62d9ado"
// Cognito's kids are 44-character base64 strings (a digest of the key).
let kid = "q1Rz9XK+3sZ0YpN2mWc8dLvT7hGfE4bJaU6oIyS5nQk="
let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
let primitives = try privateKey.publicKey.getKeyPrimitives()
let jwks = """
    {"keys":[{"kid":"\(kid)","alg":"RS256","kty":"RSA","use":"sig","e":"\(Base64URL.encode(primitives.publicExponent))","n":"\(Base64URL.encode(primitives.modulus))"}]}
    """
let now = 1_780_000_000.0
let issuer = "https://cognito-idp.\(region).amazonaws.com/\(poolId)"
let header = #"{"kid":"\#(kid)","alg":"RS256"}"#
let payload = """
    {"sub":"7c5a8f2e-3b1d-4e6f-9a0b-1c2d3e4f5a6b","cognito:groups":["admins","readers"],"iss":"\(issuer)","version":2,"client_id":"\(clientId)","origin_jti":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0","event_id":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","token_use":"access","scope":"aws.cognito.signin.user.admin openid profile","auth_time":\(Int(now) - 60),"exp":\(Int(now) + 3600),"iat":\(Int(now) - 60),"jti":"5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a","username":"bench-user"}
    """
let signingInput = Base64URL.encode(header.utf8) + "." + Base64URL.encode(payload.utf8)
let signature = try privateKey.signature(for: SHA256.hash(data: Array(signingInput.utf8)), padding: .insecurePKCS1v1_5)
let token = signingInput + "." + Base64URL.encode(signature.rawRepresentation)

let config = CognitoConfig(region: region, userPoolId: poolId, clientId: clientId, preloadedJWKS: Array(jwks.utf8))
// The URL is never fetched: the JWKS is preloaded and the token's kid is in it.
let cache = JWKSCache(url: "http://127.0.0.1:9/never-fetched", preloaded: Array(jwks.utf8))
let verifier = AccessTokenVerifier(config: config, keys: cache, now: { now })
let deadline = NIODeadline.now() + .hours(1)

// Sanity: both paths accept, and the full path refuses a tampered token.
do {
    let verified = try await verifier.verify(token, deadline: deadline)
    guard verified.username == "bench-user", verified.groups == ["admins", "readers"] else { fail("unexpected claims") }
} catch {
    fail("the benchmark token does not verify: \(error)")
}
// The raw baseline uses a public key built from the JWK's n and e, like the verifier's key.
let publicKey = try _RSA.Signing.PublicKey(n: primitives.modulus, e: primitives.publicExponent)
let rawSignature = _RSA.Signing.RSASignature(rawRepresentation: signature.rawRepresentation)
let signingBytes = Array(signingInput.utf8)
guard publicKey.isValidSignature(rawSignature, for: signingBytes, padding: .insecurePKCS1v1_5) else {
    fail("raw verification failed")
}
if (try? await verifier.verify(token.replacingLastCharacter(), deadline: deadline)) != nil {
    fail("a tampered token verified")
}
guard cache.fetchCount == 0 else { fail("the cache fetched during the benchmark") }

extension String {
    func replacingLastCharacter() -> String {
        var copy = self
        let last = copy.removeLast()
        copy.append(last == "A" ? "Q" : "A")
        return copy
    }
}

/// One timed slice of `calls` full verifications, in seconds.
nonisolated func fullSlice(verifier: AccessTokenVerifier, token: String, deadline: NIODeadline, calls: Int) async -> Double {
    let clock = ContinuousClock()
    var failures = 0
    let start = clock.now
    for _ in 0..<calls {
        do {
            _ = try await verifier.verify(token, deadline: deadline)
        } catch {
            failures += 1
        }
    }
    let elapsed = clock.now - start
    if failures > 0 { fail("\(failures) verifications failed") }
    return seconds(elapsed)
}

/// One timed slice of `calls` raw RSA verifications, in seconds.
func rawSlice(calls: Int) -> Double {
    let clock = ContinuousClock()
    var failures = 0
    let start = clock.now
    for _ in 0..<calls {
        if !publicKey.isValidSignature(rawSignature, for: signingBytes, padding: .insecurePKCS1v1_5) { failures += 1 }
    }
    let elapsed = clock.now - start
    if failures > 0 { fail("\(failures) raw verifications failed") }
    return seconds(elapsed)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Pairs of back-to-back slices (full then raw, raw then full, alternating), until `seconds` have
/// passed. This VM's speed drifts by ±15% over seconds (other tenants, frequency); slices of a few
/// milliseconds put both paths under the same conditions, so each pair's ratio is a fair
/// comparison and the median pair ignores the pairs a burst of steal time hit.
struct Pair { var full: Double; var raw: Double }

func measurePairs(seconds budget: Double, callsPerSlice: Int) async -> [Pair] {
    let (verifier, token, deadline) = (verifier, token, deadline)
    // Off the main actor (top-level code is MainActor-isolated): calling the nonisolated async
    // `verify` from the main actor would hop executors twice per call and measure the hop.
    return await Task.detached { () async -> [Pair] in
        var pairs: [Pair] = []
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int64(budget * 1000))
        while clock.now < end {
            let fullSeconds: Double
            let rawSeconds: Double
            if pairs.count % 2 == 0 {
                fullSeconds = await fullSlice(verifier: verifier, token: token, deadline: deadline, calls: callsPerSlice)
                rawSeconds = rawSlice(calls: callsPerSlice)
            } else {
                rawSeconds = rawSlice(calls: callsPerSlice)
                fullSeconds = await fullSlice(verifier: verifier, token: token, deadline: deadline, calls: callsPerSlice)
            }
            pairs.append(Pair(full: Double(callsPerSlice) / fullSeconds, raw: Double(callsPerSlice) / rawSeconds))
        }
        return pairs
    }.value
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func formatted(_ rate: Double) -> String {
    let whole = Int(rate.rounded())
    var digits = String(whole)
    var groups: [String] = []
    while digits.count > 3 {
        groups.insert(String(digits.suffix(3)), at: 0)
        digits.removeLast(3)
    }
    groups.insert(digits, at: 0)
    return groups.joined(separator: ",")
}

// `event-read [count]`: see the header comment.
if arguments.first == "event-read" {
    let count = arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
    guard count > 0 else { fail("event-read: the count must be positive") }
    let (_, event, _, _) = await authorizerSetup()
    var figures: [Double] = []
    for _ in 0..<7 {
        let clock = ContinuousClock()
        var read = 0
        let start = clock.now
        for _ in 0..<count where (try? AuthorizerEvent.read(event)) != nil { read += 1 }
        figures.append(seconds(clock.now - start) / Double(count) * 1e9)
        guard read == count else { fail("the benchmark event was refused") }
    }
    print("event: HTTP API 2.0 authorizer event, \(event.count) bytes; 7 runs of \(count) reads, single thread")
    print("event read: median \(Int(median(figures).rounded())) ns, lowest \(Int(figures.min()!.rounded())) ns per read")
    exit(0)
}

// `loop full|raw|authorizer N`: only one path, N times, for `perf` or callgrind (no figures printed).
if arguments.first == "loop" {
    let path = arguments.dropFirst().first ?? ""
    let count = arguments.dropFirst(2).first.flatMap(Int.init) ?? 100_000
    switch path {
    case "full":
        let (verifier, token, deadline) = (verifier, token, deadline)
        await Task.detached {
            for _ in 0..<count { _ = try? await verifier.verify(token, deadline: deadline) }
        }.value
    case "raw":
        for _ in 0..<count { _ = publicKey.isValidSignature(rawSignature, for: signingBytes, padding: .insecurePKCS1v1_5) }
    case "authorizer":
        let (endpoint, event, context, _) = await authorizerSetup()
        await Task.detached { await authorizerLoop(endpoint: endpoint, event: event, context: context, count: count) }.value
    case "observers-off", "observers-on":
        // The runtime's observers alone (summary line; and the EMF document), stderr on /dev/null.
        guard let observers = InvocationObservers.standard(
            environment: ["METRICS": path == "observers-on" ? "on" : "off", "AWS_LAMBDA_FUNCTION_NAME": "authorizer"])
        else {
            fail("the metrics settings were refused")
        }
        let logger = benchInvocationLogger()
        let devNull = open("/dev/null", O_WRONLY)
        guard devNull >= 0, dup2(devNull, 2) >= 0 else { fail("cannot point stderr at /dev/null") }
        for _ in 0..<count { observers.finished(benchRecord(durationNanoseconds: 1_234_567), logger: logger) }
    case "metrics-document":
        // The EMF document alone (built, not written): its instructions per invocation.
        let writer = EMFMetricsWriter(namespace: MetricsSettings.defaultNamespace, functionName: "authorizer") { _ in }
        var total = 0
        for _ in 0..<count { total &+= writer.document(benchRecord(durationNanoseconds: 1_234_567)).count }
        if total == 0 { fail("no document") }
    default:
        fail("usage: auth-bench loop <full|raw|authorizer|observers-off|observers-on|metrics-document> <count>")
    }
    exit(0)
}

let callsPerSlice = 200
// Revocation store mode (issue 22): see the header comment.
if arguments.first == "authorizer", let storeEndpoint = CommandLine.environment("AUTH_BENCH_STORE_ENDPOINT"),
    let storeTable = CommandLine.environment("AUTH_BENCH_STORE_TABLE")
{
    await benchAuthorizerStore(endpoint: storeEndpoint, table: storeTable)
    exit(0)
}
// --- authorizer-metrics (operations lane, issue 23) ---------------------------------------------
if arguments.first == "authorizer-metrics" {
    await benchAuthorizerMetrics()
    exit(0)
}

/// Raw verify, the bare decision, and the decision followed by the runtime's observers with
/// METRICS=off and METRICS=on, one slice each in rotating order (each path runs in each position
/// equally often), until the budget is spent.
func benchAuthorizerMetrics() async {
    let (endpoint, event, context, tokenLength) = await authorizerSetup()
    // As in Lambda, AWS_LAMBDA_FUNCTION_NAME names the function of every record.
    guard let off = InvocationObservers.standard(environment: ["METRICS": "off", "AWS_LAMBDA_FUNCTION_NAME": "authorizer"]),
        let on = InvocationObservers.standard(environment: ["METRICS": "on", "AWS_LAMBDA_FUNCTION_NAME": "authorizer"])
    else { fail("the metrics settings were refused") }
    let sample = benchRecord(durationNanoseconds: 1_234_567)
    let invocationLogger = benchInvocationLogger()

    enum Path { case decision, observersOff, observersOn }
    func slice(_ calls: Int, _ path: Path) async -> Double {
        let clock = ContinuousClock()
        var failures = 0
        let start = clock.now
        for _ in 0..<calls {
            let begin = clock.now
            do {
                let answer = try await endpoint.handle(event, context: context)
                if answer.count < 20 { failures += 1 }
            } catch {
                failures += 1
            }
            guard path != .decision else { continue }
            // What the runtime builds for every invocation, then hands its observers.
            let record = benchRecord(durationNanoseconds: (clock.now - begin).components.attoseconds / 1_000_000_000)
            (path == .observersOn ? on : off).finished(record, logger: invocationLogger)
        }
        let elapsed = clock.now - start
        if failures > 0 { fail("\(failures) decisions failed") }
        return seconds(elapsed)
    }
    // The observers write to stderr, as in Lambda (a pipe the runtime reads): here /dev/null, so
    // the system call is paid and nothing is printed.
    let devNull = open("/dev/null", O_WRONLY)
    let savedStderr = dup(2)
    guard devNull >= 0, savedStderr >= 0, dup2(devNull, 2) >= 0 else { fail("cannot point stderr at /dev/null") }
    struct Round: Sendable { var raw: Double; var decision: Double; var off: Double; var on: Double }
    let budget = roundSeconds
    let rounds: [Round] = await Task.detached { () async -> [Round] in
        var rounds: [Round] = []
        let clock = ContinuousClock()
        for path in [Path.observersOn, .observersOff, .decision] { _ = await slice(callsPerSlice * 2, path) }
        let end = clock.now + .milliseconds(Int64(budget * 1000))
        while clock.now < end {
            var round = Round(raw: 0, decision: 0, off: 0, on: 0)
            for step in 0..<4 {
                // Seconds per call.
                switch (step + rounds.count) % 4 {
                case 0: round.raw = rawSlice(calls: callsPerSlice) / Double(callsPerSlice)
                case 1: round.decision = await slice(callsPerSlice, .decision) / Double(callsPerSlice)
                case 2: round.off = await slice(callsPerSlice, .observersOff) / Double(callsPerSlice)
                default: round.on = await slice(callsPerSlice, .observersOn) / Double(callsPerSlice)
                }
            }
            rounds.append(round)
        }
        return rounds
    }.value
    _ = dup2(savedStderr, 2)
    close(savedStderr)
    close(devNull)
    let document = EMFMetricsWriter(namespace: MetricsSettings.defaultNamespace, functionName: "authorizer").document(sample)
    func rate(_ secondsPerCall: [Double]) -> String { formatted(1 / median(secondsPerCall)) }
    let summaryLine = median(rounds.map { $0.off - $0.decision })
    let metrics = median(rounds.map { $0.on - $0.off })
    print("event: HTTP API 2.0 authorizer event, \(event.count) bytes, token \(tokenLength) bytes; 2 rules; simple response; JWKS preloaded (warm)")
    print("single thread; slices of \(callsPerSlice): raw verify; the decision; the decision and the runtime's observers with METRICS=off (the summary line) and METRICS=on (the summary line and the \(document.count)-byte EMF document, one write(2) for both), stderr on /dev/null; rotating order, for \(budget) s; \(rounds.count) rounds")
    print("raw: \(rate(rounds.map(\.raw))) verifications/s; decision: \(rate(rounds.map(\.decision))); with METRICS=off: \(rate(rounds.map(\.off))); with METRICS=on: \(rate(rounds.map(\.on))) decisions/s (median slices)")
    print("per invocation: summary line \(Int((summaryLine * 1e9).rounded())) ns; metrics document \(Int((metrics * 1e9).rounded())) ns (medians of the rounds' differences)")
    print("authorizer/raw ratio, every line written (METRICS=off | on): \(String(format2: median(rounds.map { $0.raw / $0.off }))) | \(String(format2: median(rounds.map { $0.raw / $0.on })))")
    print("metrics on/off ratio: \(String(format2: median(rounds.map { $0.off / $0.on })))")
    print("authorizer/raw ratio (metrics off): \(String(format2: median(rounds.map { $0.raw / $0.decision })))")
    // The decision with what METRICS=on adds to it; the summary line is written either way.
    print("authorizer/raw ratio (metrics on): \(String(format2: median(rounds.map { $0.raw / ($0.decision + $0.on - $0.off) })))")
}

/// The invocation's logger as the runtime makes it: JSON lines at INFO, the ids as metadata.
func benchInvocationLogger() -> Logger {
    var logger = Logger(label: "lambda") { label in
        var handler = JSONLogHandler(label: label, logLevel: .info)
        handler.metadataProvider = InvocationLogMetadata.provider
        return handler
    }
    let sample = benchRecord(durationNanoseconds: 1_234_567)
    logger[metadataKey: "requestId"] = .string(sample.requestId)
    logger[metadataKey: "coldStart"] = .stringConvertible(false)
    logger[metadataKey: "traceId"] = .string(sample.traceId!)
    logger[metadataKey: "apiRequestId"] = .string(sample.apiRequestId!)
    return logger
}

/// The record the runtime hands its observers after a warm authorizer decision.
func benchRecord(durationNanoseconds: Int64) -> InvocationRecord {
    InvocationRecord(
        functionName: "authorizer", family: "event", outcome: "allow", result: .answered,
        durationNanoseconds: durationNanoseconds, coldStart: false,
        requestId: "8f5e2c1a-0b3d-4e6f-9a7b-1c2d3e4f5a6b", apiRequestId: "bench-api-request-id",
        traceId: "Root=1-5e6f7a8b-1234567890abcdef12345678", startEpochMs: 1_780_000_000_000)
}
// --- end authorizer-metrics ---------------------------------------------------------------------
if arguments.first == "authorizer" {
    await benchAuthorizer()
    exit(0)
}

/// `count` decisions and nothing else, without the setup's key generation and signing.
nonisolated func authorizerLoop(endpoint: AuthorizerEndpoint, event: [UInt8], context: LambdaContext, count: Int) async {
    for _ in 0..<count { _ = try? await endpoint.handle(event, context: context) }
}

/// The authorizer, its benchmark event (a token valid now) and the checks that both are right:
/// the event is allowed, the same event with a tampered token is not.
/// `extraEnvironment`: more settings for the authorizer (the revocation store mode's).
func authorizerSetup(extraEnvironment: [String: String] = [:]) async -> (endpoint: AuthorizerEndpoint, event: [UInt8], context: LambdaContext, tokenLength: Int) {
    // The authorizer's verifier reads the wall clock: a token valid now.
    let wallNow = Int(AccessTokenVerifier.wallClockSeconds())
    let livePayload = payload.replacing("\"exp\":\(Int(now) + 3600)", with: "\"exp\":\(wallNow + 3600)")
        .replacing("\"iat\":\(Int(now) - 60)", with: "\"iat\":\(wallNow - 60)")
    let liveInput = Base64URL.encode(header.utf8) + "." + Base64URL.encode(livePayload.utf8)
    guard let liveSignature = try? privateKey.signature(for: SHA256.hash(data: Array(liveInput.utf8)), padding: .insecurePKCS1v1_5) else {
        fail("signing failed")
    }
    let liveToken = liveInput + "." + Base64URL.encode(liveSignature.rawRepresentation)
    let environment = [
        "COGNITO_USER_POOL_ID": poolId, "COGNITO_CLIENT_ID": clientId, "COGNITO_REGION": region,
        "COGNITO_IDP_ENDPOINT": "http://127.0.0.1:9", "COGNITO_JWKS": jwks,
        // Issue 21's conditions in: the deciding rule also names the client, a tenant rule makes
        // the verifier locate its claim, and machine tokens are accepted.
        "AUTHORIZER_RULES": #"[{"route":"GET /admin/*","groups":["admins"],"clients":["\#(clientId)"]},{"route":"ANY /reports/*","scopes":["reports/read"]},{"route":"ANY /tenants/acme/*","claims":{"custom:tenant":["acme"]}}]"#,
        "COGNITO_MACHINE_CLIENT_IDS": "benchservice00000000000001",
    ]
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let endpoint: AuthorizerEndpoint
    do {
        endpoint = try EndpointFactory.authorizerEndpoint(environment: environment.merging(extraEnvironment) { $1 }, logger: logger)
    } catch {
        fail("authorizer configuration: \(error)")
    }
    let event = Array("""
        {"version":"2.0","type":"REQUEST","routeArn":"arn:aws:execute-api:us-east-1:123456789012:abc123defg/$default/GET/admin/users","identitySource":["Bearer \(liveToken)"],"routeKey":"GET /admin/{proxy+}","rawPath":"/admin/users","rawQueryString":"","headers":{"accept":"application/json","authorization":"Bearer \(liveToken)","host":"abc123defg.execute-api.us-east-1.amazonaws.com","user-agent":"Mozilla/5.0","x-amzn-trace-id":"Root=1-5e6f7a8b-1234567890abcdef12345678","x-forwarded-for":"203.0.113.10","x-forwarded-port":"443","x-forwarded-proto":"https"},"requestContext":{"accountId":"123456789012","apiId":"abc123defg","domainName":"abc123defg.execute-api.us-east-1.amazonaws.com","domainPrefix":"abc123defg","http":{"method":"GET","path":"/admin/users","protocol":"HTTP/1.1","sourceIp":"203.0.113.10","userAgent":"Mozilla/5.0"},"requestId":"bench","routeKey":"GET /admin/{proxy+}","stage":"$default","time":"27/Nov/2026:00:00:00 +0000","timeEpoch":1764201600000},"pathParameters":{"proxy":"users"},"stageVariables":{}}
        """.utf8)
    let context = LambdaContext(requestId: "bench", deadline: .now() + .hours(1), logger: logger)
    do {
        let answer = String(decoding: try await endpoint.handle(event, context: context), as: UTF8.self)
        guard answer.hasPrefix(#"{"isAuthorized":true"#) else { fail("the benchmark event is not allowed: \(answer)") }
    } catch {
        fail("the benchmark event failed: \(error)")
    }
    let forged = Array(String(decoding: event, as: UTF8.self).replacing(liveToken, with: liveToken.replacingLastCharacter()).utf8)
    if let answer = try? await endpoint.handle(forged, context: context), !String(decoding: answer, as: UTF8.self).hasPrefix(#"{"isAuthorized":false"#) {
        fail("a tampered token was allowed")
    }
    return (endpoint, event, context, liveToken.utf8.count)
}

func benchAuthorizer() async {
    let (endpoint, event, context, tokenLength) = await authorizerSetup()

    func slice(_ calls: Int) async -> Double {
        let clock = ContinuousClock()
        var failures = 0
        let start = clock.now
        for _ in 0..<calls {
            do {
                let answer = try await endpoint.handle(event, context: context)
                if answer.count < 20 { failures += 1 }
            } catch {
                failures += 1
            }
        }
        let elapsed = clock.now - start
        if failures > 0 { fail("\(failures) decisions failed") }
        return seconds(elapsed)
    }
    let budget = roundSeconds
    let pairs: [Pair] = await Task.detached { () async -> [Pair] in
        var pairs: [Pair] = []
        let clock = ContinuousClock()
        _ = await slice(callsPerSlice * 2)
        let end = clock.now + .milliseconds(Int64(budget * 1000))
        while clock.now < end {
            let full: Double
            let raw: Double
            if pairs.count % 2 == 0 {
                full = await slice(callsPerSlice)
                raw = rawSlice(calls: callsPerSlice)
            } else {
                raw = rawSlice(calls: callsPerSlice)
                full = await slice(callsPerSlice)
            }
            pairs.append(Pair(full: Double(callsPerSlice) / full, raw: Double(callsPerSlice) / raw))
        }
        return pairs
    }.value
    let ratios = pairs.map { $0.full / $0.raw }
    print("event: HTTP API 2.0 authorizer event, \(event.count) bytes, token \(tokenLength) bytes; 3 rules (groups+clients, scopes, claims); simple response; JWKS preloaded (warm)")
    print("single thread; slices of \(callsPerSlice) decisions, authorizer and raw back to back in alternating order, for \(budget) s")
    print("\(pairs.count) pairs; pair ratios: lowest \(String(format2: ratios.min()!)), median \(String(format2: median(ratios))), highest \(String(format2: ratios.max()!))")
    print("authorizer (event bytes -> verify -> rules -> answer bytes): \(formatted(median(pairs.map(\.full)))) decisions/s (median slice; best \(formatted(pairs.map(\.full).max()!)))")
    print("raw RSA-2048 PKCS#1 v1.5 verify: \(formatted(median(pairs.map(\.raw)))) verifications/s (median slice; best \(formatted(pairs.map(\.raw).max()!)))")
    print("authorizer/raw ratio: \(String(format2: median(ratios)))")
}

// --- Revocation store mode (issue 22) --------------------------------------------------------

extension CommandLine {
    /// One variable of the process environment (no Foundation in this target).
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}

/// Decisions/s, p50 and p99 (µs) of one authorizer, and its median pair ratio to raw RSA verify,
/// over `seconds` of alternating slices.
struct StoreModeFigures { var rate: Double; var p50: Double; var p99: Double; var ratio: Double }

nonisolated func measureStoreMode(endpoint: AuthorizerEndpoint, event: [UInt8], context: LambdaContext, seconds budget: Double, calls: Int) async -> StoreModeFigures {
    let clock = ContinuousClock()
    var latencies: [Double] = []
    var pairs: [Pair] = []
    func slice() async -> Double {
        var failures = 0
        let start = clock.now
        for _ in 0..<calls {
            let before = clock.now
            do {
                if try await endpoint.handle(event, context: context).count < 20 { failures += 1 }
            } catch {
                failures += 1
            }
            latencies.append(seconds(clock.now - before) * 1_000_000)
        }
        let elapsed = clock.now - start
        if failures > 0 { fail("\(failures) decisions failed (a Cognito call, or the store refused)") }
        return seconds(elapsed)
    }
    _ = await slice()
    latencies.removeAll()
    let end = clock.now + .milliseconds(Int64(budget * 1000))
    while clock.now < end {
        let full: Double
        let raw: Double
        if pairs.count % 2 == 0 {
            full = await slice()
            raw = rawSlice(calls: calls)
        } else {
            raw = rawSlice(calls: calls)
            full = await slice()
        }
        pairs.append(Pair(full: Double(calls) / full, raw: Double(calls) / raw))
    }
    let sorted = latencies.sorted()
    return StoreModeFigures(
        rate: median(pairs.map(\.full)), p50: sorted[sorted.count / 2], p99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)],
        ratio: median(pairs.map { $0.full / $0.raw }))
}

func benchAuthorizerStore(endpoint: String, table: String) async {
    let store = [
        "AUTH_REVOCATION_TABLE": table, "AWS_ENDPOINT_URL_DYNAMODB": endpoint, "AWS_REGION": region,
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]
    let off = await authorizerSetup()
    let read = await authorizerSetup(extraEnvironment: store)
    let cached = await authorizerSetup(extraEnvironment: store.merging(["AUTH_REVOCATION_CACHE_SECONDS": "300"]) { $1 })
    let budget = roundSeconds
    let modes: [(String, AuthorizerEndpoint, Int)] = [
        ("store off", off.endpoint, callsPerSlice), ("store, every decision reads", read.endpoint, 20),
        ("store, cache warm", cached.endpoint, callsPerSlice),
    ]
    var figures: [StoreModeFigures] = []
    for (_, endpoint, calls) in modes {
        let context = off.context
        let event = off.event
        figures.append(await Task.detached { await measureStoreMode(endpoint: endpoint, event: event, context: context, seconds: budget, calls: calls) }.value)
    }
    // The store path really reads the table: a mark for the bench user refuses the next decision.
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    guard let config = try? RevocationConfig.fromEnvironment(store) else { fail("store configuration") }
    let marks = RevocationStore(config: config, logger: logger)
    do {
        _ = try await marks.markRevoked(
            sub: "7c5a8f2e-3b1d-4e6f-9a0b-1c2d3e4f5a6b", before: Int64(AccessTokenVerifier.wallClockSeconds()), source: "bench",
            deadline: .now() + .seconds(10))
    } catch {
        fail("the bench could not write its mark: \(error)")
    }
    let refused = String(decoding: (try? await read.endpoint.handle(off.event, context: off.context)) ?? [], as: UTF8.self)
    guard refused.hasPrefix(#"{"isAuthorized":false"#) else { fail("a signed-out user was allowed: \(refused)") }
    print("event: HTTP API 2.0 authorizer event, \(off.event.count) bytes; one user; DynamoDB = moto on loopback (\(endpoint)); Cognito = a closed port (no call made)")
    print("single thread; alternating slices with raw RSA verify, \(budget) s per mode")
    for (index, (name, _, _)) in modes.enumerated() {
        let f = figures[index]
        print("\(name): \(formatted(f.rate)) decisions/s, p50 \(formatted(f.p50)) µs, p99 \(formatted(f.p99)) µs, authorizer/raw \(String(format2: f.ratio))")
    }
    print("after a mark for the user: refused on the next decision (cache off)")
    print("authorizer/raw ratio (store, cache warm): \(String(format2: figures[2].ratio))")
}

print("token: \(token.utf8.count) bytes, RSA-2048, RS256, Cognito access-token claims; JWKS preloaded (warm)")
print("single thread; slices of \(callsPerSlice) calls, full and raw back to back in alternating order, for \(roundSeconds) s")
_ = await measurePairs(seconds: 0.3, callsPerSlice: callsPerSlice)
let pairs = await measurePairs(seconds: roundSeconds, callsPerSlice: callsPerSlice)
guard cache.fetchCount == 0 else { fail("the cache fetched during the benchmark") }
let ratios = pairs.map { $0.full / $0.raw }
print("\(pairs.count) pairs; pair ratios: lowest \(String(format2: ratios.min()!)), median \(String(format2: median(ratios))), highest \(String(format2: ratios.max()!))")
print("full pipeline verify: \(formatted(median(pairs.map(\.full)))) verifications/s (median slice; best \(formatted(pairs.map(\.full).max()!)))")
print("raw RSA-2048 PKCS#1 v1.5 verify (SHA-256 of the same signing input, same key): \(formatted(median(pairs.map(\.raw)))) verifications/s (median slice; best \(formatted(pairs.map(\.raw).max()!)))")
print("verify/raw ratio: \(String(format2: median(ratios)))")

extension String {
    /// `0.NN`, rounded down (no Foundation in this target).
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded(.down))
        self = "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
