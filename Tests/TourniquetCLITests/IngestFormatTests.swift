import Foundation
import TourniquetIngest
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// One known request written in every supported format, ingested, and read back field by field.
final class IngestFormatTests: XCTestCase {
    static let second: Int64 = 1_795_946_401_000  // 2026-11-29T10:00:01Z

    static let lines: [String: String] = [
        "combined": #"203.0.113.7 - alice [29/Nov/2026:11:00:01 +0100] "GET /v1/accounts/42?page=2 HTTP/1.1" 200 512 "-" "okhttp/4.12.0""#,
        "common": #"203.0.113.7 - alice [29/Nov/2026:11:00:01 +0100] "GET /v1/accounts/42?page=2 HTTP/1.1" 200 512"#,
        "kong":
            #"{"client_ip":"203.0.113.7","started_at":1795946401250,"request":{"method":"GET","uri":"/v1/accounts/42?page=2","headers":{"user-agent":"okhttp/4.12.0","authorization":"Bearer kong-s3cr3t-bearer"}},"response":{"status":200,"size":512},"consumer":{"username":"alice","id":"c-1"},"latencies":{"request":12,"kong":1,"proxy":10},"route":{"name":"accounts"},"service":{"name":"core"}}"#,
        "aws-apigw":
            #"{"requestId":"a1b2","ip":"203.0.113.7","caller":"-","user":"alice","requestTime":"29/Nov/2026:10:00:01 +0000","httpMethod":"GET","resourcePath":"/v1/accounts/{id}","path":"/v1/accounts/42","status":"200","protocol":"HTTP/1.1","responseLength":"512","identity":{"apiKeyId":"key-123"}}"#,
        "ecs":
            #"{"@timestamp":"2026-11-29T10:00:01.250Z","source":{"ip":"203.0.113.7"},"http":{"request":{"method":"GET"},"response":{"status_code":200,"body":{"bytes":512}}},"url":{"path":"/v1/accounts/42","query":"page=2"},"user":{"name":"alice"},"user_agent":{"original":"okhttp/4.12.0"},"event":{"duration":12000000}}"#,
        "envoy":
            #"[2026-11-29T10:00:01.250Z] "GET /v1/accounts/42?page=2 HTTP/1.1" 200 - 0 512 12 10 "203.0.113.7" "okhttp/4.12.0" "req-1" "api.example" "10.0.0.5:8080""#,
    ]

    func testEveryFormatRoundTripsThroughTheCase() throws {
        for format in LogFormats.names {
            let fixture = try IngestFixture()
            let line = try XCTUnwrap(Self.lines[format])
            let file = fixture.write("\(format).log", line + "\n" + line + "\n")
            let result = try fixture.ingest(file, "--json")
            XCTAssertEqual(result.status, 0, "\(format): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains(#""format":"\#(format)""#), "\(format) was detected as something else: \(result.stdout)")
            let stored = try fixture.open().requests()
            XCTAssertEqual(stored.count, 2, format)
            let r = try XCTUnwrap(stored.first)
            XCTAssertEqual(r.ip, "203.0.113.7", format)
            XCTAssertEqual(r.method, "GET", format)
            XCTAssertEqual(r.path, "/v1/accounts/42", format)
            XCTAssertEqual(r.route, "/v1/accounts/{id}", format)
            XCTAssertEqual(r.status, 200, format)
            XCTAssertEqual(r.bytes, 512, format)
            XCTAssertEqual(r.line, 1, format)
            XCTAssertEqual(r.timestampMs / 1000, Self.second / 1000, format)
            if format != "aws-apigw" { XCTAssertEqual(r.query, "page=2", format) }
            if ["combined", "kong", "ecs", "envoy"].contains(format) { XCTAssertEqual(r.userAgent, "okhttp/4.12.0", format) }
            if ["combined", "common", "kong", "aws-apigw", "ecs"].contains(format) { XCTAssertEqual(r.client, "alice", format) }
            if format == "combined" || format == "common" { XCTAssertEqual(r.utcOffsetMinutes, 60, format) }
            if format == "aws-apigw" { XCTAssertEqual(r.apiKey, "key-123") }
            if format == "kong" {
                XCTAssertEqual(r.latencyMicros, 12_000)
                XCTAssertTrue(r.apiKey?.hasPrefix("fp:") == true, "the bearer token is kept only as a fingerprint")
                XCTAssertTrue(r.flags.contains(.credentialRedacted))
            }
        }
    }

    func testFormatOverrideAndUnknownFormats() throws {
        let fixture = try IngestFixture()
        let file = fixture.write("a.log", Self.lines["combined"]! + "\n")
        let forced = try fixture.ingest(file, "--format", "kong")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stdout.contains("format kong, 1 lines: 0 parsed, 1 malformed"), forced.stdout)

        let caddy = TestPaths.fixtures.appendingPathComponent("access/lnav-logfile_caddy_log.0").path
        try TestPaths.require(FileManager.default.fileExists(atPath: caddy), "fixture caddy sample")
        let refused = try fixture.ingest(caddy)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("tried combined, common, kong, aws-apigw, ecs, envoy"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("first line: caddy  | {"), refused.stderr)
        XCTAssertEqual(try fixture.open().evidence().count, 1, "a refused file registers nothing")
    }
}
