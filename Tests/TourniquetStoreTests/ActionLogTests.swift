import Foundation
import TourniquetModel
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

final class ActionLogTests: XCTestCase {
    func testTriggersRejectUpdateAndDelete() throws {
        let fixture = CaseFixture()
        _ = try fixture.create(notes: 3)
        XCTAssertThrowsError(try fixture.raw("UPDATE actions SET rationale = 'x' WHERE id = 2")) { error in
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        XCTAssertThrowsError(try fixture.raw("DELETE FROM actions WHERE id = 2"))
        XCTAssertTrue(try CaseFile.openReadOnly(at: fixture.path).verify().isIntact)
    }

    func testACorrectionIsANewRowReferencingTheOld() throws {
        let fixture = CaseFixture()
        let file = try fixture.create(notes: 1)
        let correction = try file.record(
            ActionDraft(kind: .correction, target: "action:2", rationale: "the IP was 10.0.0.8", corrects: 2), actor: "bob", clock: fixture.clock)
        XCTAssertEqual(correction.id, 3)
        XCTAssertEqual(try file.actions().map(\.corrects), [nil, nil, 2])
        XCTAssertThrowsError(try file.record(ActionDraft(kind: .correction, target: "x", corrects: 9), actor: "bob", clock: fixture.clock)) { error in
            XCTAssertTrue(error is RefusedRequest)
        }
        XCTAssertEqual(try file.actionCount(), 3, "a refused correction records nothing")
    }

    func testVerifyReportsTheHeadOfAnIntactLog() throws {
        let fixture = CaseFixture()
        let file = try fixture.create(notes: 4)
        let report = try file.verify()
        XCTAssertTrue(report.isIntact, "\(report.problems)")
        XCTAssertEqual(report.actions, 5)
        XCTAssertEqual(report.headHash, try file.actions().last?.hash)
        XCTAssertFalse(try file.verify(expectedHead: String(repeating: "0", count: 64)).isIntact)
    }

    private func verifyAfter(_ tamper: (CaseFixture) throws -> Void) throws -> VerifyReport {
        let fixture = CaseFixture()
        _ = try fixture.create(notes: 6)
        try tamper(fixture)
        return try CaseFile.openReadOnly(at: fixture.path).verify()
    }

    private let dropTriggers = "DROP TRIGGER actions_no_update; DROP TRIGGER actions_no_delete;"

    func testEditIsCaughtAtTheEditedRow() throws {
        let report = try verifyAfter { try $0.sqliteShell(dropTriggers + "UPDATE actions SET rationale = 'all clear' WHERE id = 4;") }
        XCTAssertFalse(report.isIntact)
        XCTAssertEqual(report.firstBadRow, 4)
    }

    func testEditOfActorOrTimeIsCaught() throws {
        let report = try verifyAfter {
            try $0.sqliteShell(dropTriggers + "UPDATE actions SET actor = 'mallory', at = '2020-01-01T00:00:00.000Z' WHERE id = 3;")
        }
        XCTAssertEqual(report.firstBadRow, 3)
    }

    func testDeleteIsCaught() throws {
        let report = try verifyAfter { try $0.sqliteShell(dropTriggers + "DELETE FROM actions WHERE id = 5;") }
        XCTAssertEqual(report.firstBadRow, 6)
    }

    func testDeleteWithRenumberingIsCaught() throws {
        let report = try verifyAfter {
            try $0.sqliteShell(dropTriggers + "DELETE FROM actions WHERE id = 3; UPDATE actions SET id = id - 1 WHERE id > 3;")
        }
        XCTAssertEqual(report.firstBadRow, 3)
    }

    func testInsertIsCaught() throws {
        let report = try verifyAfter {
            try $0.sqliteShell(
                dropTriggers + """
                    UPDATE actions SET id = id + 1000 WHERE id >= 4; UPDATE actions SET id = id - 999 WHERE id >= 1000;
                    INSERT INTO actions (id, at, actor, kind, target, details, rationale, corrects, prev_hash, hash)
                    SELECT 4, at, actor, 'note', 'case', '{}', 'planted alibi', NULL, hash, hash FROM actions WHERE id = 3;
                    """)
        }
        XCTAssertEqual(report.firstBadRow, 4)
    }

    func testAppendedForgeryIsCaughtByTheHash() throws {
        let report = try verifyAfter {
            try $0.sqliteShell(
                """
                INSERT INTO actions (id, at, actor, kind, target, details, rationale, corrects, prev_hash, hash)
                SELECT 8, at, 'mallory', 'note', 'case', '{}', 'nothing to see', NULL, hash, hash FROM actions WHERE id = 7;
                """)
        }
        XCTAssertEqual(report.firstBadRow, 8)
    }

    func testReorderIsCaught() throws {
        let report = try verifyAfter {
            try $0.sqliteShell(
                dropTriggers
                    + "UPDATE actions SET id = -3 WHERE id = 3; UPDATE actions SET id = 3 WHERE id = 5; UPDATE actions SET id = 5 WHERE id = -3;")
        }
        XCTAssertEqual(report.firstBadRow, 3)
    }

    func testEditedCaseHeaderIsCaught() throws {
        let report = try verifyAfter { try $0.sqliteShell("UPDATE case_info SET severity = 'low';") }
        XCTAssertFalse(report.isIntact)
        XCTAssertNil(report.firstBadRow)
        XCTAssertTrue(report.problems.joined().contains("case header"))
    }

    func testCaseIDSwapBreaksTheGenesisLink() throws {
        let report = try verifyAfter { try $0.sqliteShell("UPDATE case_info SET case_id = 'another-case';") }
        XCTAssertEqual(report.firstBadRow, 1)
    }
}
