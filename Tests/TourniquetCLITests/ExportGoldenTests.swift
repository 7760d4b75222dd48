import Foundation
import TourniquetEngine
import TourniquetExport
import TourniquetModel
import TourniquetResponse
import TourniquetSimulation
import TourniquetTestSupport
import XCTest

/// Every export format of the demo incident, worked through a response (verdicts, containment
/// applied, a playbook, a notification, the case contained, the drill scored), against golden
/// files in `Tests/Fixtures/export`. The case is built in-process on a test clock with fixed ids,
/// so it is the same case every run. Set GOLDEN_RECORD=1 to rewrite them (and read the diff).
final class ExportGoldenTests: XCTestCase {
    private static let dir = TemporaryDirectory("tourniquet-export-golden")
    private static let library = ResponseLibrary.load(extra: [TestPaths.repoRoot.appendingPathComponent("playbooks").path])
    /// The demo case, built once for every test here.
    private static let built: Result<(engine: CaseEngine, path: String), Error> = Result { try buildDemoResponse() }

    /// Paths are recorded as given, and hashed into the chain: the case is built from inside its
    /// directory with relative paths, so the chain is the same wherever the directory is.
    private static func buildDemoResponse() throws -> (engine: CaseEngine, path: String) {
        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(dir.path) else { throw RefusedRequest("cannot enter \(dir.path)") }
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        let spec = SimulationSpec(seed: 2026, format: "combined", lines: 20_000)
        let written = try IncidentFiles.write(spec, to: "demo.incident", overwrite: false)
        // The simulated log runs 2026-11-29 08:00 to 14:00 UTC; the response starts at 14:30.
        let clock = WallClock.test(startMs: 1_795_962_600_000, stepMs: 1000)
        let engine = try CaseEngine.createCase(
            at: "demo.tq", title: "Demo: credential stuffing, object walking and a leaked partner key", severity: .high,
            detectedAtMs: 1_795_946_400_000, isDrill: true, context: CommandContext(actor: "alice", clock: clock), ids: .test())
        try engine.execute(.note(text: "Paged by the gateway's 401-rate alert on POST /v1/login.", corrects: nil))
        try engine.execute(.ingest(path: written.log, format: nil, openAPISpec: written.openAPI, rationale: "gateway access log"))
        guard case .scoped(let report, _) = try engine.execute(.runScope(fromMs: nil, toMs: nil)) else { throw RefusedRequest("no scope") }
        for finding in report.findings.prefix(3) {
            try engine.execute(.setFindingState(id: finding.id, state: .confirmed, rationale: "matches the 401 alert"))
        }
        if let benign = report.findings.last {
            try engine.execute(.setFindingState(id: benign.id, state: .dismissed, rationale: "the partner's nightly sync"))
        }
        for ip in report.attackerIPs.prefix(2) {
            guard let network = CIDR(ip) else { continue }
            try engine.execute(.planContainment(.blockAddress(network: network, expiresAtMs: nil), reason: "stuffing source", force: nil))
        }
        try engine.execute(
            .planContainment(
                .disableEndpoint(method: "GET", route: "/v1/internal/export", status: 410, message: nil), reason: "undocumented export",
                force: nil))
        try FileManager.default.createDirectory(atPath: "aws", withIntermediateDirectories: true)
        try engine.execute(
            .applyContainment(
                .aws(
                    AWSTarget(
                        outDir: "aws", scope: "REGIONAL", region: "eu-west-1", ipv4Set: "tourniquet-v4:0c1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8",
                        ipv6Set: "tourniquet-v6:1c1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8")), reason: "block at the edge"))
        try engine.execute(.setNotificationClock(name: "awareness", atMs: nil, reason: "the takeovers are confirmed"))
        try engine.execute(.openObligation(regime: "gdpr-art33", reason: "EU customers' accounts were taken over"))
        try engine.execute(.markObligation(regime: "gdpr-art33", state: .drafted, reason: "draft with the DPO"))
        let playbook = try library.playbook("credential-stuffing")
        try engine.execute(.startPlaybook(playbook.playbook, digest: playbook.digest, reason: "fits the findings"))
        try engine.execute(.recordPlaybookStep(playbook.playbook, step: "sources", outcome: .done, reason: "41 sources named by scope", force: nil))
        try engine.execute(.changeCaseStatus(.contained, reason: "the sources are blocked"))
        try engine.execute(.importGateway(path: written.deck, kind: nil, rationale: "the gateway's decK state"))
        try engine.execute(.runReview)
        try engine.execute(.answerReview(item: "pkce", state: .pass, reason: "the IdP requires PKCE for the partner portal"))
        try engine.execute(.scoreDrill(truthJSON: try String(contentsOfFile: written.truth, encoding: .utf8), deadlines: [:]))
        return (engine, dir.file("demo.tq"))
    }

    private func report(since: Int64? = nil, until: Int64? = nil) throws -> IncidentReport {
        let (engine, _) = try Self.built.get()
        return try CaseEngine.report(of: engine.caseFile, library: Self.library, sinceMs: since, untilMs: until)
    }

    /// The temporary directory differs each run; the goldens say `$DIR`.
    private func normalised(_ text: String) -> String { text.replacingOccurrences(of: Self.dir.path, with: "$DIR") }

