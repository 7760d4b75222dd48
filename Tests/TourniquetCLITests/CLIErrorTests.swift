import Foundation
import TourniquetTestSupport
import XCTest

/// Bad paths and non-case files give one clear line and exit code 2, never a trace.
final class CLIErrorTests: XCTestCase {
    func testBadPathsGiveOneLineAndExitTwo() throws {
        let dir = TemporaryDirectory()
        FileManager.default.createFile(atPath: dir.file("empty.case"), contents: Data())
        FileManager.default.createFile(
            atPath: dir.file("random.case"), contents: Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }))
        try ProcessRunner.run("/bin/sh", ["-c", "printf 'not a database\\n' > '\(dir.file("text.case"))'"])
        _ = try? ProcessRunner.run(TestPaths.which("sqlite3") ?? "/usr/bin/sqlite3", [dir.file("other.db"), "CREATE TABLE t (x)"])
        let cases: [(String, String)] =
            [
                (dir.file("missing.case"), "no such case file"),
                (dir.path, "is a directory"),
                (dir.file("empty.case"), "is an empty file"),
                (dir.file("random.case"), "not an SQLite database"),
                (dir.file("text.case"), "not an SQLite database"),
            ] + (FileManager.default.fileExists(atPath: dir.file("other.db")) ? [(dir.file("other.db"), "not a Tourniquet case file")] : [])
        for (path, expected) in cases {
            for arguments in [["timeline", path], ["verify", path], ["note", path, "hello"]] {
                let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments)
                XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
                XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "\(arguments): exactly one line, got \(result.stderr)")
                XCTAssertTrue(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Stack dump"), result.stderr)
                XCTAssertEqual(result.stdout, "")
            }
        }
    }

    func testUsageErrorsAreNotCaseErrors() throws {
        let result = try ProcessRunner.tourniquet("new", "/tmp/x.case")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--title"), result.stderr)
        let badTime = try ProcessRunner.tourniquet("new", "/tmp/never.case", "--title", "x", "--detected-at", "yesterday")
        XCTAssertNotEqual(badTime.status, 0)
        XCTAssertTrue(badTime.stderr.contains("RFC 3339"), badTime.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/never.case"))
    }
}
