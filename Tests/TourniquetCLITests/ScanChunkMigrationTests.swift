import Foundation
import TourniquetModel
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// Scope reads the requests packed at ingest. A case written before they existed gets them built
/// when it is opened for writing, and a damaged chunk is reported, never read past.
final class ScanChunkMigrationTests: XCTestCase {
    private func simulatedCase() throws -> (fixture: IngestFixture, incident: String) {
        let fixture = try IngestFixture()
        let incident = fixture.directory.file("incident")
        let simulated = try ProcessRunner.tourniquet("simulate", incident, "--seed", "5", "--lines", "30000")
        XCTAssertEqual(simulated.status, 0, simulated.stderr)
        let ingested = try fixture.ingest(incident + "/access.log", "--openapi", incident + "/openapi.yaml")
        XCTAssertEqual(ingested.status, 0, ingested.stderr)
        return (fixture, incident)
    }

    private func scope(_ fixture: IngestFixture) throws -> [String: Any] {
        let result = try ProcessRunner.tourniquet("scope", fixture.casePath, "--json")
        XCTAssertEqual(result.status, 0, result.stderr)
        var report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        // Finding states and ids are compared separately; everything else must be identical.
        report["findings"] = (report["findings"] as? [[String: Any]])?.map { $0.filter { $0.key != "state" } }
        return report
    }

    func testAnOlderCaseGetsItsChunksBuiltAndScopesTheSame() throws {
        let (fixture, _) = try simulatedCase()
        let before = try scope(fixture)
        let db = try SQLiteDatabase(path: fixture.casePath, mode: .readWrite)
        let chunks = try db.scalarInt("SELECT count(*) FROM scan_chunks")
        XCTAssertEqual(try db.scalarInt("SELECT sum(rows) FROM scan_chunks"), try db.scalarInt("SELECT count(*) FROM requests"))

        // Make it a case from the version before the chunks (and before findings had a confidence).
        try db.execute(
            """
            DROP TABLE scan_chunks;
            ALTER TABLE findings DROP COLUMN confidence;
            ALTER TABLE findings DROP COLUMN confidence_reason;
            DELETE FROM schema_migrations WHERE version >= 4;
            PRAGMA user_version = 3;
            """)
        let after = try scope(fixture)
        XCTAssertEqual(NSDictionary(dictionary: after), NSDictionary(dictionary: before))
        XCTAssertEqual(try db.scalarInt("PRAGMA user_version"), Int64(Migrations.currentVersion))
        XCTAssertEqual(try db.scalarInt("SELECT sum(rows) FROM scan_chunks"), try db.scalarInt("SELECT count(*) FROM requests"))
        XCTAssertGreaterThanOrEqual(try db.scalarInt("SELECT count(*) FROM scan_chunks") ?? 0, chunks ?? 0)
        let migrated = try fixture.open().actions().filter { $0.kind == ActionKind.schemaMigrated.rawValue }
        XCTAssertEqual(migrated.count, 1)
        let verify = try ProcessRunner.tourniquet("verify", fixture.casePath)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testADamagedChunkStopsScopeWithOneLineAndVerifyNamesIt() throws {
        let (fixture, _) = try simulatedCase()
        let db = try SQLiteDatabase(path: fixture.casePath, mode: .readWrite)
        try db.execute("UPDATE scan_chunks SET data = substr(data, 1, 300) WHERE first_id = (SELECT max(first_id) FROM scan_chunks)")
        let result = try ProcessRunner.tourniquet("scope", fixture.casePath)
        XCTAssertEqual(result.status, 2, result.stdout)
        XCTAssertTrue(result.stderr.contains("packed requests") && result.stderr.contains("damaged"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertEqual(try fixture.open().actions().filter { $0.kind == ActionKind.scopeRun.rawValue }.count, 0, "a failed run records nothing")

        let verify = try ProcessRunner.tourniquet("verify", fixture.casePath)
        XCTAssertNotEqual(verify.status, 0)
        XCTAssertTrue((verify.stdout + verify.stderr).contains("do not decode"), verify.stdout + verify.stderr)
    }
}
