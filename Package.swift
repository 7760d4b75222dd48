// swift-tools-version:6.0
import PackageDescription

// Target boundaries follow docs/ARCHITECTURE.md: model ← ingest ← detection ← simulation, none of
// them does I/O it was not handed; only TourniquetStore touches SQLite and only TourniquetTerminal
// touches ncurses. ArchitectureTests checks these rules against `swift package describe`.

let package = Package(
    name: "Tourniquet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tourniquet", targets: ["tourniquet"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"4.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMaxMindDB", path: "Sources/CMaxMindDB", providers: [.apt(["libmaxminddb-dev"])]),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", providers: [.apt(["libncursesw5-dev"])]),
        // The domain model: actions and their chain, the case, commands, findings, addresses, time,
        // display text. Everything else builds on it; it imports nothing of ours.
        .target(name: "TourniquetModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "TourniquetIngest",
            dependencies: ["TourniquetModel", .product(name: "Crypto", package: "swift-crypto")],
            // The parsers' hot loops touch class properties per line; checked exclusivity cost ~5%.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "TourniquetDetection", dependencies: ["TourniquetModel", "TourniquetIngest"]),
        .target(name: "TourniquetSimulation", dependencies: ["TourniquetModel", "TourniquetIngest", "TourniquetDetection"]),
        // Containment artifacts: what each gateway is told, rendered from the measures in force. Pure text.
        .target(name: "TourniquetContainment", dependencies: ["TourniquetModel"]),
        // Guided response as data: playbooks (read, checked, converted to CACAO), their progress, and
        // notification regimes with their clocks. Pure: files are read by the engine.
        .target(name: "TourniquetResponse", dependencies: ["TourniquetModel", "TourniquetDetection", "Yams"]),
        // Reports and timelines for people and other tools (Markdown, HTML, JSON, CSV, Timesketch,
        // DFIR-IRIS), rendered from what the engine read. Pure text.
        .target(name: "TourniquetExport", dependencies: ["TourniquetModel", "TourniquetDetection"]),
        // The hardening review: the seed checklist decided over gateway state, the OpenAPI document
        // and counts from the logs, as data the engine hands it. Pure.
        .target(name: "TourniquetReview", dependencies: ["TourniquetModel", "TourniquetDetection", "TourniquetContainment"]),
        .target(name: "TourniquetStore", dependencies: ["TourniquetModel", "TourniquetIngest", "TourniquetDetection", "CSQLite"]),
        .target(
            name: "TourniquetEngine",
            dependencies: [
                "TourniquetModel", "TourniquetIngest", "TourniquetDetection", "TourniquetSimulation", "TourniquetStore", "TourniquetContainment",
                "TourniquetResponse", "TourniquetExport", "TourniquetReview", "CZlib", "CMaxMindDB",
                .product(name: "Crypto", package: "swift-crypto"), "Yams",
            ]
        ),
        .target(name: "TourniquetConsole", dependencies: ["TourniquetModel"]),
        .target(name: "TourniquetTerminal", dependencies: ["CNCurses", "TourniquetConsole"]),
        // The console at run time: loads its data from the case, runs the loop, hands changes to the engine.
        .target(
            name: "TourniquetConsoleRuntime",
            dependencies: [
                "TourniquetModel", "TourniquetIngest", "TourniquetDetection", "TourniquetStore", "TourniquetEngine", "TourniquetConsole",
                "TourniquetTerminal", "TourniquetResponse",
            ]),
        .executableTarget(
            name: "tourniquet",
            dependencies: [
                "TourniquetModel", "TourniquetIngest", "TourniquetDetection", "TourniquetSimulation", "TourniquetStore", "TourniquetEngine",
                "TourniquetConsole", "TourniquetConsoleRuntime", "TourniquetResponse", "TourniquetExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "tourniquet-bench",
            dependencies: [
                "TourniquetModel", "TourniquetSimulation", "TourniquetStore", "TourniquetEngine", "TourniquetConsole", "TourniquetConsoleRuntime",
            ]),
        .target(name: "TourniquetTestSupport", path: "Tests/Support"),
        .testTarget(
            name: "TourniquetCoreTests",
            dependencies: [
                "TourniquetModel", "TourniquetIngest", "TourniquetDetection", "TourniquetSimulation", "TourniquetContainment",
                "TourniquetResponse", "TourniquetExport", "TourniquetReview", "TourniquetTestSupport",
            ]),
        .testTarget(name: "TourniquetConsoleTests", dependencies: ["TourniquetConsole", "TourniquetModel"], exclude: ["__Snapshots__"]),
        .testTarget(
            name: "TourniquetEngineTests",
            dependencies: [
                "TourniquetEngine", "TourniquetStore", "TourniquetModel", "TourniquetDetection", "TourniquetConsole", "TourniquetConsoleRuntime",
                "TourniquetTestSupport",
            ]),
        .testTarget(name: "TourniquetStoreTests", dependencies: ["TourniquetStore", "TourniquetModel", "TourniquetTestSupport"]),
        .testTarget(
            name: "TourniquetCLITests",
            dependencies: [
                "tourniquet", "tourniquet-bench", "TourniquetEngine", "TourniquetStore", "TourniquetModel", "TourniquetIngest", "TourniquetDetection",
                "TourniquetSimulation", "TourniquetExport", "TourniquetResponse", "TourniquetReview", "TourniquetContainment",
                "TourniquetTestSupport",
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)
