import Foundation
import TourniquetTestSupport
import XCTest

/// A tuned detector configuration with a bad value is refused before scope runs: one plain line
/// naming the file, the key and the range it takes, exit 2, never a crash or a Swift error dump.
final class DetectorConfigFileTests: XCTestCase {
    private func defaults() throws -> [String: Any] {
        let printed = try ProcessRunner.tourniquet("scope", "--print-config")
        XCTAssertEqual(printed.status, 0, printed.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
    }

    private func config(_ base: [String: Any], _ section: String, _ key: String, _ value: Any) throws -> Data {
        var copy = base
        if section == "signatures" {
            var sets = try XCTUnwrap(copy["signatures"] as? [String: Any])
            var set = try XCTUnwrap(sets["sensitive-files"] as? [String: Any])
            set[key] = value
            sets["sensitive-files"] = set
            copy["signatures"] = sets
        } else {
            var inner = try XCTUnwrap(copy[section] as? [String: Any])
            inner[key] = value
            copy[section] = inner
        }
        return try JSONSerialization.data(withJSONObject: copy)
    }

    private func assertRefused(_ fixture: IngestFixture, _ data: Data, _ expected: [String], file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let path = fixture.directory.file("detectors.json")
        FileManager.default.createFile(atPath: path, contents: data)
        let result = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--config", path])
        XCTAssertEqual(result.status, 2, result.stderr, file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, "one line: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("tourniquet: \(path): detector configuration: "), result.stderr, file: file, line: line)
        for text in expected { XCTAssertTrue(result.stderr.contains(text), "\(text) in \(result.stderr)", file: file, line: line) }
        for leak in ["Fatal error", "DecodingError", "NSCocoaErrorDomain", "Swift.", "CodingKeys", "Context("] {
            XCTAssertFalse(result.stderr.contains(leak), result.stderr, file: file, line: line)
        }
        XCTAssertEqual(result.stdout, "", file: file, line: line)
    }

    func testOutOfRangeValuesNameTheKeyAndItsRange() throws {
        let fixture = try IngestFixture()
        let base = try defaults()
        let cases: [(String, String, Any, [String])] = [
            ("scraping", "storm429_window", 0, ["scraping.storm429_window is 0; it must be 1 to 86400"]),
            ("credential_stuffing", "min_failures", -5, ["credential_stuffing.min_failures is -5; it must be 1 to 1000000000"]),
            ("scraping", "over_peers", 0.0, ["scraping.over_peers is 0; it must be 1 to 1000000"]),
            (
                "password_reset_abuse", "max_per_source", 9_000_000_000_000,
                ["password_reset_abuse.max_per_source is 9000000000000; it must be 1 to 1000000000"]
            ),
            ("brute_force", "window_seconds", 99_999_999_999, ["brute_force.window_seconds is 99999999999; it must be 1 to 86400"]),
            ("bola_enumeration", "min_distinct_objects", 1, ["bola_enumeration.min_distinct_objects is 1; it must be 2 to 1000000000"]),
            ("geo_anomaly", "min_baseline_requests", 0, ["geo_anomaly.min_baseline_requests is 0"]),
            ("signatures", "min_hits", 0, ["signatures.sensitive-files.min_hits is 0; it must be 1 to 1000000000"]),
            ("routes", "login_failure_statuses", [401, 0], ["routes.login_failure_statuses[1] is 0; it must be 100 to 599"]),
            ("path_probing", "min_error_ratio", 1.5, ["path_probing.min_error_ratio is 1.5; it must be 0 to 1"]),
        ]
        for (section, key, value, expected) in cases {
            try assertRefused(fixture, try config(base, section, key, value), expected)
        }
        // The defaults themselves pass, and the refused runs recorded nothing.
        let path = fixture.directory.file("good.json")
        FileManager.default.createFile(atPath: path, contents: try JSONSerialization.data(withJSONObject: base))
        XCTAssertEqual(try ProcessRunner.tourniquet("scope", fixture.casePath, ["--config", path]).status, 0)
        XCTAssertEqual(try fixture.open().actions().filter { $0.kind == "scope.run" }.count, 1)
    }

    func testMalformedFilesGivePlainReasons() throws {
        let fixture = try IngestFixture()
        let base = try defaults()
        try assertRefused(fixture, Data("{ \"scraping\": ".utf8), ["not valid JSON"])
        try assertRefused(
            fixture, try config(base, "scraping", "storm429_window", "five minutes"), ["'scraping.storm429_window' must be a whole number"])
        var missing = base
        var scraping = try XCTUnwrap(missing["scraping"] as? [String: Any])
        scraping["storm429_min"] = nil
        missing["scraping"] = scraping
        try assertRefused(fixture, try JSONSerialization.data(withJSONObject: missing), ["missing 'scraping.storm429_min'"])
        try assertRefused(fixture, try config(base, "scraping", "enabled", NSNull()), ["'scraping.enabled' must be true or false"])
    }
}
