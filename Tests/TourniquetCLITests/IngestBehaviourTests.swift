import Foundation
import TourniquetSimulation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

final class IngestBehaviourTests: XCTestCase {
    private var shopLog: String { TestPaths.fixtures.appendingPathComponent("access/lnav-logfile_shop_access_log.0").path }

    func testGzipStdinAndDuplicates() throws {
        try TestPaths.require(FileManager.default.fileExists(atPath: shopLog), "fixture shop log")
        let fixture = try IngestFixture()
        let gz = fixture.directory.file("shop.log.gz")
        XCTAssertEqual(try ProcessRunner.run("/bin/sh", ["-c", "gzip -c '\(shopLog)' > '\(gz)'"]).status, 0)
        let renamed = fixture.directory.file("shop-no-extension")
        try FileManager.default.copyItem(atPath: gz, toPath: renamed)

        let first = try fixture.ingest(renamed, "--json")
        XCTAssertEqual(first.status, 0, first.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["requests"] as? Int, 1000)
        let evidence = try XCTUnwrap((json["evidence"] as? [[String: Any]])?.first)
        XCTAssertEqual(
            Set(evidence.keys),
            ["path", "outcome", "evidence_id", "sha256", "format", "lines", "parsed", "malformed", "time_refused", "first", "last", "duplicate"])
        XCTAssertEqual(evidence["outcome"] as? String, "imported")
        XCTAssertEqual(evidence["format"] as? String, "combined")
        XCTAssertEqual(evidence["first"] as? String, "2019-01-22T00:26:14.000Z")

        let record = try XCTUnwrap(try fixture.open().evidence().first)
        XCTAssertEqual(record.sha256, FileDigestForTests.sha256(gz), "the hash is of the bytes as read")
        XCTAssertEqual(record.sha256Decompressed, FileDigestForTests.sha256(shopLog))
        XCTAssertEqual(record.size, Int64(try Data(contentsOf: URL(fileURLWithPath: gz)).count))

        // The same content through stdin, plain: a duplicate of the gzip's content.
        let stdin = try fixture.ingest("-", stdin: try Data(contentsOf: URL(fileURLWithPath: shopLog)))
        XCTAssertEqual(stdin.status, 0, stdin.stderr)
        XCTAssertTrue(stdin.stdout.hasPrefix("skipped -: already evidence #1"), stdin.stdout)
        let again = try fixture.ingest(gz)
        XCTAssertTrue(again.stdout.hasPrefix("skipped"), again.stdout)
        let file = try fixture.open()
        XCTAssertEqual(try file.requestCount(), 1000)
        XCTAssertEqual(try file.actions().filter { $0.kind == "evidence.ingested" }.count, 1)

        // Other content through stdin is imported.
        let other = try fixture.ingest("-", stdin: Data((IngestFormatTests.lines["combined"]! + "\n").utf8))
        XCTAssertTrue(other.stdout.hasPrefix("imported - as evidence #2"), other.stdout)
    }

