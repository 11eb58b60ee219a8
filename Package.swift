// swift-tools-version:6.1
import PackageDescription

#if os(Linux)
import Foundation
#endif

/// The major version of the installed libgpiod, found with pkg-config when the
/// manifest is evaluated: bookworm ships 1.6 (the v1 API), trixie 2.x. The GPIO
/// backend compiles the matching code path (`GPIOD_V2` set for 2.x). Set
/// `SPEEDWATCH_LIBGPIOD_MAJOR` to override; after upgrading libgpiod, run
/// `swift package purge-cache` or remove `.build` so the manifest is read again.
let libgpiodMajor: Int = {
    #if os(Linux)
    if let forced = ProcessInfo.processInfo.environment["SPEEDWATCH_LIBGPIOD_MAJOR"], let major = Int(forced) {
        return major
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["pkg-config", "--modversion", "libgpiod"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return 1 }
    process.waitUntilExit()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return Int(text.split(separator: ".").first ?? "") ?? 1
    #else
    return 1
    #endif
}()

/// Settings every target of ours gets: Swift 6 mode plus the stricter features
/// the house style asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "SpeedWatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sid", targets: ["sid"]),
        .executable(name: "sid-bench", targets: ["SIDBenchmarks"]),
        .executable(name: "collector", targets: ["collector"]),
        .executable(name: "collector-bench", targets: ["CollectorBenchmarks"]),
        .library(name: "SessionBundle", targets: ["SessionBundle"]),
        .executable(name: "gpio-bench", targets: ["GPIOBenchmarks"]),
        .executable(name: "gpio-hil-probe", targets: ["GPIOHILProbe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Domain: values every other target speaks (sites, sessions, readings, edges, units).
        .target(name: "SpeedDomain"),

        // The operating system's reason a file could not be read or written, for messages to people.
        .target(name: "FileErrors"),

        // TOML configuration files decoded with errors that name the file, line and field.
        .target(name: "StoreSupport", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "TOMLSupport", dependencies: ["FileErrors", .product(name: "TOMLKit", package: "TOMLKit")]),

        // Where edges come from: the EdgeSource interface and the replay capture format.
        .target(name: "EdgeSources", dependencies: ["SpeedDomain", "FileErrors"]),

        // libgpiod (1.6 or 2.x, found by pkg-config), Linux only.
        .systemLibrary(
            name: "CGPIOD",
            pkgConfig: "libgpiod",
            providers: [.apt(["libgpiod-dev"])]
        ),

        // Real pins: the libgpiod edge source, its settings and errors.
        .target(
            name: "GPIOEdges",
            dependencies: [
                "SpeedDomain", "EdgeSources",
                .target(name: "CGPIOD", condition: .when(platforms: [.linux])),
            ],
            swiftSettings: libgpiodMajor >= 2 ? [.define("GPIOD_V2")] : []
        ),

        // `sid doctor`'s checks: GPIO chip and lines, clocks, wall time, free disk.
        .target(
            name: "DeviceHealth",
            dependencies: [
                "GPIOEdges", "SpeedDomain",
                .target(name: "CGPIOD", condition: .when(platforms: [.linux])),
            ]
        ),

        // The program the qemu gpio-sim test boots into: reads a simulated line, checks the edges.
        .executableTarget(name: "GPIOHILProbe", dependencies: ["GPIOEdges", "DeviceHealth", "EdgeSources", "SpeedDomain"]),

        // Events/s through the libgpiod batch conversion.
        .executableTarget(
            name: "GPIOBenchmarks",
            dependencies: [
                "GPIOEdges", "EdgeSources", "SpeedDomain", "SpeedStatistics",
                .target(name: "CGPIOD", condition: .when(platforms: [.linux])),
            ],
            swiftSettings: libgpiodMajor >= 2 ? [.define("GPIOD_V2")] : []
        ),

        // Signal processing, the hot path: edges in, vehicles out.
        .target(name: "VehicleDetection", dependencies: ["SpeedDomain"]),

        // Synthetic traffic and sensor physics producing the edges a real pin would see.
        .target(
            name: "TrafficSimulator",
            dependencies: ["SpeedDomain", "EdgeSources", "TOMLSupport"],
            path: "Simulator/Sources/TrafficSimulator"
        ),

        // The device's SQLite store (WAL, batched writes, crash safe).
        .target(
            name: "DeviceStore",
            dependencies: [
                "SpeedDomain", "StoreSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test fixture: appends to a store forever so the crash test can SIGKILL it mid-write,
        // and what it writes, shared with the test.
        .executableTarget(
            name: "StoreCrashWriter",
            dependencies: ["DeviceStore", "SpeedDomain", "StoreCrashFixture"],
            path: "Tests/StoreCrashWriter"
        ),
        .target(name: "StoreCrashFixture", dependencies: ["SpeedDomain"], path: "Tests/StoreCrashFixture"),

        // The measuring pipeline: an EdgeSource through the detector into the store.
        .target(
            name: "DeviceRuntime",
            dependencies: [
                "SpeedDomain", "EdgeSources", "VehicleDetection", "TrafficSimulator", "DeviceStore", "GPIOEdges",
                .product(name: "Logging", package: "swift-log"),
                "TOMLSupport",
            ]
        ),

        // The device command line.
        .executableTarget(
            name: "sid",
            dependencies: [
                "DeviceRuntime", "DeviceStore", "EdgeSources", "TrafficSimulator", "SpeedDomain", "VehicleDetection", "TOMLSupport",
                "SessionBundle", "FileErrors",
                "GPIOEdges", "DeviceHealth",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks that print numbers: accuracy against simulator truth, throughput.
        .executableTarget(
            name: "SIDBenchmarks",
            dependencies: [
                "SpeedDomain", "EdgeSources", "VehicleDetection", "TrafficSimulator", "DeviceStore", "DeviceRuntime",
            ]
        ),

        // Collector side (issue 4): bundle format, statistics, store, ingest, reports.

        // The signed, versioned session bundle a device exports and the collector imports.
        .target(
            name: "SessionBundle",
            dependencies: ["SpeedDomain", "FileErrors", .product(name: "Crypto", package: "swift-crypto")]
        ),

        // Pure statistics for evaluations: type-7 percentiles, histograms, Welch, bootstrap, DiD.
        .target(name: "SpeedStatistics"),

        // The collector's storage interface and its SQLite (GRDB) implementation.
        .target(
            name: "CollectorStore",
            dependencies: [
                "SpeedDomain", "SpeedStatistics", "StoreSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // Ingest (bundles, camera-van CSV, binned exports) and the sites registry.
        .target(
            name: "Collector",
            dependencies: [
                "SpeedDomain", "SessionBundle", "CollectorStore", "SpeedStatistics", "TOMLSupport", "FileErrors",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // Evaluation reports: figures per site and pilot vs control, as JSON, tidy CSV and HTML.
        .target(name: "Reports", dependencies: ["SpeedDomain", "SpeedStatistics", "CollectorStore"]),

        // The collector command line.
        .executableTarget(
            name: "collector",
            dependencies: [
                "Collector", "CollectorStore", "Reports", "SessionBundle", "SpeedDomain", "FileErrors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Prints ingest readings/s over 10 million readings and report ms over 1 million.
        .executableTarget(
            name: "CollectorBenchmarks",
            dependencies: ["Collector", "CollectorStore", "Reports", "SessionBundle", "SpeedDomain"]
        ),

        // The short simulated street that the simulator, runtime and end-to-end tests share.
        .target(name: "ScenarioFixtures", path: "Tests/ScenarioFixtures"),
        .testTarget(name: "FileErrorsTests", dependencies: ["FileErrors"]),
        .testTarget(name: "SpeedStatisticsTests", dependencies: ["SpeedStatistics"]),
        .testTarget(name: "SessionBundleTests", dependencies: ["SessionBundle", "SpeedDomain"]),
        .testTarget(
            name: "CollectorTests",
            dependencies: [
                "Collector", "CollectorStore", "SessionBundle", "SpeedDomain", "SpeedStatistics", "ScenarioFixtures",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Collector", "CollectorStore", "SessionBundle", "SpeedDomain", "SpeedStatistics"],
            exclude: ["Golden"]
        ),

        .testTarget(name: "SpeedDomainTests", dependencies: ["SpeedDomain", "TOMLSupport"]),
        .testTarget(name: "EdgeSourcesTests", dependencies: ["EdgeSources", "SpeedDomain"]),
        .testTarget(
            name: "GPIOEdgesTests",
            dependencies: [
                "GPIOEdges", "SpeedDomain",
                .target(name: "CGPIOD", condition: .when(platforms: [.linux])),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: libgpiodMajor >= 2 ? [.define("GPIOD_V2")] : []
        ),
        .testTarget(name: "DeviceHealthTests", dependencies: ["DeviceHealth", "GPIOEdges"]),
        .testTarget(name: "VehicleDetectionTests", dependencies: ["VehicleDetection", "SpeedDomain", "SpeedStatistics"]),
        .testTarget(name: "TrafficSimulatorTests", dependencies: ["TrafficSimulator", "VehicleDetection", "SpeedDomain", "ScenarioFixtures"]),
        .testTarget(
            name: "DeviceStoreTests",
            dependencies: [
                "DeviceStore", "SpeedDomain", "SpeedStatistics", "StoreCrashFixture", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DeviceRuntimeTests",
            dependencies: ["DeviceRuntime", "DeviceStore", "EdgeSources", "TrafficSimulator", "SpeedDomain", "VehicleDetection", "TOMLSupport", "GPIOEdges", "ScenarioFixtures", .product(name: "Logging", package: "swift-log")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
