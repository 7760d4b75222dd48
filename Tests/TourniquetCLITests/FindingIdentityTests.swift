import Foundation
import TourniquetTestSupport
import XCTest

/// One subject can be the subject of several findings of one detector: each must be its own,
/// so that a responder's verdict on one never changes another.
final class FindingIdentityTests: XCTestCase {
    /// One client walks the ids of two different routes: two walks, two findings, two verdicts.
    func testTwoRoutesWalkedByOneClientAreTwoFindings() throws {
        let fixture = try IngestFixture()
        var lines: [String] = []
        for (route, minute) in [("orders", 10), ("invoices", 20)] {
            for id in 1...60 {
                let second = String(format: "%02d", id % 60)
                lines.append(
                    "203.0.113.5 - mallory [01/Apr/2026:10:\(minute + id / 60):\(second) +0000] \"GET /v1/\(route)/\(1000 + id) HTTP/1.1\" 200 512 \"-\" \"walker/1.0\""
                )
            }
        }
        let log = fixture.write("walk.log", lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(try fixture.ingest(log).status, 0)

        let scope = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json"])
        XCTAssertEqual(scope.status, 0, scope.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scope.stdout.utf8)) as? [String: Any])
        let walks = (report["findings"] as? [[String: Any]] ?? []).filter { $0["detector"] as? String == "bola-enumeration" }
        XCTAssertEqual(walks.count, 2, scope.stdout)
        let ids = walks.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ids).count, 2, "each route's walk has its own id: \(ids)")
        XCTAssertEqual(Set(walks.map { ($0["subject"] as? [String: Any])?["value"] as? String }), ["mallory"])

        let confirmed = try ProcessRunner.tourniquet("finding", "confirm", [fixture.casePath, ids[0], "--reason", "walked orders"])
        XCTAssertEqual(confirmed.status, 0, confirmed.stderr)
        let list = try ProcessRunner.tourniquet("finding", "list", [fixture.casePath])
        // Not uniqueKeysWithValues: a shared id (the bug) must fail the test, not trap it.
        let states = Dictionary(
            list.stdout.split(separator: "\n").map { line -> (String, String) in
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                return (String(fields[0]), String(fields[1]))
            }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(states[ids[0]], "confirmed", list.stdout)
        XCTAssertEqual(states[ids[1]], "new", "confirming one walk leaves the other alone: \(list.stdout)")

        // A re-run keeps both ids and both states.
        let again = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json"])
        let rerun = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let rerunStates = Dictionary(
            (rerun["findings"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0["state"] as? String ?? "") },
            uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(rerunStates[ids[0]], "confirmed")
        XCTAssertEqual(rerunStates[ids[1]], "new")
    }
}
