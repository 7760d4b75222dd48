import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetStore
import TourniquetTestSupport
import XCTest

/// A drill-down reaches every request of a subject with true counts, and its filter runs in the
/// database over all of them, not over the first page.
final class RequestPageTests: XCTestCase {
    func testPagesAndFiltersReachEveryRequest() throws {
        let directory = TemporaryDirectory("tourniquet-pages")
        let engine = try CaseEngine.createCase(
            at: directory.file("p.case"), title: "pages", severity: .low, detectedAtMs: nil, isDrill: false,
            context: CommandContext(actor: "alice", clock: .test()), ids: .test())
        // 12,000 requests from one address: every third a 401 on /v1/login, the rest orders, a
        // hundred of them to /admin with curl.
        var lines: [String] = []
        for i in 0..<12_000 {
            let second = String(format: "%02d:%02d:%02d", 8 + i / 3600, i / 60 % 60, i % 60)
            let (method, path, status) = i % 3 == 0 ? ("POST", "/v1/login", 401) : ("GET", "/v1/orders/\(1000 + i)", 200)
            let admin = i % 120 == 1
            lines.append(
                "203.0.113.9 - - [29/Nov/2025:\(second) +0000] \"\(method) \(admin ? "/admin/users" : path) HTTP/1.1\" \(status) 99 \"-\" \"\(admin ? "curl/8.4" : "okhttp/4")\""
            )
        }
        lines.append("198.51.100.1 - - [29/Nov/2025:08:00:00 +0000] \"GET /v1/orders/1 HTTP/1.1\" 200 99 \"-\" \"okhttp/4\"")
        let log = directory.file("access.log")
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        try engine.execute(.ingest(path: log, format: nil, openAPISpec: nil, rationale: ""))
        let file = engine.caseFile

        let first = try file.requestPage(of: .ip, value: "203.0.113.9", limit: 5_000)
        XCTAssertEqual(first.total, 12_000, "the true count, not the page size")
        XCTAssertEqual(first.matching, 12_000)
        XCTAssertEqual(first.requests.count, 5_000)
        let last = try file.requestPage(of: .ip, value: "203.0.113.9", skip: 10_000, limit: 5_000)
        XCTAssertEqual(last.first, 10_000)
        XCTAssertEqual(last.requests.count, 2_000)
        XCTAssertEqual(Set(first.requests.map(\.id)).intersection(last.requests.map(\.id)), [])

        let failures = try file.requestPage(of: .ip, value: "203.0.113.9", filter: RequestFilter.parse("status=401"), limit: 5_000)
        XCTAssertEqual(failures.matching, 4_000)
        XCTAssertTrue(failures.requests.allSatisfy { $0.status == 401 })
        XCTAssertEqual(try file.requestPage(of: .ip, value: "203.0.113.9", filter: RequestFilter.parse("status=4xx method=POST")).matching, 4_000)
        let admin = try file.requestPage(of: .ip, value: "203.0.113.9", filter: RequestFilter.parse("path~/ADMIN ua~curl"))
        XCTAssertEqual(admin.matching, 100)
        XCTAssertEqual(try file.requestPage(of: .ip, value: "203.0.113.9", filter: RequestFilter.parse("curl")).matching, 100)
        XCTAssertEqual(try file.requestPage(of: .ip, value: "203.0.113.9", filter: RequestFilter.parse("ip=198.51.100.1")).matching, 0)
        XCTAssertEqual(try file.requestPage(of: .ip, value: "nobody").total, 0)
        // Hostile filter text is a parameter, never SQL.
        XCTAssertEqual(try file.requestPage(of: .ip, value: "203.0.113.9", filter: RequestFilter.parse("')--;DROP")).matching, 0)
        XCTAssertThrowsError(try RequestFilter.parse("status=abc"))
    }
}
