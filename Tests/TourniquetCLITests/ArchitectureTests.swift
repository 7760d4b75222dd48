import Foundation
import TourniquetTestSupport
import XCTest

/// The one-way dependency rules of docs/ARCHITECTURE.md, checked against the package itself
/// (`swift package describe --type json`), so a new arrow that breaks them fails here.
final class ArchitectureTests: XCTestCase {
    /// Each target of ours and the only targets and products it may depend on.
    private static let allowed: [String: Set<String>] = [
        "TourniquetModel": ["Crypto"],
        "TourniquetIngest": ["TourniquetModel", "Crypto"],
        "TourniquetDetection": ["TourniquetModel", "TourniquetIngest"],
        "TourniquetSimulation": ["TourniquetModel", "TourniquetIngest", "TourniquetDetection"],
        "TourniquetStore": ["TourniquetModel", "TourniquetIngest", "TourniquetDetection", "CSQLite"],
        "TourniquetContainment": ["TourniquetModel"],
        "TourniquetResponse": ["TourniquetModel", "TourniquetDetection", "Yams"],
        "TourniquetExport": ["TourniquetModel", "TourniquetDetection"],
        "TourniquetReview": ["TourniquetModel", "TourniquetDetection", "TourniquetContainment"],
        "TourniquetEngine": [
            "TourniquetModel", "TourniquetIngest", "TourniquetDetection", "TourniquetSimulation", "TourniquetStore", "TourniquetContainment",
            "TourniquetResponse", "TourniquetExport", "TourniquetReview", "CZlib", "CMaxMindDB", "Crypto", "Yams",
        ],
        "TourniquetConsole": ["TourniquetModel"],
        "TourniquetTerminal": ["TourniquetConsole", "CNCurses"],
        "TourniquetConsoleRuntime": [
            "TourniquetModel", "TourniquetIngest", "TourniquetDetection", "TourniquetStore", "TourniquetEngine", "TourniquetConsole",
            "TourniquetTerminal", "TourniquetResponse",
        ],
    ]

    private func describe() throws -> [String: Set<String>] {
        let swift = try XCTUnwrap(TestPaths.which("swift"), "the swift toolchain on PATH")
        // `swift test` holds the build folder's lock while this runs; describing only reads the manifest.
        let result = try ProcessRunner.run(
            swift, ["package", "--package-path", TestPaths.repoRoot.path, "--ignore-lock", "describe", "--type", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        // Resolution notes may precede the JSON document.
        let json = String(result.stdout.drop { $0 != "{" })
        let package = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let targets = try XCTUnwrap(package["targets"] as? [[String: Any]])
        var graph: [String: Set<String>] = [:]
        for target in targets {
            guard let name = target["name"] as? String else { continue }
            let dependencies = (target["target_dependencies"] as? [String] ?? []) + (target["product_dependencies"] as? [String] ?? [])
            graph[name] = Set(dependencies)
        }
        return graph
    }

    func testEveryTargetKeepsToItsAllowedDependencies() throws {
        let graph = try describe()
        for (target, allowed) in ArchitectureTests.allowed {
            let actual = try XCTUnwrap(graph[target], "\(target) is missing from the package")
            XCTAssertTrue(
                actual.isSubset(of: allowed), "\(target) depends on \(actual.subtracting(allowed).sorted()), which the architecture forbids")
        }
        let ours = graph.keys.filter { $0.hasPrefix("Tourniquet") && !$0.hasSuffix("Tests") && $0 != "TourniquetTestSupport" }
        XCTAssertEqual(Set(ours), Set(ArchitectureTests.allowed.keys), "a new target needs its rules here and in docs/ARCHITECTURE.md")
    }

    func testOnlyTheStoreTouchesSQLiteAndOnlyTheTerminalNcurses() throws {
        let graph = try describe()
        for (target, dependencies) in graph {
            if dependencies.contains("CSQLite") { XCTAssertEqual(target, "TourniquetStore", "\(target) imports SQLite") }
            if dependencies.contains("CNCurses") { XCTAssertEqual(target, "TourniquetTerminal", "\(target) imports ncurses") }
        }
        XCTAssertFalse(graph["TourniquetEngine", default: []].contains("TourniquetConsole"), "the engine must not import the console")
    }

    /// Imports in the source, not only declared dependencies: a file cannot reach a module its
    /// target does not declare, but a declared one can be left unused; this catches neither, so it
    /// reads the files for imports of modules the rules forbid.
    func testSourceImportsKeepToTheRules() throws {
        let sources = TestPaths.repoRoot.appendingPathComponent("Sources")
        for (target, allowed) in ArchitectureTests.allowed {
            let folder = sources.appendingPathComponent(target)
            let files = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }.filter {
                $0.hasSuffix(".swift")
            }
            XCTAssertFalse(files.isEmpty, "\(target) has no sources")
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import Tourniquet") || line.hasPrefix("@testable import Tourniquet") {
                    let module = String(line.split(separator: " ").last ?? "")
                    XCTAssertTrue(allowed.contains(module), "\(target)/\(file) imports \(module)")
                }
            }
        }
    }

    /// Reading and writing are separate types: whatever writes (a write transaction, the chain's
    /// append, the import lock) is declared on `CaseWriter`, never on `CaseFile`, so a case opened
    /// read-only has no write method to call.
    func testOnlyTheCaseWriterWrites() throws {
        let store = TestPaths.repoRoot.appendingPathComponent("Sources/TourniquetStore/CaseFile")
        let files = try FileManager.default.contentsOfDirectory(atPath: store.path).filter { $0.hasSuffix(".swift") }
        var checked = 0
        for file in files {
            var type = ""
            for line in try String(contentsOf: store.appendingPathComponent(file), encoding: .utf8).split(separator: "\n") {
                if !line.hasPrefix(" "), let declared = line.split(separator: " ").first(where: { $0.first?.isUppercase == true }) {
                    type = String(declared.prefix { $0.isLetter || $0.isNumber })
                }
                guard type == "CaseFile" else { continue }
                checked += 1
                for write in ["writeTransaction", "appendAction(", "BEGIN IMMEDIATE", "INSERT ", "UPDATE ", "DELETE "] {
                    XCTAssertFalse(line.contains(write), "\(file): CaseFile writes (\(write)): \(line)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 100, "the check read the CaseFile declarations")
    }
}
