// swift-tools-version:6.1
import PackageDescription

/// Modules depend in one direction: C shims, then the thin HTTP and storage layers,
/// then the pure domain, then the web layer and the app that composes them.
let package = Package(
    name: "pingjia",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pingjia", targets: ["pingjia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "MicroHTTP", dependencies: ["CMicroHTTPD", "CZlib"]),
        .target(name: "QRCodes", dependencies: ["CQRencode", "CPNG"]),
        .target(name: "Hashing", dependencies: ["CSodium"]),
        .target(name: "SurveyCore"),
        .target(
            name: "SurveyStore",
            dependencies: ["SurveyCore", "Hashing", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "SurveyWeb",
            dependencies: [
                "MicroHTTP", "SurveyCore", "SurveyStore", "Hashing", "QRCodes",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "SurveyApp",
            dependencies: [
                "MicroHTTP", "SurveyCore", "SurveyStore", "SurveyWeb", "Hashing", "QRCodes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "pingjia", dependencies: ["SurveyApp"]),
        // Benchmarks (bench/*/run); not shipped.
        .executableTarget(
            name: "pingjia-bench",
            dependencies: ["SurveyStore", "SurveyCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(name: "PingjiaTesting", path: "Tests/PingjiaTesting"),
        .testTarget(name: "SurveyCoreTests", dependencies: ["SurveyCore"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "QRCodesTests", dependencies: ["QRCodes"]),
        .testTarget(name: "MicroHTTPTests", dependencies: ["MicroHTTP", "PingjiaTesting"]),
        .testTarget(name: "SurveyStoreTests", dependencies: ["SurveyStore", "SurveyCore"]),
        .testTarget(
            name: "SurveyWebTests",
            dependencies: [
                "SurveyWeb", "SurveyCore", "SurveyApp", "MicroHTTP", "PingjiaTesting", "Hashing",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SurveyApp", "SurveyWeb", "SurveyStore", "SurveyCore", "MicroHTTP", "PingjiaTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
