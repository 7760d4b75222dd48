import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetIngest
@testable import TourniquetModel
@testable import TourniquetStore

/// Evidence recorded before imports carried row digests still verifies, and says what it rests on.
final class LegacyEvidenceVerifyTests: XCTestCase {
    /// Imports two requests the way a build without row digests did: the action has no digest fields.
    private func importWithoutDigests(into file: CaseWriter, clock: WallClock) throws {
        let session = try file.beginEvidenceImport()
        var batch = RequestBatch()
        batch.newStrings = [
            NewDictEntry(id: 1, kind: .ip, value: "198.51.100.1"), NewDictEntry(id: 2, kind: .method, value: "GET"),
            NewDictEntry(id: 3, kind: .route, value: "/v1/a"),
        ]
        for i in Int64(1)...2 {
            let path = Array("/v1/a".utf8)
            let span = path.withUnsafeBufferPointer { batch.append($0) }
            batch.rows.append(
                RequestRow(
                    id: i, line: i, timestampMs: 1_795_946_400_000 + i, utcOffsetMinutes: 0, ip: 1, xff: nil, client: nil, apiKey: nil,
                    method: 2, path: span, route: 3, query: nil, status: 200, bytes: 5, latencyMicros: nil, userAgent: nil, flags: 0))
        }
        try session.write(batch)
        let record = EvidenceRecord(
            id: session.evidenceID, path: "old.log", sha256: String(repeating: "ab", count: 32), sha256Decompressed: nil, size: 100,
            format: "combined", importer: "tourniquet-ingest/1", importedAtMs: clock.nowMs(), firstMs: nil, lastMs: nil,
            linesRead: 2, parsed: 2, malformed: 0, malformedSamples: [])
        XCTAssertNil(record.rowDigests)
        _ = try session.finish(record, importer: "tourniquet-ingest/1", actor: "alice", clock: clock)
    }

    func testEvidenceWithoutADigestIsReportedNotFailed() throws {
        let fixture = CaseFixture()
        let file = try fixture.create()
        try importWithoutDigests(into: file, clock: fixture.clock)
        XCTAssertFalse(try file.actions().last!.details.contains("requests_sha256"))

        let report = try CaseFile.openReadOnly(at: fixture.path).verify(deep: true)
        // The packed scope chunks were not written by this old-style import; only they may complain.
        XCTAssertEqual(report.problems.filter { !$0.contains("packed requests") }, [])
        XCTAssertEqual(
            report.uncovered,
            [
                "evidence 1: not covered by a row digest (imported before row digests were recorded); its requests were counted only"
            ])
        XCTAssertEqual(report.requestsRehashed, 0)

        // Counting still catches a removed request.
        try fixture.sqliteShell("DELETE FROM requests WHERE id = 2")
        let tampered = try CaseFile.openReadOnly(at: fixture.path).verify()
        XCTAssertTrue(tampered.problems.contains("evidence 1: 1 requests are stored, but action 2 recorded 2 parsed"), "\(tampered.problems)")
    }

    func testACaseFromBeforeTheAllowlistVerifiesReadOnly() throws {
        let fixture = CaseFixture()
        _ = try fixture.create(notes: 2)
        // As a version-2 case looks until it is next opened for writing and migrated.
        try fixture.sqliteShell("DROP TABLE scan_chunks; DROP TABLE allowlist; PRAGMA user_version = 2")
        let report = try CaseFile.openReadOnly(at: fixture.path).verify(deep: true)
        XCTAssertEqual(report.problems, [])
        XCTAssertEqual(report.actions, 3)
    }
}
