import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetModel
import TourniquetStore
import TourniquetTestSupport
import XCTest

/// The engine in process, without the binary: a test clock and test ids make every time, id and
/// hash of a run the same each time.
final class CaseEngineTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var engine: CaseEngine!

    override func setUpWithError() throws {
        directory = TemporaryDirectory("tourniquet-engine")
        let context = CommandContext(actor: "alice", clock: .test())
        engine = try CaseEngine.createCase(
            at: directory.file("e.case"), title: "engine test", severity: .high, detectedAtMs: nil, isDrill: false,
            context: context, ids: .test())
    }

    override func tearDown() {
        engine = nil
        directory = nil
    }

    /// Executes a command that records exactly one action, and returns it.
    @discardableResult
    private func record(_ command: CaseCommand) throws -> Action {
        guard case .recorded(let action) = try engine.execute(command) else { throw Unexpected("\(command) recorded no action") }
        return action
    }

    private struct Unexpected: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    func testNotesAndCorrectionsFollowTheClockAndChain() throws {
        let note = try record(.note(text: "paged by the 401 alert", corrects: nil))
        let correction = try record(.note(text: "it was the 403 alert", corrects: note.id))
        XCTAssertEqual(note.id, 2)
        XCTAssertEqual(correction.kind, "correction")
        XCTAssertEqual(correction.target, "action:2")
        XCTAssertEqual(correction.prevHash, note.hash)
        XCTAssertLessThan(note.at, correction.at, "each action reads the injected clock once")
        XCTAssertThrowsError(try engine.execute(.note(text: "fixes nothing", corrects: 99))) { error in
            XCTAssertTrue("\(error)".contains("there is no action #99"), "\(error)")
        }
        XCTAssertTrue(try engine.caseFile.verify().isIntact)
    }

    func testTheSameRunGivesTheSameHashes() throws {
        let first = try record(.note(text: "one", corrects: nil))
        let other = TemporaryDirectory("tourniquet-engine")
        let again = try CaseEngine.createCase(
            at: other.file("e.case"), title: "engine test", severity: .high, detectedAtMs: nil, isDrill: false,
            context: CommandContext(actor: "alice", clock: .test()), ids: .test())
        XCTAssertEqual(try again.execute(.note(text: "one", corrects: nil)).action?.hash, first.hash)
    }

    func testVerdictsNeedARationaleAndAFinding() throws {
        XCTAssertThrowsError(try engine.execute(.setFindingState(id: "F-0000000000", state: .new, rationale: "why")))
        XCTAssertThrowsError(try engine.execute(.setFindingState(id: "F-0000000000", state: .confirmed, rationale: "  ")))
        XCTAssertThrowsError(try engine.execute(.setFindingState(id: "F-0000000000", state: .confirmed, rationale: "seen it"))) { error in
            XCTAssertTrue("\(error)".contains("F-0000000000"), "\(error)")
        }
        XCTAssertEqual(try engine.caseFile.actions().count, 1, "a refused command records nothing")
    }

    func testAllowlistChangesAreRecordedAndReplayedByVerify() throws {
        let office = try XCTUnwrap(Allowlist.Entry.parse("198.51.100.0/24"))
        try engine.execute(.changeAllowlist(add: true, entry: office, rationale: "the office NAT"))
        XCTAssertTrue(try engine.caseFile.allowlist().allows(ip: "198.51.100.7"))
        try engine.execute(.changeAllowlist(add: false, entry: office, rationale: "moved offices"))
        XCTAssertFalse(try engine.caseFile.allowlist().allows(ip: "198.51.100.7"))
        XCTAssertEqual(try engine.caseFile.actions().filter { $0.kind == "allowlist.changed" }.count, 2)
        XCTAssertTrue(try engine.caseFile.verify().isIntact)
    }

    func testIngestInProcessThenTheSameFileIsADuplicate() throws {
        let log = directory.file("access.log")
        let lines = (0..<50).map { i in
            "203.0.113.\(i % 5) - - [29/Nov/2025:08:\(String(format: "%02d", i)):00 +0000] \"GET /v1/orders/\(1000 + i) HTTP/1.1\" 200 512 \"-\" \"curl/8\""
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let command = CaseCommand.ingest(path: log, format: nil, openAPISpec: nil, rationale: "")
        guard case .ingested(.imported(let record, let action)) = try engine.execute(command) else {
            return XCTFail("the first import is not a duplicate")
        }
        XCTAssertEqual(record.parsed, 50)
        XCTAssertEqual(record.malformed, 0)
        XCTAssertEqual(record.format, "combined")
        XCTAssertEqual(action.kind, "evidence.ingested")
        guard case .ingested(.duplicate(_, let existing)) = try engine.execute(command) else {
            return XCTFail("the same bytes again are a duplicate")
        }
        XCTAssertEqual(existing.id, record.id)
        XCTAssertTrue(try engine.caseFile.verify(deep: true).isIntact)
    }

    /// A log whose requests all came through one proxy, which put the client in X-Forwarded-For.
    private func proxiedLog() throws -> String {
        let log = directory.file("proxied.log")
        let lines = (0..<20).map { i in
            #"{"@timestamp":"2025-11-29T08:00:\#(String(format: "%02d", i)).000Z","source":{"ip":"10.0.0.5"},"#
                + #""http":{"request":{"method":"GET","headers":{"x-forwarded-for":"198.51.100.\#(i % 4)"}},"response":{"status_code":200}},"#
                + #""url":{"path":"/v1/items/\#(i)"}}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        return log
    }

    func testSettingsAreKeptInTheCaseAndUsedByLaterIngests() throws {
        XCTAssertEqual(try engine.caseFile.settings(), .defaults)
        var settings = CaseSettings.defaults
        settings.trustedProxies = ["10.0.0.0/8"]
        let action = try record(.changeSettings(settings, rationale: "the load balancers"))
        XCTAssertEqual(action.kind, "settings.changed")
        XCTAssertEqual(try engine.caseFile.settings(), settings)

        // An ingest that names no proxies (as the console's does) still believes the stored one.
        try engine.execute(.ingest(path: try proxiedLog(), format: nil, openAPISpec: nil, rationale: ""))
        let clients = try engine.caseFile.dictionary(kind: .ip).values.sorted()
        XCTAssertEqual(clients, ["198.51.100.0", "198.51.100.1", "198.51.100.2", "198.51.100.3"], "the proxy's address is not the client's")
        XCTAssertTrue(try engine.caseFile.verify().isIntact)
    }

    func testSettingsNoRunCouldUseAreRefusedAndRecordNothing() throws {
        XCTAssertThrowsError(try engine.execute(.changeSettings(CaseSettings(trustedProxies: ["not-an-address"]), rationale: "typo")))
        XCTAssertThrowsError(try engine.execute(.changeSettings(CaseSettings(detectorConfig: #"{"scraping": {"enabled": "yes"}}"#), rationale: "")))
        XCTAssertThrowsError(try engine.execute(.changeSettings(CaseSettings(geoIPDatabase: directory.file("missing.mmdb")), rationale: "")))
        XCTAssertEqual(try engine.caseFile.actions().count, 1)
    }

    func testScopeRunsWithTheStoredDetectorConfiguration() throws {
        try engine.execute(.ingest(path: try proxiedLog(), format: nil, openAPISpec: nil, rationale: ""))
        guard case .scoped(let before, let run) = try engine.execute(.runScope(fromMs: nil, toMs: nil)) else { return XCTFail("no report") }
        XCTAssertEqual(run.kind, "scope.run")
        XCTAssertEqual(before.skipped.map(\.reason), ["no GeoIP database given (--geoip FILE.mmdb)"])

        var config = try XCTUnwrap(JSONValue(parsing: DetectorDefaults.json))
        guard case .object(var sections) = config, case .object(var geo)? = sections["geo_anomaly"] else { return XCTFail("defaults") }
        geo.members = geo.members.map { $0.key == "enabled" ? ("enabled", .bool(false)) : $0 }
        sections.members = sections.members.map { $0.key == "geo_anomaly" ? ("geo_anomaly", .object(geo)) : $0 }
        config = .object(sections)
        try record(.changeSettings(CaseSettings(detectorConfig: config.canonicalJSON, detectorConfigPath: "tuned.json"), rationale: "no geo"))
        guard case .scoped(let after, _) = try engine.execute(.runScope(fromMs: nil, toMs: nil)) else { return XCTFail("no report") }
        XCTAssertEqual(after.skipped.map(\.reason), ["disabled in the detector configuration"], "the stored configuration was used")
    }
}
