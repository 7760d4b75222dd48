import Foundation
import TourniquetTestSupport
import XCTest

/// The commands a responder runs first, end to end through the real binary.
final class CaseLifecycleTests: XCTestCase {
    func testNewNoteTimelineVerify() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("incident.case")
        let created = try ProcessRunner.tourniquet(
            "new", path, "--title", "Partner API scraping", "--severity", "critical",
            "--detected-at", "2026-11-29T09:30:00+01:00", "--actor", "alice")
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("detected at 2026-11-29T08:30:00.000Z, severity critical"), created.stdout)

        let note = try ProcessRunner.tourniquet("note", path, "Blocked nothing yet; watching 203.0.113.9", environment: ["TOURNIQUET_ACTOR": "bob"])
        XCTAssertEqual(note.status, 0, note.stderr)
        XCTAssertTrue(note.stdout.hasPrefix("recorded action #2 at "), note.stdout)
        let correction = try ProcessRunner.tourniquet("note", path, "It was 203.0.113.19", "--corrects", "2", "--actor", "bob")
        XCTAssertEqual(correction.status, 0, correction.stderr)
        let refused = try ProcessRunner.tourniquet("note", path, "x", "--corrects", "42")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("no action #42"), refused.stderr)

        let timeline = try ProcessRunner.tourniquet("timeline", path)
        XCTAssertEqual(timeline.status, 0, timeline.stderr)
        let rows = timeline.stdout.split(separator: "\n").filter { $0.contains("2026-") && $0.contains("Z  ") }
        XCTAssertEqual(rows.count, 3, timeline.stdout)
        XCTAssertTrue(rows[0].contains("alice") && rows[0].contains("case.created") && rows[0].contains("severity=critical"))
        XCTAssertTrue(rows[1].contains("bob") && rows[1].contains("note") && rows[1].contains("watching 203.0.113.9"))
        XCTAssertTrue(rows[2].contains("correction") && rows[2].contains("(corrects #2) It was 203.0.113.19"))

        let verify = try ProcessRunner.tourniquet("verify", path)
        XCTAssertEqual(verify.status, 0, verify.stdout)
        XCTAssertTrue(verify.stdout.contains("intact: 3 actions"), verify.stdout)
        let head = try XCTUnwrap(verify.stdout.split(separator: "\n").first { $0.hasPrefix("head ") }).dropFirst(5)
        XCTAssertEqual(head.count, 64)
        XCTAssertEqual(try ProcessRunner.tourniquet("verify", path, "--expect-head", String(head)).status, 0)
        XCTAssertEqual(try ProcessRunner.tourniquet("verify", path, "--expect-head", String(repeating: "a", count: 64)).status, 1)
    }

    func testVerifyNamesTheFirstBadRowAfterTampering() throws {
        let sqlite = TestPaths.which("sqlite3")
        try TestPaths.require(sqlite != nil, "the sqlite3 shell")
        let dir = TemporaryDirectory()
        let path = dir.file("incident.case")
        XCTAssertEqual(try ProcessRunner.tourniquet("new", path, "--title", "t").status, 0)
        for i in 1...4 { XCTAssertEqual(try ProcessRunner.tourniquet("note", path, "note \(i)").status, 0) }
        try ProcessRunner.run(sqlite!, [path, "DROP TRIGGER actions_no_update; UPDATE actions SET rationale = 'nothing happened' WHERE id = 3;"])
        let verify = try ProcessRunner.tourniquet("verify", path)
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stdout.contains("first bad row: 3"), verify.stdout)
    }

    func testDemoBuildsACaseAndPrintsItsTimeline() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("demo.case")
        let demo = try ProcessRunner.tourniquet("demo", "--case", path)
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains("case.created"), demo.stdout)
        XCTAssertEqual(try ProcessRunner.tourniquet("verify", path).status, 0)
    }

    func testHostileNoteNeverReachesTheTerminalRaw() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("incident.case")
        XCTAssertEqual(try ProcessRunner.tourniquet("new", path, "--title", "t\u{1b}]0;pwned\u{7}").status, 0)
        XCTAssertEqual(try ProcessRunner.tourniquet("note", path, "line1\nline2\r\u{1b}[2J\u{202E}x\u{9B}").status, 0)
        let timeline = try ProcessRunner.tourniquet("timeline", path)
        XCTAssertFalse(timeline.stdout.unicodeScalars.contains { [0x1B, 0x07, 0x0D, 0x202E, 0x9B].contains($0.value) })
        XCTAssertTrue(timeline.stdout.contains(#"line1\nline2\r\x1b[2J\u{202E}x\u{9B}"#), timeline.stdout)
    }
}
