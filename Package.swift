// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "lockstep",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lockstep", targets: ["lockstep"]),
        .library(name: "LockstepCommands", targets: ["LockstepCommands"]),
        .executable(name: "lockstep-tuf-client", targets: ["lockstep-tuf-client"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(name: "CLockstepSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "LockstepStore",
            dependencies: ["CLockstepSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.embedInCode("Schema")]
        ),
        .target(
            name: "LockstepCatalog",
            dependencies: [
                "LockstepStore", "LockstepVersioning",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("DefaultChannels")]
        ),
        .target(name: "LockstepVersioning"),
        .target(name: "LockstepPlanner", dependencies: ["LockstepVersioning"]),
        .target(name: "LockstepRedaction"),
        .target(
            name: "LockstepPlanning",
            dependencies: [
                "LockstepVersioning", "LockstepPlanner", "LockstepCatalog",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "LockstepManifest",
            dependencies: ["LockstepRedaction", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "LockstepProbe",
            dependencies: ["CLibPQ", "LockstepRedaction", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "LockstepRuntime",
            dependencies: [
                "LockstepRedaction",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "LockstepRunner",
            dependencies: [
                "LockstepManifest", "LockstepRuntime", "LockstepProbe", "LockstepRedaction",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LockstepLedger",
            dependencies: [
                "LockstepStore", "LockstepRedaction",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LockstepUpgrade",
            dependencies: [
                "LockstepStore", "LockstepCatalog", "LockstepPlanner", "LockstepPlanning", "LockstepManifest",
                "LockstepRuntime", "LockstepRunner", "LockstepLedger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LockstepServer",
            dependencies: [
                "LockstepLedger",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LockstepConsole",
            dependencies: [
                "LockstepServer", "LockstepStore", "LockstepCatalog", "LockstepPlanner", "LockstepManifest",
                "LockstepLedger", "LockstepPlanning", "LockstepVersioning",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("Templates")]
        ),
        .target(
            name: "LockstepCommands",
            dependencies: [
                "LockstepVersioning", "LockstepStore", "LockstepCatalog", "LockstepPlanner", "LockstepPlanning",
                "LockstepManifest", "LockstepProbe", "LockstepRuntime", "LockstepRunner", "LockstepUpgrade", "LockstepLedger",
                "LockstepServer", "LockstepConsole", "LockstepRepository", "LockstepSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            // Test-only hooks (crash injection) exist in debug builds, which tests run, never in a release build.
            swiftSettings: [.define("LOCKSTEP_TEST_HOOKS", .when(configuration: .debug))]
        ),
        .executableTarget(name: "lockstep", dependencies: ["LockstepCommands"]),
        .target(
            name: "LockstepRepository",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "LockstepSync",
            dependencies: [
                "LockstepRepository", "LockstepCatalog", "LockstepLedger", "LockstepPlanner", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "lockstep-tuf-client",
            dependencies: ["LockstepRepository", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "LockstepBenchmarks",
            dependencies: ["LockstepCatalog", "LockstepPlanner", "LockstepPlanning", "LockstepStore", "LockstepLedger"],
            path: "Benchmarks/LockstepBenchmarks"
        ),
        // libFuzzer target for the manifest decoder and the catalog document (scripts/fuzz.sh);
        // built normally it replays a corpus.
        .executableTarget(
            name: "LockstepFuzz",
            dependencies: ["LockstepManifest", "LockstepCatalog"],
            path: "Fuzz/LockstepFuzz"
        ),
        .target(
            name: "LockstepTestSupport",
            dependencies: ["LockstepRuntime", "LockstepCommands", .product(name: "Logging", package: "swift-log")],
            path: "Tests/LockstepTestSupport"
        ),
        .testTarget(name: "LockstepVersioningTests", dependencies: ["LockstepVersioning"]),
        .testTarget(name: "LockstepRedactionTests", dependencies: ["LockstepRedaction"]),
        .testTarget(name: "LockstepStoreTests", dependencies: ["LockstepStore", "LockstepTestSupport"]),
        .testTarget(name: "LockstepCatalogTests", dependencies: ["LockstepCatalog", "LockstepTestSupport"]),
        .testTarget(
            name: "LockstepPlannerTests",
            dependencies: ["LockstepPlanner", "LockstepVersioning", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "LockstepPlanningTests",
            dependencies: [
                "LockstepPlanning", "LockstepPlanner", "LockstepCatalog", "LockstepStore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "LockstepManifestTests", dependencies: ["LockstepManifest", "LockstepTestSupport"]),
        .testTarget(name: "LockstepProbeTests", dependencies: ["LockstepProbe", "LockstepTestSupport"]),
        .testTarget(name: "LockstepRuntimeTests", dependencies: ["LockstepRuntime", "LockstepTestSupport"]),
        .testTarget(name: "LockstepRunnerTests", dependencies: ["LockstepRunner", "LockstepUpgrade", "LockstepTestSupport"]),
        .testTarget(name: "LockstepLedgerTests", dependencies: ["LockstepLedger", "LockstepTestSupport"], exclude: ["GoVerifier"]),
        .testTarget(name: "LockstepCommandsTests", dependencies: ["LockstepCommands", "LockstepTestSupport"]),
        .testTarget(name: "LockstepServerTests", dependencies: ["LockstepServer", "LockstepTestSupport"]),
        .testTarget(name: "LockstepRepositoryTests", dependencies: ["LockstepRepository", "LockstepTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LockstepTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
