import Foundation
import TourniquetModel
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

final class CaseFileCreateTests: XCTestCase {
    func testNewCaseIsPrivateWALAndRecordsItsCreation() throws {
        let fixture = CaseFixture()
        _ = try fixture.create()
        var info = stat()
        XCTAssertEqual(stat(fixture.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)

        let db = try SQLiteDatabase(path: fixture.path, mode: .readOnly)
        XCTAssertEqual(try db.scalarText("PRAGMA journal_mode"), "wal")
        XCTAssertEqual(try db.scalarInt("PRAGMA application_id"), Int64(Migrations.applicationID))
        XCTAssertEqual(try db.scalarInt("PRAGMA user_version"), Int64(Migrations.currentVersion))
        XCTAssertEqual(try db.scalarText("SELECT name FROM schema_migrations WHERE version = 1"), "0001-initial-case-schema")
        for table in ["case_info", "actions", "evidence", "requests", "dict", "findings", "scope_runs", "gateway_state", "checklist_items"] {
            XCTAssertEqual(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '\(table)'"), 1, table)
        }

        let reopened = try CaseFile.openReadOnly(at: fixture.path)
        XCTAssertEqual(reopened.metadata.title, "Credential stuffing on /login")
        XCTAssertEqual(reopened.metadata.severity, .high)
        let actions = try reopened.actions()
        XCTAssertEqual(actions.map(\.kind), ["case.created"])
        XCTAssertEqual(actions[0].actor, "alice")
        XCTAssertEqual(actions[0].at, "2025-11-29T12:00:01.000Z", "the migration took the clock's first reading")
        XCTAssertEqual(actions[0].prevHash, ActionChain.genesisHash(caseID: "case-fixture-1"))
    }

    func testACaseIsNeverOverwritten() throws {
        let fixture = CaseFixture()
        _ = try fixture.create()
        XCTAssertThrowsError(try fixture.create()) { error in
            XCTAssertEqual(error as? CaseFileError, .alreadyExists(fixture.path))
        }
        XCTAssertEqual(try CaseFile.openReadOnly(at: fixture.path).actionCount(), 1)
    }

    func testActionTimesAreRFC3339UTCWithMilliseconds() throws {
        let fixture = CaseFixture()
        let file = try fixture.create(notes: 2)
        for action in try file.actions() {
            XCTAssertNotNil(action.at.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression), action.at)
        }
    }
}
