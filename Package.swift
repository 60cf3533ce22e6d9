// swift-tools-version:6.1
import PackageDescription

// Dependency direction: executables -> AuthEndpoints -> (AuthCore, LambdaKit).
// AuthCore and LambdaKit never import each other. Handler binaries link no server code.
let package = Package(
    name: "cognito-lambda-auth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sign-in", targets: ["sign-in"]),
        .executable(name: "me", targets: ["me"]),
        .executable(name: "logout", targets: ["logout"]),
        .executable(name: "refresh", targets: ["refresh"]),
        .executable(name: "authorizer", targets: ["authorizer"]),
        .executable(name: "protected-example", targets: ["protected-example"]),
        .executable(name: "revocation-sink", targets: ["revocation-sink"]),
        .executable(name: "cognito-emulator", targets: ["cognito-emulator"]),
        .library(name: "AuthCore", targets: ["AuthCore"]),
        .library(name: "LambdaKit", targets: ["LambdaKit"]),
        .library(name: "LambdaRuntimeAPIServer", targets: ["LambdaRuntimeAPIServer"]),
        .executable(name: "lambda-runtime-api", targets: ["lambda-runtime-api"]),
        .executable(name: "local-api", targets: ["local-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Already in the graph through Hummingbird; named so the emulator can shut down gracefully.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Dev only (scripts/serve reads template.yaml); never linked into a handler.
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // ---- The product (Sources/Product): the libraries and handler executables that ship in a
        // Lambda zip. Nothing here depends on a Tooling target.
        // The one strict JSON core (tokenizer, JSONValue, streaming JSONReader, the verifier's member
        // locator) and JSONWriter, shared by AuthCore, LambdaKit and AuthEndpoints.
        .target(name: "JSONValue", path: "Sources/Product/JSONValue"),
        // The one home of the wire codecs every layer shares: strict base64 and base64url, form and
        // query-string percent coding. No dependencies.
        .target(name: "WireCoding", path: "Sources/Product/WireCoding"),
        // The upstream calls of the invocation in flight: AuthCore's transport records, LambdaKit's
        // runtime reads (metrics, summary line). No dependencies.
        .target(name: "InvocationTelemetry", path: "Sources/Product/InvocationTelemetry"),
        .target(
            name: "AuthCore",
            dependencies: [
                "JSONValue",
                "WireCoding",
                "InvocationTelemetry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Product/AuthCore"
        ),
        .target(
            name: "LambdaKit",
            dependencies: [
                "JSONValue",
                "WireCoding",
                "InvocationTelemetry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Product/LambdaKit"
        ),
        .target(
            name: "AuthEndpoints",
            dependencies: [
                "AuthCore",
                "JSONValue",
                "LambdaKit",
                "WireCoding",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The OpenAPI document of the HTTP API lives beside the handlers it describes; it is data
            // for the contract tests and scripts/serve, never compiled into a handler.
            path: "Sources/Product/AuthEndpoints",
            exclude: ["OpenAPI"]
        ),
        // Lets the handler binaries start on provided.al2023 (glibc 2.34): routes hypot/hypotf,
        // which carry a GLIBC_2.35 symbol version on newer glibc, to wrappers with no versioned
        // reference (see Sources/Product/GlibcCompat/GlibcCompat.c). Linux only: ld64 has no --wrap.
        .target(
            name: "GlibcCompat",
            path: "Sources/Product/GlibcCompat",
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--wrap=hypot", "-Xlinker", "--wrap=hypotf"],
                    .when(platforms: [.linux])
                )
            ]
        ),
        .executableTarget(name: "sign-in", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"], path: "Sources/Product/sign-in"),
        .executableTarget(name: "me", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"], path: "Sources/Product/me"),
        .executableTarget(name: "logout", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"], path: "Sources/Product/logout"),
        .executableTarget(name: "refresh", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"], path: "Sources/Product/refresh"),
        // API Gateway Lambda authorizer (issue 12): the same verifier in front of a team's own routes.
        .executableTarget(name: "authorizer", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"], path: "Sources/Product/authorizer"),
        // The template's example route behind the authorizer: echoes the authorizer context it receives.
        .executableTarget(name: "protected-example", dependencies: ["LambdaKit", "JSONValue", "GlibcCompat"], path: "Sources/Product/protected-example"),
        // EventBridge target for the user pool's CloudTrail sign-out events: writes revocation marks (issue 22).
        .executableTarget(name: "revocation-sink", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"], path: "Sources/Product/revocation-sink"),
        // ---- Tooling (Sources/Tooling): dev servers, the local harness, benchmarks. Never in a zip.
        // Dev/test only: a loopback Lambda Runtime API (2018-06-01) server. Never linked into handlers.
        .target(
            name: "LambdaRuntimeAPIServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Tooling/LambdaRuntimeAPIServer"
        ),
        // CLI around the server: feeds event files to a handler binary and prints the answers.
        .executableTarget(name: "lambda-runtime-api", dependencies: ["LambdaRuntimeAPIServer"], path: "Sources/Tooling/lambda-runtime-api"),
        // Tiny LambdaKit handler that echoes the request; used by LambdaKitTests and scripts/bench-runtime.
        .executableTarget(
            name: "lambdakit-echo",
            dependencies: ["LambdaKit", "JSONValue", "WireCoding", .product(name: "NIOHTTP1", package: "swift-nio")],
            path: "Sources/Tooling/lambdakit-echo"
        ),
        // Runtime loop benchmark: LambdaMain through the loopback server vs. the raw client pattern;
        // `soak`: the handler's RSS over many invocations with distinct trace ids.
        .executableTarget(
            name: "lambda-runtime-bench",
            dependencies: [
                "LambdaKit", "LambdaRuntimeAPIServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/Tooling/lambda-runtime-bench"
        ),
        .target(
            name: "CognitoEmulator",
            dependencies: [
                "JSONValue",
                "WireCoding",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Tooling/CognitoEmulator"
        ),
        .executableTarget(
            name: "cognito-emulator",
            dependencies: ["CognitoEmulator", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Tooling/cognito-emulator"
        ),
        // Dev only: the emulator in-process plus the executables driven in both modes, for the
        // demo, event replay and the endpoint tests. May use Foundation; never linked into handlers.
        .target(
            name: "LocalHarness",
            dependencies: [
                "CognitoEmulator",
                "LambdaRuntimeAPIServer",
                "WireCoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Tooling/LocalHarness"
        ),
        .executableTarget(name: "event-replay", dependencies: ["LocalHarness"], path: "Sources/Tooling/event-replay"),
        // Dev only (scripts/serve): template.yaml served as API Gateway HTTP API would, through the
        // handler executables running warm in Lambda mode. Never linked into handlers.
        .target(
            name: "LocalAPI",
            dependencies: [
                "CognitoEmulator",
                "JSONValue",
                "LambdaRuntimeAPIServer",
                "WireCoding",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The dev web app's page and script: served from the source tree by scripts/serve,
            // not compiled, and never part of a handler executable.
            path: "Sources/Tooling/LocalAPI",
            exclude: ["WebApp/index.html", "WebApp/app.js"]
        ),
        .executableTarget(name: "local-api", dependencies: ["LocalAPI", "CognitoEmulator"], path: "Sources/Tooling/local-api"),
        .executableTarget(name: "auth-demo", dependencies: ["LocalHarness"], path: "Sources/Tooling/auth-demo"),
        // Benchmark (scripts/bench verify): full verification vs raw RSA verify, release build.
        .executableTarget(
            name: "auth-bench",
            dependencies: [
                "AuthCore",
                "AuthEndpoints",
                "LambdaKit",
                "WireCoding",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Tooling/auth-bench"
        ),
        .testTarget(
            name: "AuthCoreTests",
            dependencies: [
                "AuthCore",
                "JSONValue",
                "WireCoding",
                "InvocationTelemetry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "WireCodingTests", dependencies: ["WireCoding"]),
        .testTarget(name: "GlibcCompatTests", dependencies: ["GlibcCompat"]),
        .testTarget(
            name: "LambdaKitTests",
            // The executables are dependencies so `swift build --build-tests` always builds them:
            // the tests run them as real processes.
            dependencies: [
                "LambdaKit", "JSONValue", "LambdaRuntimeAPIServer", "WireCoding", "InvocationTelemetry", "lambdakit-echo",
                "lambda-runtime-api",
                // HeaderMergeTests read LocalAPI's events (its HTTP API mirror) with LambdaKit's readers.
                "LocalAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "AuthEndpointsTests",
            dependencies: [
                "AuthEndpoints",
                "AuthCore",
                "LambdaKit",
                "LocalHarness",
                // The revocation flow tests add a second emulator user (EmulatorOptions.users).
                "CognitoEmulator",
                "JSONValue",
                "LambdaRuntimeAPIServer",
                // Built with the tests: the authorizer tests run it as a real process.
                "authorizer",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LocalAPITests",
            // The handler executables are dependencies so `swift build --build-tests` builds what
            // the tests serve. Fixtures: test-only functions (an authorizer, a misbehaving function).
            dependencies: [
                "LocalAPI", "JSONValue", "sign-in", "me", "logout", "refresh", "local-api",
                // ProcessRunner: the tests' child processes are waited for without blocking a thread.
                "LocalHarness",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CognitoEmulatorTests",
            // The executable is a dependency so its CLI test always has the binary to run.
            dependencies: [
                "CognitoEmulator",
                "cognito-emulator",
                "JSONValue",
                "WireCoding",
                // The emulator wrapper the endpoint tests and the demo use (EmulatorFixture).
                "LocalHarness",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
