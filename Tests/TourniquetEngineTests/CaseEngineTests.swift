import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetStore
import TourniquetTestSupport
import XCTest

/// The engine in process, without the binary: a test clock and test ids make every time, id and
/// hash of a run the same each time.
final class CaseEngineTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var engine: CaseEngine!

    override func setUpWithError() throws {
        directory = TemporaryDirectory("tourniquet-engine")
        let context = CommandContext(actor: "alice", clock: .test())
        engine = try CaseEngine.createCase(
            at: directory.file("e.case"), title: "engine test", severity: .high, detectedAtMs: nil, isDrill: false,
            context: context, ids: .test())
    }

    override func tearDown() {
        engine = nil
        directory = nil
    }

    func testNotesAndCorrectionsFollowTheClockAndChain() throws {
        let note = try engine.execute(.note(text: "paged by the 401 alert", corrects: nil))
        let correction = try engine.execute(.note(text: "it was the 403 alert", corrects: note.id))
        XCTAssertEqual(note.id, 2)
        XCTAssertEqual(correction.kind, "correction")
        XCTAssertEqual(correction.target, "action:2")
        XCTAssertEqual(correction.prevHash, note.hash)
        XCTAssertLessThan(note.at, correction.at, "each action reads the injected clock once")
        XCTAssertThrowsError(try engine.execute(.note(text: "fixes nothing", corrects: 99))) { error in
            XCTAssertTrue("\(error)".contains("there is no action #99"), "\(error)")
        }
        XCTAssertTrue(try engine.caseFile.verify().isIntact)
    }

    func testTheSameRunGivesTheSameHashes() throws {
        let first = try engine.execute(.note(text: "one", corrects: nil))
        let other = TemporaryDirectory("tourniquet-engine")
        let again = try CaseEngine.createCase(
            at: other.file("e.case"), title: "engine test", severity: .high, detectedAtMs: nil, isDrill: false,
            context: CommandContext(actor: "alice", clock: .test()), ids: .test())
        XCTAssertEqual(try again.execute(.note(text: "one", corrects: nil)).hash, first.hash)
    }

    func testVerdictsNeedARationaleAndAFinding() throws {
        XCTAssertThrowsError(try engine.execute(.setFindingState(id: "F-0000000000", state: .new, rationale: "why")))
        XCTAssertThrowsError(try engine.execute(.setFindingState(id: "F-0000000000", state: .confirmed, rationale: "  ")))
        XCTAssertThrowsError(try engine.execute(.setFindingState(id: "F-0000000000", state: .confirmed, rationale: "seen it"))) { error in
            XCTAssertTrue("\(error)".contains("F-0000000000"), "\(error)")
        }
        XCTAssertEqual(try engine.caseFile.actions().count, 1, "a refused command records nothing")
    }

    func testAllowlistChangesAreRecordedAndReplayedByVerify() throws {
        let office = try XCTUnwrap(Allowlist.Entry.parse("198.51.100.0/24"))
        try engine.execute(.changeAllowlist(add: true, entry: office, rationale: "the office NAT"))
        XCTAssertTrue(try engine.caseFile.allowlist().allows(ip: "198.51.100.7"))
        try engine.execute(.changeAllowlist(add: false, entry: office, rationale: "moved offices"))
        XCTAssertFalse(try engine.caseFile.allowlist().allows(ip: "198.51.100.7"))
        XCTAssertEqual(try engine.caseFile.actions().filter { $0.kind == "allowlist.changed" }.count, 2)
        XCTAssertTrue(try engine.caseFile.verify().isIntact)
    }

    func testIngestInProcessThenTheSameFileIsADuplicate() throws {
        let log = directory.file("access.log")
        let lines = (0..<50).map { i in
            "203.0.113.\(i % 5) - - [29/Nov/2025:08:\(String(format: "%02d", i)):00 +0000] \"GET /v1/orders/\(1000 + i) HTTP/1.1\" 200 512 \"-\" \"curl/8\""
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        guard case .imported(let record, let action) = try engine.ingest(path: log, options: IngestOptions()) else {
            return XCTFail("the first import is not a duplicate")
        }
        XCTAssertEqual(record.parsed, 50)
        XCTAssertEqual(record.malformed, 0)
        XCTAssertEqual(record.format, "combined")
        XCTAssertEqual(action.kind, "evidence.ingested")
        guard case .duplicate(_, let existing) = try engine.ingest(path: log, options: IngestOptions()) else {
            return XCTFail("the same bytes again are a duplicate")
        }
        XCTAssertEqual(existing.id, record.id)
        XCTAssertTrue(try engine.caseFile.verify(deep: true).isIntact)
    }
}