    func testNoSecretReachesTheCaseFile() throws {
        let fixture = try IngestFixture()
        let secrets = [
            "sk_live_PLANTED_1", "PLANTED-token-2", "hunter2-PLANTED", "PLANTEDsig3", "PLANTED-refresh-4", "PLANTED_bearer_5", "PLANTED_cookie_6",
            "PLANTED%2Bencoded",
        ]
        let combined = [
            #"198.51.100.1 - - [29/Nov/2026:10:00:00 +0000] "GET /v1/a?api_key=sk_live_PLANTED_1&page=1 HTTP/1.1" 200 5 "-" "x""#,
            #"198.51.100.1 - - [29/Nov/2026:10:00:01 +0000] "GET /v1/b?access_token=PLANTED-token-2 HTTP/1.1" 200 5 "-" "x""#,
            #"198.51.100.2 - - [29/Nov/2026:10:00:02 +0000] "POST /login?password=hunter2-PLANTED&user=bob HTTP/1.1" 401 5 "-" "x""#,
            #"198.51.100.3 - - [29/Nov/2026:10:00:03 +0000] "GET /s3?X-Amz-Signature=PLANTEDsig3&x=1 HTTP/1.1" 200 5 "-" "x""#,
            #"198.51.100.3 - - [29/Nov/2026:10:00:04 +0000] "GET /o?REFRESH_TOKEN=PLANTED-refresh-4 HTTP/1.1" 200 5 "-" "x""#,
            #"198.51.100.4 - - [29/Nov/2026:10:00:05 +0000] "GET /v1/c?key=PLANTED%2Bencoded HTTP/1.1" 200 5 "-" "x""#,
            #"198.51.100.9 - - [29/Nov/2026:10:00:06 +0000] "GET /v1/a?api_key=sk_live_PLANTED_1 HTTP/1.1" 200 5 "-" "x""#,
        ].joined(separator: "\n")
        let kong =
            #"{"client_ip":"198.51.100.5","started_at":1795946401250,"request":{"method":"GET","uri":"/v1/me","headers":{"authorization":"Bearer PLANTED_bearer_5","cookie":"session=PLANTED_cookie_6"}},"response":{"status":200,"size":1}}"#
        XCTAssertEqual(try fixture.ingest(fixture.write("a.log", combined + "\n")).status, 0)
        XCTAssertEqual(try fixture.ingest(fixture.write("k.log", kong + "\n")).status, 0)
        // Correlation still works: the same key from two addresses has one fingerprint.
        let rows = try fixture.open().requests()
        XCTAssertEqual(rows.count, 8)
        XCTAssertEqual(rows[0].apiKey, rows[6].apiKey)
        XCTAssertNotNil(rows[0].apiKey)
        XCTAssertTrue(rows[0].query?.hasPrefix("api_key=[fp:") == true, rows[0].query ?? "")
        XCTAssertTrue(rows[0].query?.hasSuffix("&page=1") == true)
        XCTAssertTrue(rows[2].query?.hasSuffix("&user=bob") == true)
        let bytes = fixture.caseBytes()
        for secret in secrets + ["sk_live_PLANTED_1".uppercased(), "PLANTED+encoded"] {
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) is in the case file")
        }
        // Nor in what the timeline prints.
        let timeline = try ProcessRunner.tourniquet("timeline", fixture.casePath)
        for secret in secrets { XCTAssertFalse(timeline.stdout.contains(secret)) }
    }

    func testBinaryEmptyAndMalformedInput() throws {
        let fixture = try IngestFixture()
        let binary = fixture.directory.file("blob.bin")
        FileManager.default.createFile(atPath: binary, contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2] + (0..<4000).map { UInt8($0 % 251) }))
        let refused = try fixture.ingest(binary)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("binary"), refused.stderr)

        let empty = try fixture.ingest(fixture.write("empty.log", ""))
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertTrue(empty.stdout.contains("0 lines: 0 parsed, 0 malformed"), empty.stdout)

        let good = IngestFormatTests.lines["combined"]!
        let hostile = "203.0.113.9 - - [29/Nov/2026:10:00:00 +0000] \"GET /\u{1B}]0;pwned\u{07} HTTP/1.1\" 2OO 5"
        var mixed = [good, "garbage line", hostile, "", good.replacingOccurrences(of: "29/Nov", with: "31/Nov"), good].joined(separator: "\n")
        mixed += "\n" + String(repeating: "x", count: 1_200_000) + "\n" + good
        let result = try fixture.ingest(fixture.write("mixed.log", mixed), "--format", "combined")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("8 lines: 3 parsed, 4 malformed"), result.stdout)
        XCTAssertFalse(result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "malformed samples are escaped")
        let record = try XCTUnwrap(try fixture.open().evidence().last)
        XCTAssertEqual(record.malformedSamples.map(\.line), [2, 3, 5, 7])
        XCTAssertTrue(record.malformedSamples[1].text.contains(#"\x1b]0;pwned\x07"#), record.malformedSamples[1].text)
        XCTAssertEqual(record.malformedSamples[3].reason, "line longer than 1 MiB")
        XCTAssertEqual(record.malformedSamples[2].reason, "invalid time")
    }

    func testOpenAPIRoutesTrustedProxiesAndVerify() throws {
        let fixture = try IngestFixture()
        let spec = fixture.write(
            "openapi.yaml",
            """
            openapi: 3.0.3
            info: {title: Accounts, version: "1"}
            servers:
              - url: https://api.example.com/api/v2
            paths:
              /accounts/{accountId}:
                get: {responses: {"200": {description: ok}}}
              /accounts/me:
                get: {responses: {"200": {description: ok}}}
              /legacy/export:
                get: {deprecated: true, responses: {"200": {description: ok}}}
            """)
        let log = fixture.write(
            "api.log",
            [
                #"10.0.0.5 - - [29/Nov/2026:10:00:00 +0000] "GET /api/v2/accounts/77 HTTP/1.1" 200 5 "-" "x" "198.51.100.20, 10.0.0.9""#,
                #"10.0.0.5 - - [29/Nov/2026:10:00:01 +0000] "GET /api/v2/accounts/me HTTP/1.1" 200 5 "-" "x" "-""#,
                #"198.51.100.30 - - [29/Nov/2026:10:00:02 +0000] "GET /api/v2/internal/dump/5 HTTP/1.1" 200 5 "-" "x" "6.6.6.6""#,
            ].joined(separator: "\n"))
        let result = try fixture.ingest(log, "--openapi", spec, "--trusted-proxy", "10.0.0.0/8")
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = try fixture.open().requests()
        XCTAssertEqual(rows.map(\.route), ["/accounts/{accountId}", "/accounts/me", "/api/v2/internal/dump/{id}"])
        XCTAssertEqual(rows.map { $0.flags.contains(.undocumented) }, [false, false, true])
        XCTAssertEqual(rows.map(\.ip), ["198.51.100.20", "10.0.0.5", "198.51.100.30"], "XFF is believed only behind a trusted proxy")
        XCTAssertEqual(try fixture.open().requests(of: .ip, value: "198.51.100.20").map(\.path), ["/api/v2/accounts/77"])
        XCTAssertEqual(try fixture.open().subjectStats(.route, value: "/accounts/me")?.requests, 1)

        let badSpec = try fixture.ingest(log, "--openapi", fixture.write("swagger.json", #"{"swagger":"2.0","paths":{}}"#))
        XCTAssertEqual(badSpec.status, 1)
        XCTAssertTrue(badSpec.stderr.contains("Swagger 2.0"), badSpec.stderr)
        let badProxy = try fixture.ingest(log, "--trusted-proxy", "10.0.0.0/99")
        XCTAssertNotEqual(badProxy.status, 0)

        // verify re-hashes evidence still on disk and notices a changed file.
        XCTAssertEqual(try ProcessRunner.tourniquet("verify", fixture.casePath).status, 0)
        FileManager.default.createFile(atPath: log, contents: Data("tampered\n".utf8))
        let verify = try ProcessRunner.tourniquet("verify", fixture.casePath)
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stdout.contains("no longer matches the SHA-256 recorded at ingest"), verify.stdout)
    }

    func testKillNineDuringIngestThenIngestAgainGivesExactlyOneCopy() throws {
        let fixture = try IngestFixture()
        let log = fixture.directory.file("big.log")
        let generated = try ProcessRunner.run(TestPaths.executable("tourniquet-bench"), ["generate", log, "--lines", "150000"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        var interrupted = false
        for attempt in 0..<3 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestPaths.executable("tourniquet"))
            process.arguments = ["ingest", fixture.casePath, log]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until the import is writing (the WAL grows), then kill it mid-stream.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, process.isRunning {
                let wal = (try? FileManager.default.attributesOfItem(atPath: fixture.casePath + "-wal")[.size] as? NSNumber)?.intValue ?? 0
                if wal > (2 + attempt) * 1_000_000 { break }
                usleep(2000)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                interrupted = true
            }
            process.waitUntilExit()
            let file = try CaseWriter.open(at: fixture.casePath)
            XCTAssertEqual(try file.evidence().count, 0, "half an import must never be visible")
            XCTAssertEqual(try file.requestCount(), 0)
            XCTAssertTrue(try file.verify().isIntact)
        }
        XCTAssertTrue(interrupted, "the import finished before it could be killed; make the file larger")
        let result = try fixture.ingest(log)
        XCTAssertEqual(result.status, 0, result.stderr)
        let again = try fixture.ingest(log)
        XCTAssertTrue(again.stdout.hasPrefix("skipped"), again.stdout)
        let file = try fixture.open()
        XCTAssertEqual(try file.evidence().count, 1)
        XCTAssertEqual(try file.requestCount(), 150_000)
        XCTAssertEqual(try file.actions().filter { $0.kind == "evidence.ingested" }.count, 1)
    }

    func testBenchmarkRunsOnSmallData() throws {
        let dir = TemporaryDirectory()
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet-bench"), ["ingest", "--lines", "20000", "--dir", dir.path])
        XCTAssertEqual(result.status, 0, result.stderr + result.stdout)
        XCTAssertTrue(result.stdout.contains("ingest: 20000 lines"), result.stdout)
        XCTAssertTrue(result.stdout.contains("bytes/request"), result.stdout)
    }
}

/// SHA-256 of a file, for expectations (computed by the system's sha256sum, independently of our code).
enum FileDigestForTests {
    static func sha256(_ path: String) -> String {
        let result = try? ProcessRunner.run("/usr/bin/sha256sum", [path])
        return String(result?.stdout.prefix(64) ?? "")
    }
}
