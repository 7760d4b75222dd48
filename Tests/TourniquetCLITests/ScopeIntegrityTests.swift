import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// `scope` reads while the writer's integrity check runs beside it; a case that fails the check
/// gets the check's one-line refusal and no recorded run.
final class ScopeIntegrityTests: XCTestCase {
    func testACaseFailingItsIntegrityCheckIsNotScoped() throws {
        let log = TestPaths.fixtures.appendingPathComponent("detections/crowdsec-http-technology-probing/http-technology-probing.log").path
        try TestPaths.require(FileManager.default.fileExists(atPath: log), "fixture CrowdSec technology case")
        let fixture = try IngestFixture()
        XCTAssertEqual(try fixture.ingest(log).status, 0)
        XCTAssertEqual(try ProcessRunner.tourniquet("scope", fixture.casePath).status, 0)

        // A value its CHECK constraint forbids: every read still works, the integrity check does not.
        let shell = try XCTUnwrap(TestPaths.which("sqlite3"), "the sqlite3 shell")
        let broken = try ProcessRunner.run(shell, [fixture.casePath, "PRAGMA ignore_check_constraints = ON; UPDATE case_info SET status = 'bogus';"])
        XCTAssertEqual(broken.status, 0, broken.stderr)

        let result = try ProcessRunner.tourniquet("scope", fixture.casePath)
        XCTAssertEqual(result.status, 2, result.stdout)
        XCTAssertTrue(result.stderr.contains("integrity check") && result.stderr.contains("CHECK constraint"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        let runs = try CaseFile.openReadOnly(at: fixture.casePath).actions().filter { $0.kind == "scope.run" }
        XCTAssertEqual(runs.count, 1, "only the run before the damage is recorded")
    }
}
