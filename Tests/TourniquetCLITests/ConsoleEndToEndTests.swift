import Foundation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// The first hour of a response on the demo incident, driven through the real binary under tmux.
final class ConsoleEndToEndTests: XCTestCase {
    private func demoCase() throws -> (TemporaryDirectory, String) {
        try TestPaths.require(TestPaths.which("tmux") != nil, "tmux")
        let dir = TemporaryDirectory("tourniquet-console")
        let path = dir.file("demo.case")
        let built = try ProcessRunner.tourniquet("demo", "--case", path, "--no-console", "--actor", "alice")
        XCTAssertEqual(built.status, 0, built.stderr)
        return (dir, path)
    }

    private func console(_ path: String, term: String = "xterm-256color", columns: Int = 100, rows: Int = 30) throws -> TmuxSession {
        try TmuxSession(
            "env TERM=\(term) TOURNIQUET_ACTOR=alice '\(TestPaths.executable("tourniquet"))' open '\(path)'", columns: columns, rows: rows)
    }

    func testTheFirstHourOfAResponse() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        let tmux = try console(path)
        tmux.waitFor("ready: ? shows every key")
        // The demo's truth: three accounts taken over ("0 compromised accounts" must not pass).
        tmux.waitFor("3 compromised accounts")
        tmux.send("3")
        tmux.waitFor("bola-enumeration")
        // Inspect a finding: drill into the walker's requests and filter them.
        tmux.send("Enter")
        tmux.waitFor("REQUESTS of client mallory")
        tmux.waitFor("/v1/orders/")
        tmux.send("/")
        tmux.type("status=404")
        tmux.send("Enter")
        // The filter ran over every request of the subject, in the database.
        tmux.waitFor("matching status=404")
        XCTAssertFalse(tmux.capture().split(separator: "\n").contains { $0.contains("/v1/orders/") && $0.contains(" 200 ") }, "only 404s are listed")
        tmux.send("Escape")
        tmux.waitFor("severity  detector")
        // Confirm it with a typed rationale.
        tmux.send("c")
        tmux.waitFor("because:")
        tmux.type("walked 400 order ids it does not own")
        tmux.send("Enter")
        tmux.waitFor("finding.confirmed")
        tmux.waitFor("confirmed  critical")
        // A note, then both in the timeline.
        tmux.send("4", "n")
        tmux.waitFor("note:")
        tmux.type("blocked mallory and the stuffing pool at the edge")
        tmux.send("Enter")
        let timeline = tmux.waitFor("blocked mallory and the stuffing pool")
        XCTAssertTrue(timeline.contains("walked 400 order ids"), timeline)
        tmux.send("v")
        tmux.waitFor("chain intact")
        // Ingest another file from the Evidence screen; the console keeps drawing meanwhile.
        let extra = (path as NSString).deletingLastPathComponent + "/extra.log"
        try (IngestFormatTests.lines["combined"]! + "\n").write(toFile: extra, atomically: true, encoding: .utf8)
        tmux.send("2", "i")
        tmux.waitFor("ingest file (path):")
        tmux.type(extra)
        tmux.send("Enter")
        tmux.waitFor("imported \(extra)")
        tmux.send("q")
        XCTAssertTrue(tmux.waitUntilDead(), "q quits")

