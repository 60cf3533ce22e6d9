// cognito-emulator: a local Cognito (JSON API, JWKS, managed-login OAuth2 endpoints) on one port.
import CognitoEmulator
import Dispatch
import FoundationEssentials
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let usage = """
    usage: cognito-emulator [options]
      --host HOST               interface to bind (default 127.0.0.1). Any other interface is
                                reachable from other machines, without TLS: a warning is printed,
                                and the control API and query-string logins answer only loopback peers
      --unsafe-expose           let every peer use the control API (/_emulator/*) and log in with
                                credentials in the /oauth2/authorize query, under any Host name and
                                from browser pages (trusted networks only)
      --port PORT               port, 0 = any free port (default 9229)
      --region REGION           (default us-east-1)
      --pool-id ID              user pool id (default us-east-1_EmuLocal1)
      --client-id ID            app client id (default emulatorlocalclient0000001)
      --client-secret SECRET    app client secret (default: none, a public client)
      --redirect-uri URI        registered callback URL; repeat or comma-separate for several
      --logout-uri URI          registered sign-out URL; repeatable (default: the redirect URIs)
      --users FILE              users JSON: [{"username","password","attributes":{...},"groups":[...],"claims":{...}}]
                                ("claims": string claims a pre token generation trigger adds to the
                                user's access and ID tokens, e.g. {"custom:tenant":"acme"})
                                (default: demo / Passw0rd!, demo@example.com, group users)
      --issuer-form FORM        original (https://cognito-idp.REGION.amazonaws.com/POOL, default) or
                                updated (https://issuer-cognito-idp.REGION.amazonaws.com/POOL)
      --issuer-region REGION    the Region the issuer names, as a replica of the pool there would
                                (default: --region)
      --getuser-limit N         Cognito's per-user quota: at most N GetUser reads per user per
                                second (Cognito: 10), then TooManyRequestsException (default: no limit)
      --token-lifetime SECONDS  access and ID token lifetime (default 3600)
      --refresh-token-rotation  each refresh returns a new refresh token and retires the old one
                                (Cognito's refresh token rotation; REFRESH_TOKEN_AUTH is then refused)
      --rotation-grace-seconds N  how long a rotated-out refresh token still works, 0..60 (default 0)
      --disable-token-revocation  the app client's token revocation is off: /oauth2/revoke answers 400 invalid_request
      --key-file PEM            signing keys (one or two RSA private keys); created if missing
      --clock EPOCH_SECONDS     start the emulator's clock at this time (it then runs normally)
      --print-env-file PATH     write the export lines to PATH (atomically) once listening
      --log-level LEVEL         trace|debug|info|notice|warning|error|critical (default info)
      -h, --help

    """

func fail(_ message: String) -> Never {
    FileHandleStderr.emit("cognito-emulator: \(message)\n")
    exit(2)
}

enum FileHandleStderr {
    static func emit(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}

var options = EmulatorOptions()
options.port = 9229
var redirectURIs: [String] = []
var usersFile: String?
var keyFile: String?
var envFile: String?
var logLevel = Logger.Level.info

var remaining = CommandLine.arguments.dropFirst()
while let argument = remaining.popFirst() {
    func value(for flag: String) -> String {
        guard let value = remaining.popFirst() else { fail("\(flag) needs a value\n\(usage)") }
        return value
    }
    switch argument {
    case "--host": options.host = value(for: argument)
    case "--unsafe-expose": options.unsafeExpose = true
    case "--refresh-token-rotation": options.refreshTokenRotation = true
    case "--disable-token-revocation": options.tokenRevocation = false
    case "--rotation-grace-seconds":
        guard let seconds = Int(value(for: argument)), (0...60).contains(seconds) else { fail("--rotation-grace-seconds must be an integer 0...60") }
        options.rotationGraceSeconds = seconds
    case "--port":
        guard let port = Int(value(for: argument)), (0...65535).contains(port) else { fail("--port must be 0...65535") }
        options.port = port
    case "--region": options.region = value(for: argument)
    case "--pool-id": options.userPoolId = value(for: argument)
    case "--client-id": options.clientId = value(for: argument)
    case "--client-secret": options.clientSecret = value(for: argument)
    case "--redirect-uri":
        redirectURIs += value(for: argument).split(separator: ",").map { String($0) }
    case "--logout-uri": options.logoutURIs.append(value(for: argument))
    case "--users": usersFile = value(for: argument)
    case "--issuer-form":
        guard let form = EmulatorOptions.IssuerForm(rawValue: value(for: argument)) else { fail("--issuer-form must be original or updated") }
        options.issuerForm = form
    case "--issuer-region": options.issuerRegion = value(for: argument)
    case "--getuser-limit":
        guard let limit = Int(value(for: argument)), limit > 0 else { fail("--getuser-limit must be a positive integer") }
        options.getUserReadsPerSecond = limit
    case "--token-lifetime":
        guard let seconds = Int(value(for: argument)), seconds > 0 else { fail("--token-lifetime must be a positive integer") }
        options.accessTokenLifetime = seconds
    case "--key-file": keyFile = value(for: argument)
    case "--clock":
        guard let start = Double(value(for: argument)), start.isFinite, start >= 0 else { fail("--clock must be epoch seconds") }
        let offset = start - Date().timeIntervalSince1970
        options.now = { Date().timeIntervalSince1970 + offset }
    case "--print-env-file": envFile = value(for: argument)
    case "--log-level":
        guard let level = Logger.Level(rawValue: value(for: argument)) else { fail("unknown --log-level") }
        logLevel = level
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    default:
        fail("unknown option \(argument)\n\(usage)")
    }
}
if !redirectURIs.isEmpty { options.redirectURIs = redirectURIs }

// stdout carries only the base URL and the export lines; logs go to stderr.
LoggingSystem.bootstrap(StreamLogHandler.standardError)
options.logger = Logger(label: "cognito-emulator")
options.logger.logLevel = logLevel

if let usersFile {
    do {
        options.users = try EmulatorUser.load(fromFile: usersFile)
    } catch {
        fail("cannot load users file \(usersFile): \(error)")
    }
}
if let keyFile {
    do {
        options.signingKeysPEM = try EmulatorSigningKeys.loadOrCreatePEM(path: keyFile)
    } catch {
        fail("cannot load or create key file \(keyFile): \(error)")
    }
}

let server: CognitoEmulatorServer
do {
    server = try await CognitoEmulatorServer.start(options)
} catch {
    fail("cannot start: \(error)")
}

print("Cognito emulator listening on \(server.baseURL)")
print("JWKS: \(server.baseURL)/\(options.userPoolId)/.well-known/jwks.json")
print("Demo/users: \(options.users.map(\.username).joined(separator: ", "))")
print("")
print(server.exportLines, terminator: "")
fflush(nil)

if let envFile {
    do {
        try Data(server.exportLines.utf8).write(to: URL(fileURLWithPath: envFile), options: .atomic)
    } catch {
        FileHandleStderr.emit("cognito-emulator: cannot write \(envFile): \(error)\n")
        try? await server.shutdown()
        exit(2)
    }
}

// Run until SIGINT or SIGTERM.
let (signals, signalSources) = TerminationSignals.stream()
for await number in signals {
    FileHandleStderr.emit("cognito-emulator: signal \(number), shutting down\n")
    break
}
try? await server.shutdown()
withExtendedLifetime(signalSources) {}
exit(0)
