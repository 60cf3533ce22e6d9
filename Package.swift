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
        .executable(name: "cognito-emulator", targets: ["cognito-emulator"]),
        .library(name: "AuthCore", targets: ["AuthCore"]),
        .library(name: "LambdaKit", targets: ["LambdaKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // A small JSON value type shared by AuthCore (raw claims) and LambdaKit (authorizer claims).
        .target(name: "JSONValue"),
        .target(
            name: "AuthCore",
            dependencies: [
                "JSONValue",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LambdaKit",
            dependencies: [
                "JSONValue",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "AuthEndpoints", dependencies: ["AuthCore", "LambdaKit"]),
        // Lets the handler binaries start on provided.al2023 (glibc 2.34): routes hypot/hypotf,
        // which carry a GLIBC_2.35 symbol version on newer glibc, to wrappers with no versioned
        // reference (see Sources/GlibcCompat/GlibcCompat.c). Linux only: ld64 has no --wrap.
        .target(
            name: "GlibcCompat",
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--wrap=hypot", "-Xlinker", "--wrap=hypotf"],
                    .when(platforms: [.linux])
                )
            ]
        ),
        .executableTarget(name: "sign-in", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"]),
        .executableTarget(name: "me", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"]),
        .executableTarget(name: "logout", dependencies: ["AuthEndpoints", "LambdaKit", "GlibcCompat"]),
        .target(
            name: "CognitoEmulator",
            dependencies: [
                "JSONValue",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "cognito-emulator", dependencies: ["CognitoEmulator"]),
        .testTarget(name: "AuthCoreTests", dependencies: ["AuthCore"]),
        .testTarget(name: "LambdaKitTests", dependencies: ["LambdaKit"]),
        .testTarget(name: "AuthEndpointsTests", dependencies: ["AuthEndpoints"]),
        .testTarget(name: "CognitoEmulatorTests", dependencies: ["CognitoEmulator"]),
    ]
)
