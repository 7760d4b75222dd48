import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// `verify` checks the whole case, not only the action log: each test tampers with one table of a
/// real case (made by the real binary) through the sqlite3 shell, as someone editing the file
/// behind the tool's back would, and expects verify to name what disagrees and exit 1.
final class VerifyCoverageTests: XCTestCase {
    /// A case with evidence, a scope run, one confirmed finding (10.0.0.2's) and an allowlist entry.
    private func workedCase() throws -> (fixture: IngestFixture, confirmed: String, untouched: String) {
        let log = TestPaths.fixtures.appendingPathComponent("detections/crowdsec-http-technology-probing/http-technology-probing.log").path
        try TestPaths.require(FileManager.default.fileExists(atPath: log), "fixture CrowdSec technology case")
        let fixture = try IngestFixture()
        XCTAssertEqual(try fixture.ingest(log).status, 0)
        let scope = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json"])
        XCTAssertEqual(scope.status, 0, scope.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scope.stdout.utf8)) as? [String: Any])
        var ids: [String: String] = [:]
        for f in report["findings"] as? [[String: Any]] ?? [] {
            ids[((f["subject"] as? [String: Any])?["value"] as? String) ?? ""] = f["id"] as? String
        }
        let confirmed = try XCTUnwrap(ids["10.0.0.2"])
        let untouched = try XCTUnwrap(ids["10.0.0.1"])
        XCTAssertEqual(try ProcessRunner.tourniquet("finding", "confirm", [fixture.casePath, confirmed, "--reason", "probe"]).status, 0)
        XCTAssertEqual(try ProcessRunner.tourniquet("allowlist", "add", [fixture.casePath, "192.0.2.7", "--reason", "our monitor"]).status, 0)
        let clean = try verify(fixture)
        XCTAssertEqual(clean.status, 0, clean.stdout)
        XCTAssertTrue(clean.stdout.hasPrefix("intact: 5 actions, 1 evidence records"), clean.stdout)
        return (fixture, confirmed, untouched)
    }

    private func verify(_ fixture: IngestFixture, _ arguments: String...) throws -> ProcessResult {
        try ProcessRunner.tourniquet("verify", fixture.casePath, arguments)
    }

    private func tamper(_ fixture: IngestFixture, _ sql: String) throws {
        let shell = TestPaths.which("sqlite3")
        try TestPaths.require(shell != nil, "the sqlite3 shell")
        let result = try ProcessRunner.run(shell!, [fixture.casePath, sql])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    private func assertTampered(_ result: ProcessResult, naming expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.status, 1, result.stdout, file: file, line: line)
        XCTAssertTrue(result.stdout.hasPrefix("TAMPERED"), result.stdout, file: file, line: line)
        XCTAssertTrue(result.stdout.contains(expected), "expected «\(expected)» in:\n\(result.stdout)", file: file, line: line)
    }

    func testADeletedEvidenceRowIsNamed() throws {
        let (fixture, _, _) = try workedCase()
        try tamper(fixture, "DELETE FROM evidence WHERE id = 1")
        assertTampered(try verify(fixture), naming: "evidence 1 (")
        assertTampered(try verify(fixture), naming: "recorded by action 2, has no row in the evidence table")
    }

    func testAnAllowlistRowNoActionAddedIsNamed() throws {
        let (fixture, _, _) = try workedCase()
        try tamper(fixture, "INSERT INTO allowlist (kind, value, added_by_action) VALUES ('cidr', '0.0.0.0/0', 5)")
        assertTampered(try verify(fixture), naming: "allowlist row 2 (cidr 0.0.0.0/0) was added by no action")
        // Quietly ending the real entry is caught as well.
        try tamper(fixture, "DELETE FROM allowlist WHERE id = 2; UPDATE allowlist SET removed_by_action = 6 WHERE id = 1")
        assertTampered(try verify(fixture), naming: "allowlist row 1 (ip 192.0.2.7): the row says action 6 removed it, but no action removed it")
    }

    func testAChangedFindingStateIsNamed() throws {
        let (fixture, confirmed, untouched) = try workedCase()
        try tamper(fixture, "UPDATE findings SET state = 'dismissed' WHERE id = '\(confirmed)'")
        assertTampered(try verify(fixture), naming: "finding \(confirmed) is dismissed, but action 4 made it confirmed")
        try tamper(
            fixture,
            "UPDATE findings SET state = 'confirmed' WHERE id = '\(confirmed)'; UPDATE findings SET state = 'dismissed' WHERE id = '\(untouched)'")
        assertTampered(try verify(fixture), naming: "finding \(untouched) is dismissed, but no action changed it from new")
    }

    func testAnEditedDictionaryValueIsNamed() throws {
        let (fixture, _, _) = try workedCase()
        // Scope would now blame 203.0.113.9 for 10.0.0.2's probing.
        try tamper(fixture, "UPDATE dict SET value = '203.0.113.9' WHERE kind = 'ip' AND value = '10.0.0.2'")
        assertTampered(try verify(fixture), naming: "evidence 1: the dictionary strings it added")
    }

    func testAnEditedRequestIsNamedByDeepAndARemovedOneByDefault() throws {
        let (fixture, _, _) = try workedCase()
        try tamper(fixture, "UPDATE requests SET status = 200 WHERE id = 3")
        let quick = try verify(fixture)
        XCTAssertEqual(quick.status, 0, "the default counts requests but does not re-hash them: \(quick.stdout)")
        XCTAssertTrue(quick.stdout.contains("requests counted, not re-hashed (--deep re-hashes them)"), quick.stdout)
        assertTampered(try verify(fixture, "--deep"), naming: "evidence 1: its requests (ids 1-")
        assertTampered(try verify(fixture, "--deep"), naming: "differ from the digest action 2 recorded")

        // A removed request changes the count, which the default checks.
        try tamper(fixture, "DELETE FROM requests WHERE id = 4")
        assertTampered(try verify(fixture), naming: "requests are stored, but action 2 recorded")
    }

    func testAnIntactCaseVerifiesDeep() throws {
        let (fixture, _, _) = try workedCase()
        let deep = try verify(fixture, "--deep")
        XCTAssertEqual(deep.status, 0, deep.stdout)
        let parsed = try XCTUnwrap(try fixture.open().evidence().first?.parsed)
        XCTAssertTrue(deep.stdout.contains("\(parsed) requests re-hashed"), deep.stdout)
        XCTAssertFalse(deep.stdout.contains("not covered by a row digest"), deep.stdout)
    }
}
