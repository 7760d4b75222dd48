import Foundation
import TourniquetTestSupport
import XCTest

/// The detectors over real probing logs: CrowdSec hub test cases, whose scenario.assert names the
/// sources that must be caught; and a real shop's traffic, which must raise nothing.
final class ScopeRealLogTests: XCTestCase {
    static func expectedSources(_ assertFile: URL) throws -> Set<String> {
        let text = try String(contentsOf: assertFile, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #""([0-9a-fA-F:.]+)" in results\[\d+\]\.Overflow\.GetSources\(\)"#)
        return Set(
            pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
                Range(match.range(at: 1), in: text).map { String(text[$0]) }
            })
    }

    private func scope(_ logs: [String]) throws -> [String: Any] {
        let fixture = try IngestFixture()
        for log in logs {
            let ingested = try fixture.ingest(log)
            XCTAssertEqual(ingested.status, 0, ingested.stderr)
        }
        let result = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func testEveryCrowdSecCaseIsCaught() throws {
        let root = TestPaths.fixtures.appendingPathComponent("detections")
        try TestPaths.require(FileManager.default.fileExists(atPath: root.path), "Tests/Fixtures/detections")
        let cases = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("crowdsec-") }.sorted()
        XCTAssertGreaterThanOrEqual(cases.count, 7)
        for name in cases {
            let dir = root.appendingPathComponent(name)
            let expected = try Self.expectedSources(dir.appendingPathComponent("scenario.assert"))
            XCTAssertFalse(expected.isEmpty, "\(name): no sources in scenario.assert")
            let logs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".log") }.map {
                dir.appendingPathComponent($0).path
            }
            let report = try scope(logs)
            let flagged = Set(((report["attackers"] as? [String: Any])?["ips"] as? [String]) ?? [])
            XCTAssertTrue(expected.isSubset(of: flagged), "\(name): expected \(expected.sorted()), flagged \(flagged.sorted())")
            let findings = report["findings"] as? [[String: Any]] ?? []
            for source in expected {
                XCTAssertTrue(
                    findings.contains { (($0["subject"] as? [String: Any])?["value"] as? String) == source }, "\(name): no finding names \(source)")
            }
        }
    }

    func testARealShopRaisesNothing() throws {
        let shop = TestPaths.fixtures.appendingPathComponent("access/lnav-logfile_shop_access_log.0").path
        try TestPaths.require(FileManager.default.fileExists(atPath: shop), "fixture shop log")
        let report = try scope([shop])
        XCTAssertEqual((report["findings"] as? [Any])?.count, 0, "\(report["findings"] ?? [])")
        XCTAssertEqual(report["requests"] as? Int, 1000)
        XCTAssertEqual(
            Set(report.keys),
            [
                "window", "requests", "findings", "attackers", "keys", "accounts", "targeted_endpoints",
                "data_accessed", "shadow_endpoints", "skipped", "version", "credentials", "campaigns",
            ])
    }
}
