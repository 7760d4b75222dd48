import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetIngest

/// Field-level checks on every real nginx/Apache sample in Tests/Fixtures/access.
final class CLFParserTests: XCTestCase {
    private let parser = CLFParser(variant: .combined)

    private func parse(_ line: String) -> Result<ParsedRequest, MalformedLine> {
        var copy = line
        return copy.withUTF8 { parser.parse($0) }
    }

    private func request(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) throws -> ParsedRequest {
        switch parse(line) {
        case .success(let r): return r
        case .failure(let m):
            XCTFail("malformed: \(m.reason)", file: file, line: lineNumber)
            throw m
        }
    }

    private func sampleLines(_ name: String) throws -> [String] {
        let url = TestPaths.fixtures.appendingPathComponent("access/\(name)")
        try TestPaths.require(FileManager.default.fileExists(atPath: url.path), "Tests/Fixtures/access/\(name)")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    // beats-nginx-test.log, from Filebeat's nginx module tests: the awkward shapes.
    func testXFFChainBeforeTheAddress() throws {
        let lines = try sampleLines("beats-nginx-test.log")
        let r = try request(lines[0])
        XCTAssertEqual(r.clientAddress, "127.0.0.1")
        XCTAssertEqual(r.forwardedFor, "10.0.0.2, 10.0.0.1")
        XCTAssertEqual(r.method, "GET")
        XCTAssertEqual(r.target, "/ocelot")
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.bytes, 571)
        XCTAssertEqual(r.timestampMs, 1_481_105_107_000)  // 07/Dec/2016:11:05:07 +0100
        XCTAssertEqual(r.utcOffsetMinutes, 60)
        XCTAssertEqual(r.userAgent, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0")
        XCTAssertNil(r.remoteUser)
    }

    func testTrailingExtraQuotedField() throws {
        let r = try request(try sampleLines("beats-nginx-test.log")[1])
        XCTAssertEqual(r.clientAddress, "172.17.0.1")
        XCTAssertEqual(r.target, "/stringpatch")
        XCTAssertEqual(r.status, 404)
        XCTAssertNil(r.forwardedFor, "a trailing \"-\" is an empty X-Forwarded-For")
    }

    func testQuotedXFFListBeforeTheAddress() throws {
        let r = try request(try sampleLines("beats-nginx-test.log")[4])
        XCTAssertEqual(r.forwardedFor, "10.5.102.222, 199.96.1.1, 204.246.1.1")
        XCTAssertEqual(r.clientAddress, "10.2.1.185")
        XCTAssertEqual(r.target, "/assets/xxxx?q=100")
        XCTAssertEqual(r.userAgent, "Amazon CloudFront")
    }

    func testIPv6InAnUnquotedChain() throws {
        let r = try request(try sampleLines("beats-nginx-test.log")[5])
        XCTAssertEqual(r.forwardedFor, "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17")
        XCTAssertEqual(r.clientAddress, "10.2.2.121")
        XCTAssertEqual(r.status, 404)
        XCTAssertEqual(r.bytes, 8571)
    }

    func testEmptyRequestIsKeptAsARequest() throws {
        let r = try request(try sampleLines("beats-nginx-test.log")[6])
        XCTAssertEqual(r.method, "")
        XCTAssertEqual(r.target, "")
        XCTAssertEqual(r.status, 400)
        XCTAssertEqual(r.utcOffsetMinutes, 120)
        XCTAssertNil(r.userAgent)
        let dash = try request(try sampleLines("lnav-logfile_access_log.1")[0])
        XCTAssertEqual(dash.clientAddress, "10.112.81.15")
        XCTAssertEqual(dash.status, 400)
    }

    func testHostPrefix() throws {
        let lines = try sampleLines("beats-nginx-access.log")
        let r = try request(try XCTUnwrap(lines.last))
        XCTAssertEqual(r.clientAddress, "192.168.0.1")
        XCTAssertNil(r.forwardedFor)
        XCTAssertEqual(r.status, 206)
        XCTAssertEqual(r.bytes, 7_648_063)
        XCTAssertEqual(r.utcOffsetMinutes, -420)
    }

    func testEveryRealLineParses() throws {
        for name in [
            "beats-nginx-test.log", "beats-nginx-access.log", "lnav-logfile_access_log.0", "lnav-logfile_access_log.1",
            "lnav-logfile_shop_access_log.0",
        ] {
            for (i, line) in try sampleLines(name).enumerated() {
                if case .failure(let m) = parse(line) { XCTFail("\(name):\(i + 1): \(m.reason)") }
            }
        }
    }

    func testShopLogOffsetAndTrailingField() throws {
        let r = try request(try sampleLines("lnav-logfile_shop_access_log.0")[1])
        XCTAssertEqual(r.clientAddress, "31.56.96.51")
        XCTAssertEqual(r.target, "/image/60844/productModel/200x200")
        XCTAssertEqual(r.utcOffsetMinutes, 210)
        XCTAssertEqual(r.timestampMs, 1_548_116_776_000)  // 22/Jan/2019:03:56:16 +0330
    }

    func testOtherFormatsAreRefusedForTheRightReason() throws {
        let w3c = try sampleLines("lnav-logfile_w3c_big.0")
        guard case .failure(let m) = parse(w3c[4]) else { return XCTFail("W3C must not parse as combined") }
        XCTAssertTrue(m.reason.contains("time"), m.reason)
        XCTAssertNil(LogFormats.detect(w3c.prefix(20).map { Array($0.utf8) }))
        XCTAssertNil(LogFormats.detect(try sampleLines("lnav-logfile_caddy_log.0").prefix(20).map { Array($0.utf8) }))
        XCTAssertNil(LogFormats.detect(try sampleLines("lnav-logfile_cloudflare.json").map { Array($0.utf8) }))
    }

    func testRequestTimeUserWithSpacesAndEscapes() throws {
        let r = try request(#"203.0.113.9 - evil user [29/Nov/2026:10:00:00 +0000] "GET /a\x22b?x=1 HTTP/1.1" 200 12 "-" "ua\x1B[2J" 0.042"#)
        XCTAssertEqual(r.remoteUser, "evil user")
        XCTAssertEqual(r.target, "/a\"b?x=1")
        XCTAssertEqual(r.userAgent, "ua\u{1B}[2J")
        XCTAssertEqual(r.latencyMicros, 42_000)
        let apache = try request(#"::1 - - [29/Nov/2026:10:00:00 +0000] "GET /q?s=\"x\" HTTP/1.0" 404 - "-" "-""#)
        XCTAssertEqual(apache.clientAddress, "::1")
        XCTAssertEqual(apache.target, "/q?s=\"x\"")
        XCTAssertEqual(apache.bytes, 0)
    }

    func testAForgedTimeInTheRemoteUserIsIgnored() throws {
        let r = try request(
            #"203.0.113.19 - ok [14/Oct/2026:02:00:00 +0000] \x22GET [29/Nov/2026:10:00:00 +0000] "GET /real HTTP/1.1" 200 5 "-" "x""#)
        XCTAssertEqual(r.timestampMs, 1_795_946_400_000, "the time before the request is the real one")
        XCTAssertEqual(r.target, "/real")
        XCTAssertEqual(r.remoteUser, #"ok [14/Oct/2026:02:00:00 +0000] "GET"#)
    }

    func testCommonFormatIsDetected() {
        let common = ["1.2.3.4 - - [29/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5"].map { Array($0.utf8) }
        XCTAssertEqual(LogFormats.detect(common)?.formatName, "common")
        let combined = ["1.2.3.4 - - [29/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\""].map { Array($0.utf8) }
        XCTAssertEqual(LogFormats.detect(combined)?.formatName, "combined")
    }

    func testMalformedShapesNeverCrash() {
        let shapes = [
            "", "[", "1.2.3.4 - - [", "1.2.3.4 - - [29/Nov/2026:10:00:00 +0000]", "1.2.3.4 - - [29/Nov/2026:10:00:00 +0000] \"GET /",
            "1.2.3.4 - - [29/Nov/2026:10:00:00 +0000] \"GET /\" abc 5", "1.2.3.4 - - [31/Feb/2026:10:00:00 +0000] \"GET /\" 200 5",
            "x [29/Nov/2026:10:00:00 +0000] \"GET /\" 200 5", String(repeating: "\"", count: 5000), "\\x\\x\\",
        ]
        for shape in shapes {
            if case .success(let r) = parse(shape) { XCTFail("\(shape.prefix(60)) parsed as \(r)") }
        }
    }
}
