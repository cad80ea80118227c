// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tender",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tender", targets: ["tender"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C edges: module maps over Debian's libuv1-dev and libsqlite3-dev.
        .systemLibrary(name: "CLibUV", pkgConfig: "libuv", providers: [.apt(["libuv1-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // The pure core: domain, contract-net engine, award rules, backlog, policies, fairness.
        .target(
            name: "TenderCore",
            dependencies: [.product(name: "Collections", package: "swift-collections")]
        ),
        // YAML profiles (and later scenarios, policies) with file:line validation errors.
        .target(name: "TenderConfig", dependencies: ["TenderCore", "Yams"]),

        // Offline incident-storm simulator: virtual clock, storm models, simulated specialists,
        // metrics and reports, driving the same engine.
        .target(
            name: "TenderSim",
            dependencies: ["TenderCore", "TenderConfig", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),

        .executableTarget(
            name: "tender",
            dependencies: [
                "TenderCore", "TenderConfig", "TenderSim", "CLibUV", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "TenderCoreTests", dependencies: ["TenderCore"]),
        .testTarget(name: "TenderConfigTests", dependencies: ["TenderConfig"]),
        .testTarget(name: "TenderSimTests", dependencies: ["TenderSim", "TenderConfig", "TenderCore"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CLibUV", "CSQLite"]),
        // Runs the built `tender` binary as a user would; depends on it so it is built first.
        .testTarget(name: "TenderCLITests", dependencies: ["tender"]),
    ]
)
