// swift-tools-version:6.0
import Foundation
import PackageDescription

/// libuv callbacks and the single-loop-thread invariant do not fit Swift 6's strict concurrency
/// checking (handles are touched only from the loop thread, which the compiler cannot see), so
/// the modules that own loop state build in the Swift 5 language mode.
let loopThreadModules: [SwiftSetting] = [.swiftLanguageMode(.v5)]

/// TenderLearning's release build drops bounds and overflow checks in its numeric loops and,
/// when the machine building it has AVX2 and FMA (the machine `make` then trains on), compiles
/// them for those: the 64-wide layer loops and the tanh run four lanes instead of two
/// (`tender bench ppo`). Only the learning module is built so; a binary copied to a CPU without
/// AVX2 would stop with an illegal instruction in `train`, `tune` or `bench ppo`, so set
/// TENDER_PORTABLE=1 (and clear .build) to build without.
let learningFlags: [String] = {
    var flags = ["-Ounchecked"]
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["TENDER_PORTABLE"] == nil,
        let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    {
        let features = Set(line.split(separator: " ").map(String.init))
        if features.contains("avx2"), features.contains("fma") { flags += ["-Xcc", "-mavx2", "-Xcc", "-mfma"] }
    }
    #endif
    return flags
}()

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
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // C edges: module maps over Debian's libuv1-dev and libsqlite3-dev.
        .systemLibrary(name: "CLibUV", pkgConfig: "libuv", providers: [.apt(["libuv1-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Node's http-parser (Debian's libhttp-parser-dev, which ships no pkg-config file).
        .systemLibrary(name: "CHTTPParser", providers: [.apt(["libhttp-parser-dev"])]),
        // OpenBLAS (Debian's libopenblas-dev): the trainer's minibatch matrix products.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // The pure core: domain, contract-net engine, award rules, backlog, policies, fairness.
        .target(
            name: "TenderCore",
            dependencies: [.product(name: "Collections", package: "swift-collections")]
        ),
        // YAML profiles (and later scenarios, policies) with file:line validation errors.
        .target(name: "TenderConfig", dependencies: ["TenderCore", "Yams"]),

        // Swift over libuv: loop, TCP, timers, async wakeups, signals, child processes.
        .target(name: "TenderUV", dependencies: ["CLibUV"], swiftSettings: loopThreadModules),
        // The coordinator–specialist wire protocol: frames, protobuf messages, handshake.
        .target(
            name: "TenderWire",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The system of record: SQLite schema, migrations, group-commit writer thread, queries.
        .target(name: "TenderStore", dependencies: ["CSQLite"], swiftSettings: loopThreadModules),
        // Plan validation, the execution saga, recovery, approvals, paging and the drivers.
        .target(
            name: "TenderExecutor",
            dependencies: ["TenderCore", "TenderConfig", "TenderStore", "TenderUV"],
            swiftSettings: loopThreadModules
        ),
        // The live processes: coordinator, specialist agent, pool, storm feeder, store.
        .target(
            name: "TenderService",
            dependencies: [
                "TenderCore", "TenderConfig", "TenderUV", "TenderWire", "TenderStore", "TenderExecutor", "TenderHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: loopThreadModules
        ),
        // The chart code shared by the dashboard and the simulator's HTML report (JavaScript over
        // Chart.js, as a Swift string): no dependencies.
        .target(name: "TenderCharts"),
        // HTTP/1.1 on the loop: the /v1 API, /metrics, /events (SSE) and the dashboard, against a
        // backend protocol the coordinator implements.
        .target(
            name: "TenderHTTP",
            dependencies: ["TenderCore", "TenderUV", "CHTTPParser", "TenderCharts"],
            swiftSettings: loopThreadModules
        ),
        // Offline incident-storm simulator: virtual clock, storm models, simulated specialists,
        // metrics and reports, driving the same engine.
        .target(
            name: "TenderSim",
            dependencies: ["TenderCore", "TenderConfig", "TenderCharts", .product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        // Learning: a small hand-written neural-network library, PPO, and the environments it
        // trains in (CartPole as the trainer's proof, the bidding environment over the simulator).
        // Minibatch matrix products go through OpenBLAS (one thread). Release builds use
        // `learningFlags` (above); the gradient checks and smoke tests run in checked debug builds.
        .target(
            name: "TenderLearning", dependencies: ["TenderCore", "TenderSim", "TenderConfig", "COpenBLAS"],
            swiftSettings: [.unsafeFlags(learningFlags, .when(configuration: .release))]
        ),

        .executableTarget(
            name: "tender",
            dependencies: [
                "TenderCore", "TenderConfig", "TenderSim", "TenderLearning", "TenderService", "TenderUV", "TenderWire", "CLibUV", "CSQLite",
                "TenderStore", "TenderExecutor", "TenderHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: loopThreadModules
        ),

        .testTarget(name: "TenderCoreTests", dependencies: ["TenderCore"]),
        .testTarget(name: "TenderConfigTests", dependencies: ["TenderConfig"]),
        .testTarget(name: "TenderSimTests", dependencies: ["TenderSim", "TenderConfig", "TenderCore", "TenderCharts"]),
        .testTarget(
            name: "TenderLearningTests",
            dependencies: ["TenderLearning", "TenderSim", "TenderCore", "TenderConfig", "TenderService", "TenderWire"]
        ),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CLibUV", "CSQLite"]),
        .testTarget(name: "TenderUVTests", dependencies: ["TenderUV"], swiftSettings: loopThreadModules),
        .testTarget(name: "TenderWireTests", dependencies: ["TenderWire"]),
        .testTarget(name: "TenderStoreTests", dependencies: ["TenderStore"], swiftSettings: loopThreadModules),
        .testTarget(
            name: "TenderExecutorTests",
            dependencies: ["TenderExecutor", "TenderStore", "TenderCore", "TenderConfig", "TenderUV"],
            swiftSettings: loopThreadModules
        ),
        // Headless Chromium for the browser tests: one launcher, and a page driven over DevTools.
        .target(name: "BrowserSupport", path: "Tests/BrowserSupport"),
        .testTarget(name: "TenderHTTPTests", dependencies: ["TenderHTTP", "TenderUV", "TenderCore", "BrowserSupport"], swiftSettings: loopThreadModules),
        .testTarget(
            name: "TenderServiceTests",
            // Also depends on `tender`, whose processes the live tests start, so it is built first.
            dependencies: ["TenderService", "TenderWire", "TenderUV", "TenderStore", "TenderExecutor", "TenderConfig", "CSQLite", "tender", "BrowserSupport"],
            swiftSettings: loopThreadModules
        ),
        // Runs the built `tender` binary as a user would; depends on it so it is built first.
        .testTarget(name: "TenderCLITests", dependencies: ["tender"]),
    ]
)