        let actions = try CaseFile.openReadOnly(at: path).actions()
        let confirmed = try XCTUnwrap(actions.first { $0.kind == "finding.confirmed" })
        XCTAssertEqual(confirmed.rationale, "walked 400 order ids it does not own")
        XCTAssertEqual(confirmed.actor, "alice")
        XCTAssertTrue(actions.contains { $0.kind == "note" && $0.rationale == "blocked mallory and the stuffing pool at the edge" })
        XCTAssertTrue(try CaseFile.openReadOnly(at: path).verify().isIntact)
    }

    /// Containment from the keyboard: `b` on an attacker source previews what it stops, asks for a
    /// reason and records the same measure as `tourniquet contain`; screen 5 lists it and undoes it.
    /// The review from the console: run it, read an item's evidence, answer a manual item, and
    /// export the report with the answer in it, all through the real binary.
    func testReviewAndExportFromTheConsole() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        let tmux = try console(path)
        tmux.waitFor("ready: ? shows every key")
        tmux.send("8")
        tmux.waitFor("The hardening review has not been run")
        tmux.send("r")
        tmux.waitFor("review recorded")
        tmux.waitFor("[fail]     object-authorization")
        // Down past the automated items to the first manual one, pkce, then answer it.
        for _ in 0..<19 { tmux.send("Down") }
        tmux.waitFor("pkce [API2:2023]")
        tmux.send("p")
        tmux.waitFor("pkce pass because:")
        tmux.type("the IdP requires PKCE for every public client")
        tmux.send("Enter")
        tmux.waitFor("(review.answered)")
        tmux.waitFor("answered pass by alice: the IdP requires PKCE")
        // Export from the Timeline screen; the file's name picks the format.
        let report = directory.file("report.md")
        tmux.send("4", "e")
        tmux.waitFor("export to file")
        tmux.type(report)
        tmux.send("Enter")
        tmux.waitFor("exported \(report)")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(text.contains("## Review") && text.contains("the IdP requires PKCE for every public client"))
    }

    func testBlockingASourceFromTheConsole() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        let tmux = try console(path, columns: 120, rows: 32)
        tmux.waitFor("ready: ? shows every key")
        tmux.send("3", "s")
        tmux.waitFor("attacker source")
        tmux.send("b")
        tmux.waitFor("of them attackers'")
        tmux.type("named by scope, stuffing pool")
        tmux.send("Enter")
        tmux.waitFor("containment.planned")
        tmux.send("5")
        tmux.waitFor("pending")
        tmux.send("u")
        tmux.waitFor("because:")
        tmux.type("wrong source")
        tmux.send("Enter")
        tmux.waitFor("undone")
        tmux.send("q")
        XCTAssertTrue(tmux.waitUntilDead(), "q quits")

        let list = try ProcessRunner.tourniquet("contain", path, "list", "--json")
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["state"] as? String, "undone")
        XCTAssertEqual(entries.first?["reason"] as? String, "named by scope, stuffing pool")
        XCTAssertEqual(entries.first?["actor"] as? String, "alice")
    }

    /// The console's `r` rescopes with the configuration the CLI stored, not the defaults.
    func testRescopeUsesTheCaseSettings() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        let defaults = try ProcessRunner.tourniquet("scope", "--print-config").stdout
        guard var tuned = try JSONSerialization.jsonObject(with: Data(defaults.utf8)) as? [String: Any],
            var bola = tuned["bola_enumeration"] as? [String: Any]
        else { return XCTFail("the defaults are not a JSON object") }
        bola["enabled"] = false
        tuned["bola_enumeration"] = bola
        let config = directory.file("tuned.json")
        try JSONSerialization.data(withJSONObject: tuned).write(to: URL(fileURLWithPath: config))
        let scoped = try ProcessRunner.tourniquet("scope", path, "--config", config, "--json")
        XCTAssertEqual(scoped.status, 0, scoped.stderr)
        XCTAssertFalse(scoped.stdout.contains("bola-enumeration"), "the tuned run has no object-walk findings")

        let tmux = try console(path)
        tmux.waitFor("ready: ? shows every key")
        tmux.send("3", "r")
        // The demo's run, the tuned CLI run, then the console's rescope.
        let file = try CaseFile.openReadOnly(at: path)
        let deadline = Date().addingTimeInterval(60)
        while try file.actions().filter({ $0.kind == "scope.run" }).count < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertEqual(try file.actions().filter { $0.kind == "scope.run" }.count, 3, "the console's r ran scope")
        tmux.send("q")
        XCTAssertTrue(tmux.waitUntilDead(), "q quits")

        let latest = try XCTUnwrap(file.latestScopeReport())
        XCTAssertFalse(latest.json.contains("\"detector\":\"bola-enumeration\""), "the rescope kept the stored configuration")
        XCTAssertEqual(try file.settings().detectorConfigPath, config)
    }

    func testOtherTerminalsSmallScreensAndAnotherWriter() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        for term in ["screen-256color", "linux"] {
            let tmux = try console(path, term: term, columns: 80, rows: 24)
            tmux.waitFor("ready: ? shows every key")
            tmux.send("2")
            tmux.waitFor("format     lines")
            // A CLI command writes to the same case: the console shows it within 2 s.
            let note = "cli-\(term.prefix(5))"
            XCTAssertEqual(try ProcessRunner.tourniquet("note", path, note).status, 0)
            tmux.send("4")
            tmux.waitFor(note, timeout: 2.5)
            tmux.resize(columns: 120, rows: 40)
            tmux.waitFor(note)
            tmux.send("?")
            tmux.waitFor("HELP: Timeline")
            tmux.send("Escape", "C-c")
            XCTAssertTrue(tmux.waitUntilDead(), "Ctrl-C quits")
        }
    }

    func testHostileEvidenceIsEscapedAndCannotSetTheTitle() throws {
        try TestPaths.require(TestPaths.which("tmux") != nil, "tmux")
        let fixture = try IngestFixture()
        var lines: [String] = []
        for i in 0..<4 {
            lines.append(
                #"203.0.113.66 - - [29/Nov/2026:10:00:0\#(i) +0000] "GET /.env\x1B]0;pwned\x07 HTTP/1.1" 404 5 "-" "evil\x1B]2;pwned-title\x07\xE2\x80\xAEgnp.exe""#
            )
        }
        XCTAssertEqual(try fixture.ingest(fixture.write("hostile.log", lines.joined(separator: "\n") + "\n")).status, 0)
        XCTAssertEqual(try ProcessRunner.tourniquet("scope", fixture.casePath, []).status, 0)
        XCTAssertEqual(try ProcessRunner.tourniquet("note", fixture.casePath, "look: \u{1B}]0;pwned-note\u{07}").status, 0)
        let tmux = try console(fixture.casePath, columns: 200, rows: 40)
        tmux.waitFor("ready: ? shows every key")
        let titleBefore = tmux.title
        tmux.send("3")
        tmux.waitFor("path-probing")
        tmux.send("Enter")
        let screen = tmux.waitFor(#"\x1b]2;pwned-title\x07\u{202E}gnp.exe"#)
        XCTAssertTrue(screen.contains(#"/.env\x1b]0;pwned\x07"#), screen)
        tmux.send("4")
        tmux.waitFor(#"look: \x1b]0;pwned-note\x07"#)
        XCTAssertEqual(tmux.title, titleBefore, "evidence changed the terminal title")
        XCTAssertFalse(tmux.title.contains("pwned"))
        tmux.send("q")
        XCTAssertTrue(tmux.waitUntilDead())
    }

    func testACrashRestoresTheTerminal() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        let modes = directory.file("modes.txt")
        let tmux = try TmuxSession("sh -c \"'\(TestPaths.executable("tourniquet"))' open '\(path)'; stty -a > '\(modes)'\"")
        tmux.waitFor("ready: ? shows every key")
        let pids = try ProcessRunner.run("/usr/bin/pgrep", ["-f", "tourniquet open \(path)"]).stdout
        let pid = try XCTUnwrap(pids.split(separator: "\n").compactMap { Int32($0) }.first, "no console process")
        kill(pid, SIGSEGV)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && !FileManager.default.fileExists(atPath: modes) { usleep(50_000) }
        let stty = try String(contentsOfFile: modes, encoding: .utf8)
        XCTAssertTrue(stty.contains(" icanon") && stty.contains(" echo "), "the terminal was left in curses mode: \(stty)")
    }

    /// A playbook walked from the Respond screen, and a clock started on the Notifications screen:
    /// each key that changes the case is an action, the same as the CLI's.
    func testAPlaybookWalkedFromTheConsole() throws {
        let (directory, path) = try demoCase()
        defer { withExtendedLifetime(directory) {} }
        let tmux = try console(path, columns: 110, rows: 34)
        tmux.waitFor("ready: ? shows every key")
        tmux.waitFor("no playbook started: api-breach fits")
        tmux.send("6")
        tmux.waitFor("api-breach               API breach · fits")
        tmux.send("Enter")
        tmux.waitFor("start api-breach because:")
        tmux.type("mixed attack on the shop API")
        tmux.send("Enter")
        tmux.waitFor("NEXT: Identify scope: which endpoints were targeted?")
        tmux.waitFor("Which endpoints were targeted? ")
        tmux.send("d")
        tmux.waitFor("scope-endpoints done:")
        tmux.type("read the report")
        tmux.send("Enter")
        tmux.waitFor("NEXT: Identify scope: which sources attacked?")
        tmux.send("s")
        tmux.waitFor("skip scope-sources because:")
        tmux.type("the campaign is known from the SOC ticket")
        tmux.send("Enter")
        tmux.waitFor("NEXT: Identify scope: which accounts are compromised?")
        // A clock on the Notifications screen, so the obligations count down as they are taken on.
        tmux.send("7", "a")
        tmux.waitFor("start which clock")
        tmux.type("awareness")
        tmux.send("Enter")
        tmux.waitFor("because:")
        tmux.type("the SOC called at nine")
        tmux.send("Enter")
        tmux.waitFor("recorded action")
        tmux.send("6")
        // The rest of the playbook, one key and one reason a step; decisions pick an option with o.
        let walk: [(step: String, keys: [String], next: String)] = [
            ("scope-accounts", ["d"], "NEXT: Identify scope: which keys are compromised?"),
            ("scope-keys", ["d"], "NEXT: Identify scope: what data was touched?"),
            ("scope-data", ["d"], "NEXT: Block the attacker: their sources"),
            ("block-sources", ["d"], "NEXT: Block the attacker: the keys they hold"),
            ("block-keys", ["d"], "NEXT: Block the attacker: the compromised accounts' tokens"),
            ("revoke-accounts", ["d"], "NEXT: Fix the root cause: disable the exploited endpoint first (503)"),
            ("disable-endpoint", ["s"], "NEXT: Fix the root cause, deploy and test it"),
            ("fix-root-cause", ["d"], "NEXT: Notify: was personal data exposed?"),
            ("personal-data", ["d"], "NEXT: Notify the supervisory authority within 72 hours of awareness"),
            ("notify-authority", ["d"], "NEXT: Notify the people at high risk, without undue delay"),
            ("notify-subjects", ["d"], "NEXT: Notify the holders of compromised accounts"),
            ("notify-account-holders", ["d"], "NEXT: Notify the holders of blocked keys"),
            ("notify-key-holders", ["d"], "NEXT: Notify: is the organisation US critical infrastructure?"),
            ("critical-infrastructure", ["o", "d"], "NEXT: Review and harden"),
            ("review", ["d"], "Finished: every step on its path is recorded."),
        ]
        for (step, keys, next) in walk {
            tmux.send(keys[0])
            if keys.count > 1 { tmux.send(keys[1]) }
            // The prompt must be open before the reason is typed: its letters are keys otherwise.
            let prompt: String
            switch (keys.last!, keys.count, step) {
            case ("s", _, _): prompt = "skip \(step) because:"
            case (_, 2, _): prompt = "\(step): no, because:"
            case (_, _, "personal-data"): prompt = "\(step): yes, because:"
            case (_, _, let id) where ["block-sources", "block-keys", "revoke-accounts"].contains(id): prompt = "\(step): "
            default: prompt = "\(step) done:"
            }
            tmux.waitFor(prompt)
            tmux.type("walked from the console")
            tmux.send("Enter")
            tmux.waitFor(next, timeout: 60)
        }
        tmux.send("7")
        tmux.waitFor("gdpr-art33       [todo]          notification in ")
        tmux.send("1")
        tmux.waitFor("api-breach: finished")
        tmux.waitFor("4 open obligations; gdpr-art33 notification in ")
        tmux.send("q")

        let timeline = try ProcessRunner.tourniquet("timeline", path, "--json")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(timeline.stdout.utf8)) as? [String: Any])
        let actions = document["actions"] as? [[String: Any]] ?? []
        let kinds = actions.compactMap { $0["kind"] as? String }
        XCTAssertEqual(kinds.filter { $0 == "playbook.started" }.count, 1)
        XCTAssertEqual(kinds.filter { $0 == "playbook.step" }.count, 17, "every step on the path")
        XCTAssertEqual(kinds.filter { $0 == "notification.clock" }.count, 1)
        XCTAssertGreaterThan(kinds.filter { $0 == "containment.planned" }.count, 5)
        let opened = actions.filter { $0["kind"] as? String == "notification.opened" }.compactMap {
            ($0["details"] as? [String: Any])?["regime"] as? String
        }
        XCTAssertEqual(opened, ["gdpr-art33", "gdpr-art34", "account-holders", "key-holders"])
    }

    /// Apply once from the CLI, plan another measure, then A on the Containment screen repeats the
    /// apply the same way: here to a stand-in for Kong's Admin API (no Kong can run here).
    func testAReappliesFromTheConsole() throws {
        try TestPaths.require(TestPaths.which("tmux") != nil, "tmux")
        let dir = TemporaryDirectory("tourniquet-reapply")
        let path = dir.file("case.tq")
        let kong = try FakeKongAdmin(consumers: [], services: [])
        for arguments in [
            ["new", path, "--title", "reapply"], ["contain", path, "block-ip", "203.0.113.7", "--reason", "first source"],
            ["apply", path, "--gateway", "kong", "--admin-url", kong.baseURL, "--reason", "first apply"],
            ["contain", path, "block-ip", "203.0.113.9", "--reason", "second source"],
        ] {
            let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments + ["--actor", "alice"])
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        }
        let tmux = try console(path)
        tmux.waitFor("ready: ? shows every key")
        tmux.send("5")
        tmux.waitFor("1 waiting for an apply to kong (A)")
        tmux.send("A")
        tmux.waitFor("apply to kong as last time because:")
        tmux.type("the second source")
        tmux.send("Enter")
        tmux.waitFor("applied to kong: 2 in force, 0 removed")
        tmux.send("q")
        let restriction = try XCTUnwrap(kong.allPlugins.first { $0["name"] as? String == "ip-restriction" })
        XCTAssertEqual(Set((restriction["config"] as? [String: Any])?["deny"] as? [String] ?? []), ["203.0.113.7/32", "203.0.113.9/32"])
    }

    /// A drill from start to score: `drill start` opens the console on the DRILL case with the
    /// playbook started, the responder works it there, and `drill score` judges it.
    func testADrillFromStartToScore() throws {
        try TestPaths.require(TestPaths.which("tmux") != nil, "tmux")
        let dir = TemporaryDirectory("tourniquet-drill-console")
        let path = dir.file("drill.tq")
        let tmux = try TmuxSession(
            "env TERM=xterm-256color TOURNIQUET_ACTOR=alice '\(TestPaths.executable("tourniquet"))' drill start credential-stuffing --seed 7 --case '\(path)'",
            columns: 110, rows: 34)
        tmux.waitFor("ready: ? shows every key")
        tmux.waitFor("DRILL")
        tmux.send("6")
        tmux.waitFor("NEXT: Find the campaign's sources")
        for (step, next) in [
            ("sources", "NEXT: Find the accounts that logged in from campaign sources"),
            ("logins", "NEXT: Block the campaign's sources for a day"),
        ] {
            tmux.send("d")
            tmux.waitFor("\(step) done:")
            tmux.type("read the report")
            tmux.send("Enter")
            tmux.waitFor(next)
        }
        tmux.send("d")
        tmux.waitFor("block-sources: block-ip on ")
        tmux.type("the campaign's sources")
        tmux.send("Enter")
        tmux.waitFor("NEXT: Revoke the tokens of the accounts that got in", timeout: 60)
        tmux.send("q")

        let scored = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["drill", "score", path, "--json", "--actor", "alice"])
        XCTAssertEqual(scored.status, 0, scored.stderr)
        let score = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scored.stdout.utf8)) as? [String: Any])
        let addresses = (score["kinds"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "addresses" }
        XCTAssertEqual(addresses?["recall"] as? Double, 1, "scope named every source and the step blocked them: \(score)")
        XCTAssertGreaterThan(score["overall"] as? Double ?? 0, 0.5)
    }
}