    static let goldens: [(file: String, format: ExportFormat, path: String?)] = [
        ("demo.md", .md, nil), ("demo.html", .html, nil), ("demo.json", .json, nil), ("demo.csv", .csv, nil),
        ("demo.timesketch.jsonl", .timesketch, nil), ("demo.timesketch.csv", .timesketch, "out.csv"), ("demo.iris.csv", .iris, nil),
    ]

    func testEveryFormatMatchesItsGoldenFile() throws {
        let report = try self.report()
        let record = ProcessInfo.processInfo.environment["GOLDEN_RECORD"] == "1"
        for golden in Self.goldens {
            let url = TestPaths.fixtures.appendingPathComponent("export/" + golden.file)
            let text = normalised(golden.format.render(report, path: golden.path))
            if record {
                try text.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            if text != expected {
                let lines = (text.components(separatedBy: "\n"), expected.components(separatedBy: "\n"))
                let first = zip(lines.0, lines.1).enumerated().first { $0.element.0 != $0.element.1 }
                XCTFail(
                    "\(golden.file) differs from its golden file at line \((first?.offset ?? min(lines.0.count, lines.1.count)) + 1): "
                        + "\(first.map { "got \($0.element.0.prefix(200)), expected \($0.element.1.prefix(200))" } ?? "lengths differ"); "
                        + "GOLDEN_RECORD=1 rewrites it")
            }
        }
    }

    func testTheReportSaysWhatTheResponseDid() throws {
        let md = MarkdownReport.render(try report())
        for section in [
            "## Summary", "## Scope", "## Containment", "## Notifications", "## Playbooks", "## Review", "## Open items", "## Evidence",
            "## Drill score",
            "## Timeline", "## Integrity",
        ] {
            XCTAssertTrue(md.contains(section + "\n"), "missing \(section)")
        }
        XCTAssertTrue(md.contains("| **Status** | **contained** |"), "the status comes from the actions")
        XCTAssertTrue(md.contains("disable GET /v1/internal/export with 410"))
        XCTAssertTrue(md.contains("**Verification: intact.**"))
        XCTAssertTrue(
            md.contains("Notification ` gdpr-art33 ` is drafted; notification due"),
            md.components(separatedBy: "## Open items")[1].prefix(800).description)
        let head = try Self.built.get().engine.caseFile.verify().headHash
        XCTAssertTrue(md.contains(head), "the chain head is in the report")
        let (engine, _) = try Self.built.get()
        let evidence = try XCTUnwrap(try engine.caseFile.evidence().first)
        XCTAssertTrue(md.contains(evidence.sha256), "the evidence hash is in the report")
    }

    /// The same case renders to the same bytes, every format.
    func testTheSameCaseGivesTheSameBytes() throws {
        let first = try report()
        let second = try report()
        for format in ExportFormat.allCases {
            XCTAssertEqual(format.render(first, path: nil), format.render(second, path: nil), format.rawValue)
        }
    }

    func testSinceAndUntilLimitTheTimeline() throws {
        let whole = try report().events
        XCTAssertGreaterThan(whole.count, 20)
        let middle = whole[whole.count / 2].atMs
        let later = try report(since: middle).events
        XCTAssertTrue(later.allSatisfy { $0.atMs >= middle })
        XCTAssertEqual(later.count, whole.filter { $0.atMs >= middle }.count)
        let earlier = try report(until: middle).events
        XCTAssertTrue(earlier.allSatisfy { $0.atMs <= middle })
        let csv = TimelineFormats.csv(try report(since: middle, until: middle))
        XCTAssertEqual(csv.components(separatedBy: "\r\n").count - 2, whole.filter { $0.atMs == middle }.count, "a header, then one row per event")
    }

    /// Timesketch needs message, datetime, timestamp and timestamp_desc on every event; DFIR-IRIS
    /// its ten columns, with `event_date` as `%Y-%m-%dT%H:%M:%S.%f`.
    func testTimesketchAndIrisExportsCarryTheRequiredFields() throws {
        let report = try self.report()
        let lines = TimelineFormats.timesketchJSONL(report).split(separator: "\n")
        XCTAssertEqual(lines.count, report.events.count)
        let datetime = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$"#)
        for line in lines {
            let event = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertFalse((event["message"] as? String ?? "").isEmpty)
            let text = try XCTUnwrap(event["datetime"] as? String)
            XCTAssertNotNil(datetime.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), text)
            let micros = try XCTUnwrap(event["timestamp"] as? Int64)
            XCTAssertEqual(micros % 1000, 0)
            XCTAssertEqual(UTCTime.format(ms: micros / 1000).dropLast(), text.prefix(23), "timestamp and datetime are the same instant")
            XCTAssertFalse((event["timestamp_desc"] as? String ?? "").isEmpty)
        }
        let tsCSV = TimelineFormats.timesketchCSV(report)
        XCTAssertTrue(tsCSV.hasPrefix("message,datetime,timestamp,timestamp_desc,"))
        let iris = TimelineFormats.iris(report).components(separatedBy: "\r\n")
        XCTAssertEqual(
            iris[0], "event_date,event_tz,event_title,event_category,event_content,event_raw,event_source,event_assets,event_iocs,event_tags")
        let date = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6},\+00:00,"#)
        for row in iris.dropFirst() where !row.isEmpty {
            XCTAssertNotNil(date.firstMatch(in: row, range: NSRange(row.startIndex..., in: row)), String(row.prefix(80)))
        }
    }
}
