import Foundation
import TourniquetTestSupport
import XCTest

/// Drills from the command line: a drill that follows the simulation's truth scores 100%; missing
/// an attacker or blocking an innocent shared address costs exactly what it should; and a drill
/// never touches a real gateway.
final class DrillTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-drill")
    private var casePath: String { dir.file("drill.tq") }
    private let environment = ["TOURNIQUET_PLAYBOOKS": TestPaths.repoRoot.appendingPathComponent("playbooks").path]

    @discardableResult
    private func run(_ arguments: String...) throws -> ProcessResult {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments + ["--actor", "drill-lead"], environment: environment)
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stdout) \(result.stderr)")
        return result
    }

    private func truth() throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: casePath + ".incident/truth.json"))) as? [String: Any])
    }

    private func score() throws -> [String: Any] {
        let result = try run("drill", "score", casePath, "--json")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    private func kind(_ score: [String: Any], _ name: String) -> [String: Any] {
        (score["kinds"] as? [[String: Any]] ?? []).first { $0["name"] as? String == name } ?? [:]
    }

    /// Blocks each address and revokes each account the truth names (overriding a guard where scope
    /// did not name one), as a perfect responder would.
    private func followTheTruth(skipping skipped: String? = nil) throws -> (ips: [String], accounts: [String]) {
        let truth = try self.truth()
        let ips = ((truth["attackers"] as? [String: Any])?["ips"] as? [String] ?? []).sorted()
        let accounts = (truth["accounts"] as? [String: Any])?["compromised"] as? [String] ?? []
        for ip in ips where ip != skipped {
            try run("contain", casePath, "block-ip", ip, "--reason", "in the truth", "--force", "the drill's answer key names it")
        }
        for account in accounts { try run("contain", casePath, "revoke-token", "--subject", account, "--reason", "taken over") }
        return (ips, accounts)
    }

    func testADrillThatFollowsTheTruthScoresFull() throws {
        let started = try run("drill", "start", "credential-stuffing", "--seed", "7", "--case", casePath, "--no-console")
        XCTAssertTrue(started.stdout.contains("▶ sources [question]"), started.stdout)
        let before = try score()
        XCTAssertEqual(before["overall"] as? Double, 0)
        XCTAssertEqual((before["leakage"] as? [String: Any])?["stopped"] as? Int, 0)

        let (ips, accounts) = try followTheTruth()
        XCTAssertFalse(ips.isEmpty)
        let after = try score()
        XCTAssertEqual(after["overall"] as? Double, 1, "\(after)")
        XCTAssertEqual(kind(after, "addresses")["recall"] as? Double, 1)
        XCTAssertEqual(kind(after, "addresses")["precision"] as? Double, 1)
        XCTAssertEqual(kind(after, "accounts")["recall"] as? Double, 1)
        XCTAssertEqual(kind(after, "accounts")["named"] as? Int, accounts.count)
        XCTAssertEqual((after["leakage"] as? [String: Any])?["let_through"] as? Int, 0)

        let timeline = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["timeline", casePath], environment: environment)
        XCTAssertEqual(timeline.stdout.components(separatedBy: "drill.scored").count - 1, 2, "each score is recorded")
    }

    func testAMissedAttackerAndABlockedSharedAddressCostWhatTheyShould() throws {
        try run("drill", "start", "credential-stuffing", "--seed", "7", "--case", casePath, "--no-console")
        let ips = ((try truth()["attackers"] as? [String: Any])?["ips"] as? [String] ?? []).sorted()
        _ = try followTheTruth(skipping: ips[0])
        let missed = try score()
        XCTAssertEqual(kind(missed, "addresses")["recall"] as? Double ?? 0, Double(ips.count - 1) / Double(ips.count), accuracy: 0.0001)
        XCTAssertEqual(kind(missed, "addresses")["missed"] as? [String], [ips[0]])
        XCTAssertGreaterThan((missed["leakage"] as? [String: Any])?["let_through"] as? Int ?? 0, 0, "the missed source's requests get through")

        // A decoy: an innocent shared address. The guard refuses it; forcing it costs precision and collateral.
        let decoy = try XCTUnwrap(((try truth()["decoys"] as? [String: Any])?["ips"] as? [String])?.first { !$0.hasPrefix("10.") })
        let refused = try ProcessRunner.run(
            TestPaths.executable("tourniquet"), ["contain", casePath, "block-ip", decoy, "--reason", "looked busy", "--actor", "drill-lead"],
            environment: environment)
        XCTAssertEqual(refused.status, 1, "the guard refuses a source scope did not name")
        try run("contain", casePath, "block-ip", decoy, "--reason", "looked busy", "--force", "blocking it anyway")
        let wrong = try score()
        XCTAssertEqual(kind(wrong, "addresses")["precision"] as? Double ?? 0, Double(ips.count - 1) / Double(ips.count), accuracy: 0.0001)
        XCTAssertEqual(kind(wrong, "addresses")["wrong"] as? [String], [decoy + "/32"])
        XCTAssertEqual((wrong["collateral"] as? [String: Any])?["decoys_hit"] as? [String], [decoy])
        XCTAssertGreaterThan(
            (wrong["collateral"] as? [String: Any])?["benign_requests"] as? Int ?? 0,
            (missed["collateral"] as? [String: Any])?["benign_requests"] as? Int ?? 0)
        XCTAssertLessThan(wrong["overall"] as? Double ?? 1, missed["overall"] as? Double ?? 0)
    }

    func testADrillNeverTouchesARealGateway() throws {
        try run("drill", "start", "credential-stuffing", "--seed", "7", "--case", casePath, "--no-console")
        try run("contain", casePath, "block-ip", "203.0.113.7", "--reason", "rehearsal", "--force", "not in the evidence")
        let live = try ProcessRunner.run(
            TestPaths.executable("tourniquet"),
            ["apply", casePath, "--gateway", "kong", "--admin-url", "http://127.0.0.1:9", "--reason", "rehearse", "--actor", "drill-lead"],
            environment: environment)
        XCTAssertEqual(live.status, 1)
        XCTAssertTrue(live.stderr.contains("a drill never touches a real gateway"), live.stderr)
        // Or rehearsed on a throw-away nginx, started for the apply, checked, and stopped after it.
        try TestPaths.require(FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx"), "nginx (nginx-light)")
        let scratch = try run("apply", casePath, "--gateway", "nginx", "--drill-nginx", "--reason", "rehearse on a real nginx")
        XCTAssertTrue(scratch.stdout.contains("checked: nginx -T includes tourniquet-http.conf as written"), scratch.stdout)
        let pid = casePath + ".incident/nginx/logs/nginx.pid"
        for _ in 0..<30 where FileManager.default.fileExists(atPath: pid) { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: pid), "the throw-away nginx is stopped after the apply")
        let list = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["contain", casePath, "list"], environment: environment)
        XCTAssertTrue(list.stdout.contains("verified"), list.stdout)
        try FileManager.default.createDirectory(atPath: dir.file("deck"), withIntermediateDirectories: true)
        try run("apply", casePath, "--gateway", "kong", "--out", dir.file("deck"), "--reason", "rehearse with files")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.file("deck/tourniquet-kong.yaml")))
    }

    /// A closed real case replayed as a drill: repeating its responders' own actions scores 100%,
    /// and only a closed case can be replayed.
    func testAReplayedCaseScoresItsOwnActionsAsFull() throws {
        let incident = dir.file("incident")
        let simulated = try ProcessRunner.run(
            TestPaths.executable("tourniquet"), ["simulate", incident, "--seed", "3", "--scenario", "credential-stuffing"], environment: environment)
        XCTAssertEqual(simulated.status, 0, simulated.stderr)
        let real = dir.file("real.tq")
        try run("new", real, "--title", "a real incident")
        try run("ingest", real, incident + "/access.log")
        let report = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["scope", real, "--json"], environment: environment)
        let scope = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let ips = Array(((scope["attackers"] as? [String: Any])?["ips"] as? [String] ?? []).prefix(4))
        let accounts = (scope["accounts"] as? [String: Any])?["compromised"] as? [String] ?? []
        XCTAssertEqual(ips.count, 4)
        func respond(on path: String) throws {
            for ip in ips { try run("contain", path, "block-ip", ip, "--reason", "campaign source") }
            for account in accounts { try run("contain", path, "revoke-token", "--subject", account, "--reason", "taken over") }
        }
        try respond(on: real)
        let open = try ProcessRunner.run(
            TestPaths.executable("tourniquet"), ["drill", "replay", real, "--as-drill", dir.file("early.tq"), "--actor", "x"],
            environment: environment)
        XCTAssertEqual(open.status, 1)
        XCTAssertTrue(open.stderr.contains("only a closed case is replayed"), open.stderr)
        try run("case", "status", real, "closed", "--reason", "contained and notified")

        let drill = dir.file("replay.tq")
        let replayed = try run("drill", "replay", real, "--as-drill", drill)
        XCTAssertTrue(
            replayed.stdout.contains("answer key: 4 blocked or confirmed address ranges, 0 clients, \(accounts.count) accounts"), replayed.stdout)
        try respond(on: drill)
        let scored = try run("drill", "score", drill, "--json")
        let score = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scored.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(score["overall"] as? Double, 1, "\(score)")
    }

    /// A drill's clock can run fast, so a 72-hour deadline is rehearsed in minutes: every action is
    /// stamped in drill time, and the countdown follows it.
    func testASpedUpDrillStampsAndCountsInDrillTime() throws {
        try run("drill", "start", "credential-stuffing", "--seed", "7", "--case", casePath, "--no-console", "--speed", "600")
        try run("notify", "clock", casePath, "awareness", "--reason", "the drill's page")
        try run("notify", "open", casePath, "gdpr-art33", "--reason", "EU accounts")
        Thread.sleep(forTimeInterval: 1.5)
        try run("note", casePath, "fifteen drill minutes later")
        let timeline = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["timeline", casePath, "--json"], environment: environment)
        let actions = try XCTUnwrap(
            (JSONSerialization.jsonObject(with: Data(timeline.stdout.utf8)) as? [String: Any])?["actions"] as? [[String: Any]])
        func ms(_ kind: String) -> Int64? {
            (actions.last { $0["kind"] as? String == kind }?["at"] as? String).flatMap { text in
                ISO8601DateFormatter.withFractions.date(from: text).map { Int64($0.timeIntervalSince1970 * 1000) }
            }
        }
        let clock = try XCTUnwrap(ms("notification.clock"))
        let note = try XCTUnwrap(ms("note"))
        XCTAssertGreaterThanOrEqual(note - clock, 600 * 1_000, "1.5 s of wall time is at least 10 minutes of drill time")
        XCTAssertTrue(actions.contains { $0["kind"] as? String == "drill.clock" })
    }
}

extension ISO8601DateFormatter {
    fileprivate static let withFractions: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
