import Foundation
import TourniquetTestSupport
import XCTest

/// geo-anomaly against a real MaxMind database file, written by MaxMind's own Perl writer.
final class GeoAnomalyTests: XCTestCase {
    static let writer = """
        use MaxMind::DB::Writer::Tree;
        my %types = (country => 'map', iso_code => 'utf8_string');
        my $tree = MaxMind::DB::Writer::Tree->new(ip_version => 4, record_size => 24, database_type => 'Tourniquet-Test-Country',
            languages => ['en'], description => { en => 'test' }, remove_reserved_networks => 0, map_key_type_callback => sub { $types{ $_[0] } });
        $tree->insert_network('198.51.100.0/24', { country => { iso_code => 'NL' } });
        $tree->insert_network('203.0.113.0/24', { country => { iso_code => 'KP' } });
        open my $fh, '>:raw', $ARGV[0] or die;
        $tree->write_tree($fh);
        """

    func testAClientFromANewCountryIsFlaggedOnlyWithADatabase() throws {
        let fixture = try IngestFixture()
        let database = fixture.directory.file("test-country.mmdb")
        let perlOK = (try? ProcessRunner.run("/usr/bin/perl", ["-MMaxMind::DB::Writer::Tree", "-e", "1"]).status) == 0
        try TestPaths.require(perlOK, "MaxMind's Perl writer (libmaxmind-db-writer-perl)")
        let written = try ProcessRunner.run("/usr/bin/perl", ["-e", Self.writer, database])
        XCTAssertEqual(written.status, 0, written.stderr)

        var lines: [String] = []
        for i in 0..<30 {
            lines.append(
                "198.51.100.5 - alice [29/Nov/2026:10:\(String(format: "%02d", i)):00 +0000] \"GET /v1/accounts/7 HTTP/1.1\" 200 90 \"-\" \"app\"")
            lines.append(
                "198.51.100.6 - bob [29/Nov/2026:10:\(String(format: "%02d", i)):30 +0000] \"GET /v1/accounts/8 HTTP/1.1\" 200 90 \"-\" \"app\"")
        }
        for i in 0..<5 {
            lines.append("203.0.113.9 - alice [29/Nov/2026:11:0\(i):00 +0000] \"GET /v1/accounts/7/orders HTTP/1.1\" 200 900 \"-\" \"curl\"")
        }
        XCTAssertEqual(try fixture.ingest(fixture.write("geo.log", lines.joined(separator: "\n") + "\n")).status, 0)

        let without = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json"])
        XCTAssertTrue(without.stdout.contains(#""detector":"geo-anomaly","reason":"no GeoIP database given"#), without.stdout)
        XCTAssertFalse(without.stdout.contains(#""detector":"geo-anomaly","severity""#))

        let with = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--json", "--geoip", database])
        XCTAssertEqual(with.status, 0, with.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(with.stdout.utf8)) as? [String: Any])
        let geo = (report["findings"] as? [[String: Any]] ?? []).filter { $0["detector"] as? String == "geo-anomaly" }
        XCTAssertEqual(geo.count, 1, "\(geo)")
        XCTAssertEqual((geo.first?["subject"] as? [String: Any])?["value"] as? String, "alice")
        XCTAssertEqual((geo.first?["evidence"] as? [String: Any])?["new_countries"] as? [String], ["KP"])
        XCTAssertEqual((report["attackers"] as? [String: Any])?["ips"] as? [String], ["203.0.113.9"])

        let bad = try ProcessRunner.tourniquet("scope", fixture.casePath, ["--geoip", fixture.write("not.mmdb", "nope")])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("not a usable MaxMind database"), bad.stderr)
    }
}
