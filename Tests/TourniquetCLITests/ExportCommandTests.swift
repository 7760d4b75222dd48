import Foundation
import TourniquetTestSupport
import XCTest

/// `tourniquet export` from the command line: it never overwrites a file unless told, never
/// writes over the case's own files, records each export with the SHA-256 of what it wrote, and
/// prints to standard output when there is no file.
final class ExportCommandTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-export-cli")
    private var casePath: String { dir.file("case.tq") }

    override func setUpWithError() throws {
        let created = try ProcessRunner.tourniquet("new", casePath, "--title", "Export checks", "--actor", "alice")
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertEqual(try ProcessRunner.tourniquet("note", casePath, "first note", "--actor", "alice").status, 0)
    }

    private func exports() throws -> [[String: Any]] {
        let result = try ProcessRunner.tourniquet("timeline", casePath, "--json")
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["document"] as? String, "tourniquet.timeline")
        return (document["actions"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "case.exported" }
    }

    func testAnExportIsRecordedWithTheHashOfWhatItWrote() throws {
        let out = dir.file("report.md")
        let result = try ProcessRunner.tourniquet("export", casePath, "-o", out, "--actor", "bob", "--reason", "for counsel")
        XCTAssertEqual(result.status, 0, result.stderr)
        let written = try Data(contentsOf: URL(fileURLWithPath: out))
        XCTAssertTrue(String(decoding: written, as: UTF8.self).hasPrefix("# Incident report: ` Export checks `"), "the format comes from .md")
        let recorded = try XCTUnwrap(try exports().first)
        let details = try XCTUnwrap(recorded["details"] as? [String: Any])
        XCTAssertEqual(details["format"] as? String, "md")
        XCTAssertEqual(details["path"] as? String, out)
        XCTAssertEqual(details["bytes"] as? Int, written.count)
        let sha = try ProcessRunner.run(try XCTUnwrap(TestPaths.which("sha256sum")), [out]).stdout.prefix(64)
        XCTAssertEqual(details["sha256"] as? String, String(sha))
        XCTAssertEqual(recorded["actor"] as? String, "bob")
        XCTAssertEqual(recorded["rationale"] as? String, "for counsel")
        let verify = try ProcessRunner.tourniquet("verify", casePath)
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertEqual(details["covers_actions"] as? Int, 2, "the export covers the actions before it")
        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o077, 0, "a report names attackers and accounts: readable by its owner only")
    }

    func testAnExistingFileIsRefusedUnlessForced() throws {
        let out = dir.file("timeline.csv")
        try "keep me\n".write(toFile: out, atomically: true, encoding: .utf8)
        let refused = try ProcessRunner.tourniquet("export", casePath, "--format", "csv", "-o", out)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("exists; give --force to overwrite it"), refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me\n")
        XCTAssertEqual(try exports().count, 0, "a refused export records nothing")
        let forced = try ProcessRunner.tourniquet("export", casePath, "--format", "csv", "-o", out, "--force")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("time,source,kind,"))
    }

    func testTheCaseFileAndItsWALAreNeverWrittenOver() throws {
        for target in [casePath, casePath + "-wal"] {
            FileManager.default.createFile(atPath: casePath + "-wal", contents: nil)
            let refused = try ProcessRunner.tourniquet("export", casePath, "--format", "json", "-o", target, "--force")
            XCTAssertEqual(refused.status, 1, target)
            XCTAssertTrue(refused.stderr.contains("one of the case's own files"), refused.stderr)
        }
        XCTAssertEqual(try ProcessRunner.tourniquet("verify", casePath).status, 0)
    }

    func testStandardOutputAndTheWindow() throws {
        let whole = try ProcessRunner.tourniquet("export", casePath, "--format", "json")
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["document"] as? String, "tourniquet.case-export")
        XCTAssertEqual((document["events"] as? [Any])?.count, 2)
        XCTAssertEqual(try exports().count, 1, "an export to standard output is recorded too")
        let future = try ProcessRunner.tourniquet("export", casePath, "--format", "csv", "--since", "2999-01-01T00:00:00Z")
        XCTAssertEqual(future.stdout, "time,source,kind,action,finding,actor,target,title,content,indicators,assets,details\r\n")
        let backwards = try ProcessRunner.tourniquet(
            "export", casePath, "--format", "csv", "--since", "2026-02-01T00:00:00Z", "--until", "2026-01-01T00:00:00Z")
        XCTAssertEqual(backwards.status, 1)
        XCTAssertTrue(backwards.stderr.contains("--since is after --until"), backwards.stderr)
        let unknown = try ProcessRunner.tourniquet("export", casePath, "--format", "pdf")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("'pdf' is not an export format"), unknown.stderr)
        let unnamed = try ProcessRunner.tourniquet("export", casePath, "-o", dir.file("report.txt"))
        XCTAssertNotEqual(unnamed.status, 0)
        XCTAssertTrue(unnamed.stderr.contains("give --format"), unnamed.stderr)
    }

    func testFindingListJSONFollowsTheSchema() throws {
        let result = try ProcessRunner.tourniquet("finding", "list", casePath, "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["document"] as? String, "tourniquet.findings")
        XCTAssertEqual(document["version"] as? Int, 1)
        XCTAssertEqual((document["findings"] as? [Any])?.count, 0)
    }
}
