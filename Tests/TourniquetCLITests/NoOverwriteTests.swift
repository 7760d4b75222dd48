import Foundation
import TourniquetTestSupport
import XCTest

/// Nothing a responder already has is overwritten without --force, and a refusal writes nothing.
final class NoOverwriteTests: XCTestCase {
    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func testSimulateRefusesExistingFilesUnlessForced() throws {
        let dir = TemporaryDirectory()
        FileManager.default.createFile(atPath: dir.file("truth.json"), contents: Data("my notes\n".utf8))
        let refused = try ProcessRunner.tourniquet("simulate", dir.path, "--lines", "1000")
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(
            refused.stderr,
            "tourniquet: \(dir.file("truth.json")): already exists; nothing was written (give --force to overwrite the simulated files)\n")
        XCTAssertEqual(contents(dir.file("truth.json")), "my notes\n")
        for name in ["access.log", "openapi.yaml", "kong.yaml"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file(name)), "\(name) written before the refusal")
        }

        // A dangling link is refused too: writing through it would create a file elsewhere.
        let linked = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: linked.file("access.log"), withDestinationPath: dir.file("elsewhere.log"))
        XCTAssertEqual(try ProcessRunner.tourniquet("simulate", linked.path, "--lines", "1000").status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("elsewhere.log")))

        let forced = try ProcessRunner.tourniquet("simulate", dir.path, "--lines", "1000", "--force")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(contents(dir.file("truth.json"))?.contains("\"attackers\"") ?? false)
        XCTAssertGreaterThan(contents(dir.file("access.log"))?.split(separator: "\n").count ?? 0, 900)

        // Without --force a second run into the same folder is refused and changes nothing.
        let before = contents(dir.file("access.log"))
        XCTAssertEqual(try ProcessRunner.tourniquet("simulate", dir.path, "--lines", "2000", "--seed", "9").status, 1)
        XCTAssertEqual(contents(dir.file("access.log")), before)
    }

    func testDemoRefusesAnExistingCaseBeforeWritingItsFiles() throws {
        let dir = TemporaryDirectory()
        let existing = dir.file("r.case")
        XCTAssertEqual(try ProcessRunner.tourniquet("new", existing, "--title", "real incident").status, 0)
        let caseBytes = FileManager.default.contents(atPath: existing)
        let refused = try ProcessRunner.tourniquet("demo", "--case", existing, "--no-console")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(existing): already exists"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: existing + ".incident"), "the incident folder was written anyway")
        XCTAssertEqual(FileManager.default.contents(atPath: existing), caseBytes)

        // A new case whose incident folder already has files: refused, and no case is created.
        let fresh = dir.file("d.case")
        try FileManager.default.createDirectory(atPath: fresh + ".incident", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: fresh + ".incident/access.log", contents: Data("keep me\n".utf8))
        let folderRefused = try ProcessRunner.tourniquet("demo", "--case", fresh, "--no-console")
        XCTAssertEqual(folderRefused.status, 1, folderRefused.stderr)
        XCTAssertTrue(folderRefused.stderr.contains("access.log: already exists"), folderRefused.stderr)
        XCTAssertEqual(contents(fresh + ".incident/access.log"), "keep me\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
    }
}
