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
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "LockstepStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            resources: [.embedInCode("Schema")]
        ),
        .target(
            name: "LockstepCatalog",
            dependencies: [
                "LockstepStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("DefaultChannels")]
        ),
        .target(name: "LockstepPlanner", dependencies: ["LockstepCatalog"]),
        .target(
            name: "LockstepManifest",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "LockstepProbe",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "LockstepRuntime",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LockstepRunner",
            dependencies: [
                "LockstepManifest", "LockstepRuntime", "LockstepProbe",
                "LockstepStore", "LockstepCatalog", "LockstepPlanner", "LockstepLedger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "LockstepLedger",
            dependencies: [
                "LockstepStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LockstepCommands",
            dependencies: [
                "LockstepStore", "LockstepCatalog", "LockstepPlanner", "LockstepManifest",
                "LockstepProbe", "LockstepRuntime", "LockstepRunner", "LockstepLedger",
                "LockstepRepository", "LockstepSync",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
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
            dependencies: ["LockstepRepository", "LockstepCatalog", "LockstepLedger", "LockstepPlanner", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "lockstep-tuf-client",
            dependencies: ["LockstepRepository", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "LockstepBenchmarks",
            dependencies: ["LockstepCatalog", "LockstepPlanner", "LockstepStore", "LockstepLedger"],
            path: "Benchmarks/LockstepBenchmarks"
        ),
        .target(
            name: "LockstepTestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/LockstepTestSupport"
        ),
        .testTarget(name: "LockstepStoreTests", dependencies: ["LockstepStore", "LockstepTestSupport"]),
        .testTarget(name: "LockstepCatalogTests", dependencies: ["LockstepCatalog", "LockstepTestSupport"]),
        .testTarget(
            name: "LockstepPlannerTests",
            dependencies: ["LockstepPlanner", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "LockstepManifestTests", dependencies: ["LockstepManifest", "LockstepTestSupport"]),
        .testTarget(name: "LockstepProbeTests", dependencies: ["LockstepProbe", "LockstepTestSupport"]),
        .testTarget(name: "LockstepRuntimeTests", dependencies: ["LockstepRuntime", "LockstepTestSupport"]),
        .testTarget(name: "LockstepRunnerTests", dependencies: ["LockstepRunner", "LockstepTestSupport"]),
        .testTarget(name: "LockstepLedgerTests", dependencies: ["LockstepLedger", "LockstepTestSupport"]),
        .testTarget(name: "LockstepCommandsTests", dependencies: ["LockstepCommands", "LockstepTestSupport"]),
        .testTarget(name: "LockstepRepositoryTests", dependencies: ["LockstepRepository", "LockstepTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LockstepTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
