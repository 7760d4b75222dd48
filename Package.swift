// swift-tools-version:6.0
import PackageDescription

// Target boundaries follow docs/ARCHITECTURE.md: the core does no I/O it was not handed,
// only TourniquetStore touches SQLite and only TourniquetTerminal touches ncurses.
import Foundation
// TEMPORARY while the JSON-format parsers are written alongside; removed when they land.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
func inProgress(_ dir: String, keep: Set<String>) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/" + dir)) ?? []).filter { !keep.contains($0) }
}

let package = Package(
    name: "Tourniquet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tourniquet", targets: ["tourniquet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"4.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", providers: [.apt(["libncursesw5-dev"])]),
        .target(
            name: "TourniquetCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            exclude: inProgress("Sources/TourniquetCore/Ingest", keep: ["ParsedRequest.swift", "Timestamps.swift"]).map { "Ingest/" + $0 }
        ),
        .target(name: "TourniquetStore", dependencies: ["TourniquetCore", "CSQLite"]),
        .target(name: "TourniquetEngine", dependencies: ["TourniquetCore", "TourniquetStore"]),
        .target(name: "TourniquetTerminal", dependencies: ["CNCurses"]),
        .executableTarget(
            name: "tourniquet",
            dependencies: [
                "TourniquetCore", "TourniquetStore", "TourniquetEngine", "TourniquetTerminal",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "tourniquet-bench", dependencies: ["TourniquetCore", "TourniquetStore", "TourniquetEngine"]),
        .target(name: "TourniquetTestSupport", path: "Tests/Support"),
        .testTarget(name: "TourniquetCoreTests", dependencies: ["TourniquetCore", "TourniquetTestSupport"],
                    exclude: inProgress("Tests/TourniquetCoreTests", keep: ["ActionChainTests.swift", "UTCTimeTests.swift", "DetailTests.swift", "DisplayTextTests.swift", "TimelineTextTests.swift", "ActorResolutionTests.swift"])),
        .testTarget(name: "TourniquetStoreTests", dependencies: ["TourniquetStore", "TourniquetCore", "TourniquetTestSupport"]),
        .testTarget(
            name: "TourniquetCLITests",
            dependencies: ["tourniquet", "tourniquet-bench", "TourniquetEngine", "TourniquetStore", "TourniquetCore", "TourniquetTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
