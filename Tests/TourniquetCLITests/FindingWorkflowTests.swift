import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// Confirming and dismissing findings, re-running scope, and the allowlist, through the real binary.
final class FindingWorkflowTests: XCTestCase {
    private func probingCase() throws -> IngestFixture {
        let log = TestPaths.fixtures.appendingPathComponent("detections/crowdsec-http-technology-probing/http-technology-probing.log").path
        try TestPaths.require(FileManager.default.fileExists(atPath: log), "fixture CrowdSec technology case")
        let fixture = try IngestFixture()
        XCTAssertEqual(try fixture.ingest(log).status, 0)
        return fixture
    }

    private func scopeJSON(_ fixture: IngestFixture) throws -> [String: Any] {
        let result = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func findingIDs(_ report: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for f in report["findings"] as? [[String: Any]] ?? [] {
            out[((f["subject"] as? [String: Any])?["value"] as? String) ?? ""] = f["id"] as? String
        }
        return out
    }

    func testConfirmDismissAndStateSurvivesARerun() throws {
        let fixture = try probingCase()
        let ids = findingIDs(try scopeJSON(fixture))
        let probe = try XCTUnwrap(ids["10.0.0.2"])
        let noRationale = try ProcessRunner.tourniquet("finding", "confirm", [fixture.casePath, probe])
        XCTAssertNotEqual(noRationale.status, 0, "a rationale is required")
        let confirm = try ProcessRunner.tourniquet(
            "finding", "confirm", [fixture.casePath, probe, "--reason", "AEM packmgr probe", "--actor", "alice"])
        XCTAssertEqual(confirm.status, 0, confirm.stderr)
        let dismiss = try ProcessRunner.tourniquet(
            "finding", "dismiss", [fixture.casePath, try XCTUnwrap(ids["10.0.0.1"]), "--reason", "our scanner"])
        XCTAssertEqual(dismiss.status, 0, dismiss.stderr)
        let unknown = try ProcessRunner.tourniquet("finding", "confirm", [fixture.casePath, "F-0000000000", "--reason", "x"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no finding F-0000000000"), unknown.stderr)

        // A re-run keeps the ids and the states.
        let again = try scopeJSON(fixture)
        let states = Dictionary(
            uniqueKeysWithValues: (again["findings"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0["state"] as? String ?? "") })
        XCTAssertEqual(states[probe], "confirmed")
        XCTAssertEqual(states[ids["10.0.0.1"]!], "dismissed")

        let actions = try fixture.open().actions()
        XCTAssertEqual(actions.filter { $0.kind == "scope.run" }.count, 2)
        let confirmed = try XCTUnwrap(actions.first { $0.kind == "finding.confirmed" })
        XCTAssertEqual(confirmed.target, probe)
        XCTAssertEqual(confirmed.rationale, "AEM packmgr probe")
        XCTAssertEqual(confirmed.actor, "alice")
        XCTAssertTrue(try fixture.open().verify().isIntact)
    }

    func testAllowlistSuppressesAndIsRecorded() throws {
        let fixture = try probingCase()
        XCTAssertEqual(findingIDs(try scopeJSON(fixture)).count, 2)
        let add = try ProcessRunner.tourniquet("allowlist", "add", [fixture.casePath, "10.0.0.0/31", "--reason", "internal scanner range"])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertEqual(try ProcessRunner.tourniquet("allowlist", "add", [fixture.casePath, "10.0.0.0/31", "--reason", "again"]).status, 1)
        XCTAssertNotEqual(try ProcessRunner.tourniquet("allowlist", "add", [fixture.casePath, "bogus", "--reason", "x"]).status, 0)
        let report = try scopeJSON(fixture)
        XCTAssertEqual(Array(findingIDs(report).keys), ["10.0.0.2"], "10.0.0.1 is inside 10.0.0.0/31 and suppressed")
        XCTAssertEqual((report["attackers"] as? [String: Any])?["ips"] as? [String], ["10.0.0.2"])
        XCTAssertTrue(try ProcessRunner.tourniquet("allowlist", "list", [fixture.casePath]).stdout.contains("10.0.0.0/31"))
        XCTAssertEqual(
            try ProcessRunner.tourniquet("allowlist", "remove", [fixture.casePath, "10.0.0.0/31", "--reason", "not ours after all"]).status, 0)
        XCTAssertEqual(findingIDs(try scopeJSON(fixture)).count, 2)
        let changes = try fixture.open().actions().filter { $0.kind == "allowlist.changed" }
        XCTAssertEqual(changes.map(\.rationale), ["internal scanner range", "not ours after all"])
    }

    func testTheWindowLimitsWhatIsScoped() throws {
        let fixture = try probingCase()
        let before = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json", "--until", "2026-04-01T10:00:00.500Z"])
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["requests"] as? Int, 1, "only the first request is before the cut")
        XCTAssertEqual((report["window"] as? [String: Any])?["to"] as? String, "2026-04-01T10:00:00.500Z")
        let bad = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--since", "last tuesday"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("RFC 3339"), bad.stderr)
    }
}
