import Foundation
import TourniquetModel
import XCTest

@testable import TourniquetConsole

/// Every screen rendered as text at 80x24 and 200x50 and compared with the committed snapshot.
/// Set SNAPSHOT_RECORD=1 to rewrite them after an intended change (and read the diff).
final class ScreenSnapshotTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    private func assertSnapshot(_ name: String, _ state: ConsoleState, file: StaticString = #filePath, line: UInt = #line) {
        for (rows, columns) in [(24, 80), (50, 200)] {
            let grid = ConsoleRenderer.render(state, ConsoleFixture.data, rows: rows, columns: columns)
            let text = grid.text + "\n"
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(name): raw control text")
            for row in text.split(separator: "\n", omittingEmptySubsequences: false) {
                XCTAssertLessThanOrEqual(DisplayWidth.of(String(row)), columns, "\(name) \(columns)x\(rows): a line is wider than the screen")
            }
            let url = Self.directory.appendingPathComponent("\(name)-\(columns)x\(rows).txt")
            let recorded = try? String(contentsOf: url, encoding: .utf8)
            if ProcessInfo.processInfo.environment["SNAPSHOT_RECORD"] == "1"
                || (recorded == nil && ProcessInfo.processInfo.environment["CI"] != "true")
            {
                try? FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
                try? text.write(to: url, atomically: true, encoding: .utf8)
                if recorded == nil { XCTFail("recorded a new snapshot \(url.lastPathComponent); check it and run again", file: file, line: line) }
                continue
            }
            XCTAssertEqual(text, recorded, "\(name) \(columns)x\(rows) differs from \(url.lastPathComponent)", file: file, line: line)
        }
    }

    private func state(screen: Int, _ change: (inout ConsoleState) -> Void = { _ in }) -> ConsoleState {
        var s = ConsoleState()
        s.screen = screen
        s.nowMs = ConsoleFixture.t0 + 42 * 60_000
        s.status = "ready: ? shows every key"
        change(&s)
        return s
    }

    func testOverview() { assertSnapshot("overview", state(screen: 0)) }
    func testEvidence() { assertSnapshot("evidence", state(screen: 1) { $0.selection[1] = 1 }) }
    func testScope() { assertSnapshot("scope", state(screen: 2) { $0.selection[2] = 3 }) }
    func testTimeline() { assertSnapshot("timeline", state(screen: 3)) }
    func testContainment() { assertSnapshot("containment", state(screen: 4) { $0.selection[4] = 1 }) }
    func testRespond() { assertSnapshot("respond", state(screen: 5)) }
    func testRespondNotStarted() { assertSnapshot("respond-not-started", state(screen: 5) { $0.selection[5] = 1 }) }
    func testNotifications() { assertSnapshot("notifications", state(screen: 6) { $0.selection[6] = 1 }) }
    func testReview() { assertSnapshot("review", state(screen: 7)) }
    func testReviewAnswered() { assertSnapshot("review-answered", state(screen: 7) { $0.selection[7] = 3 }) }
    func testContainmentPreview() {
        assertSnapshot(
            "prompt-containment",
            state(screen: 2) {
                $0.mode = .prompt(
                    .init(
                        purpose: .containmentReason(.blockAddress(network: CIDR("198.51.100.7")!, expiresAtMs: nil), refusals: ["shared"]),
                        label: "block 198.51.100.7/32: stops 9,120 requests in the evidence, 12 of them attackers', 9,108 others' (214 identities). "
                            + "REFUSED by the guards: it served 214 other identities, a shared address such as an office NAT. "
                            + "To go ahead anyway, give your reason for overriding them"))
            })
    }
    func testScopeSubjects() {
        assertSnapshot(
            "scope-subjects",
            state(screen: 2) {
                $0.scopeShowsSubjects = true
                $0.selection[2] = 4
            })
    }

    func testFindingDetail() {
        assertSnapshot(
            "scope-detail",
            state(screen: 2) {
                $0.scopeShowsDetail = true
                $0.selection[2] = 1
            })
    }

    func testDrillDownFiltered() {
        assertSnapshot(
            "scope-drilldown",
            state(screen: 2) {
                $0.drillDown = .init(
                    title: "bola-enumeration", subject: .init(kind: .client, value: "mallory"), lines: ConsoleFixture.drillLines, filter: "404",
                    loading: false,
                    page: RequestLinesPage(lines: ConsoleFixture.drillLines, first: 5_000, matching: 139_586, total: 139_586))
            })
    }

    func testHelpAndPromptAndProgress() {
        assertSnapshot("help-scope", state(screen: 2) { $0.mode = .help })
        assertSnapshot(
            "prompt-rationale",
            state(screen: 2) {
                $0.mode = .prompt(
                    .init(purpose: .confirmRationale(findingID: "F-4d3b115ced"), label: "confirm F-4d3b115ced because", text: "walked ids\u{1B}"))
            })
        assertSnapshot("progress-ingest", state(screen: 1) { $0.busy = ("ingesting /var/log/api.log.gz", 0.42) })
    }

    /// Tiny and odd sizes: the grid is exactly the terminal's size, no line overflows it, and
    /// anything roomy enough to draw in draws something.
    func testTinyTerminalsStayInsideTheScreen() {
        for (rows, columns) in [(1, 1), (3, 10), (24, 80), (5, 300)] {
            for screen in ScreenRegistry.screens.indices {
                let grid = ConsoleRenderer.render(state(screen: screen), ConsoleFixture.data, rows: rows, columns: columns)
                XCTAssertEqual(grid.rows, rows)
                XCTAssertEqual(grid.columns, columns)
                let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false)
                XCTAssertLessThanOrEqual(lines.count, rows + 1, "\(rows)x\(columns): more lines than rows")
                for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), columns, "\(rows)x\(columns): a line overflows") }
                if rows >= 3 && columns >= 10 {
                    XCTAssertFalse(grid.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(rows)x\(columns) screen \(screen) is blank")
                }
            }
        }
    }
}
