import Foundation
import TourniquetTestSupport
import XCTest

/// Ingest matches probe signatures with the default sets; scope with tuned sets re-reads the
/// paths from the case. Both ways must find the same probes.
final class ScopeTunedSignatureTests: XCTestCase {
    private func pathProbing(_ fixture: IngestFixture, config: String? = nil) throws -> [String: [String]] {
        var arguments = [fixture.casePath, "--json"]
        if let config { arguments += ["--config", config] }
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["scope"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var out: [String: [String]] = [:]
        for finding in report["findings"] as? [[String: Any]] ?? [] where finding["detector"] as? String == "path-probing" {
            let subject = (finding["subject"] as? [String: Any])?["value"] as? String ?? ""
            let evidence = finding["evidence"] as? [String: Any] ?? [:]
            out[subject] = (evidence["signatures"] as? [String] ?? []) + ["samples: \((evidence["samples"] as? [String] ?? []).count)"]
        }
        return out
    }

    func testTunedSetsFindWhatTheIngestTimeMatchFound() throws {
        let fixture = try IngestFixture()
        var logs = 0
        let cases = TestPaths.fixtures.appendingPathComponent("detections")
        for name in try FileManager.default.contentsOfDirectory(atPath: cases.path).sorted() where name.hasPrefix("crowdsec-") {
            let dir = cases.appendingPathComponent(name)
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".log") {
                XCTAssertEqual(try fixture.ingest(dir.appendingPathComponent(file).path).status, 0, file)
                logs += 1
            }
        }
        try TestPaths.require(logs >= 3, "the CrowdSec probing cases")
        let defaults = try pathProbing(fixture)
        XCTAssertFalse(defaults.isEmpty, "the CrowdSec cases hold probes")

        // The same sets under other names: the digest differs, so scope must match the paths itself.
        let printed = try ProcessRunner.tourniquet("scope", fixture.casePath, "--print-config")
        XCTAssertEqual(printed.status, 0, printed.stderr)
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        let sets = try XCTUnwrap(config["signatures"] as? [String: Any])
        config["signatures"] = Dictionary(uniqueKeysWithValues: sets.map { ("tuned-" + $0.key, $0.value) })
        let path = fixture.directory.file("tuned.json")
        FileManager.default.createFile(atPath: path, contents: try JSONSerialization.data(withJSONObject: config))
        let tuned = try pathProbing(fixture, config: path)

        let renamed = defaults.mapValues { $0.map { $0.hasPrefix("samples") ? $0 : "tuned-" + $0 } }
        XCTAssertEqual(tuned, renamed)
    }
}
