import Foundation
import TourniquetTestSupport
import XCTest

/// The demo incident walked through the shipped `api-breach` playbook from the command line: each
/// step, the containment it plans and the obligations it takes on end up in the case as actions.
final class PlaybookRunTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-playbook-run")
    private var casePath: String { dir.file("demo.tq") }
    private let environment = ["TOURNIQUET_PLAYBOOKS": TestPaths.repoRoot.appendingPathComponent("playbooks").path, "TZ": "Europe/Berlin"]

    @discardableResult
    private func run(_ arguments: String...) throws -> ProcessResult {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments + ["--actor", "responder"], environment: environment)
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stdout) \(result.stderr)")
        return result
    }

    /// Commands that only read take no actor.
    private func read(_ arguments: String...) throws -> ProcessResult {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), arguments, environment: environment)
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stdout) \(result.stderr)")
        return result
    }

    private func timeline() throws -> [[String: Any]] {
        let result = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["timeline", casePath, "--json"], environment: environment)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(document["actions"] as? [[String: Any]])
    }

    func testTheDemoIncidentWalkedThroughApiBreach() throws {
        try run("demo", "--case", casePath, "--no-console")
        let list = try read("playbook", "list", casePath)
        XCTAssertTrue(list.stdout.hasPrefix("api-breach  API breach (v1.0)  fits:"), list.stdout)

        let started = try run("playbook", "run", casePath, "api-breach", "--reason", "breach of the shop API")
        XCTAssertTrue(started.stdout.contains("next: scope-endpoints [question]"), started.stdout)
        XCTAssertTrue(started.stdout.contains("Which endpoints were targeted?"), started.stdout)
        let refusedWrongStep = try ProcessRunner.run(
            TestPaths.executable("tourniquet"), ["playbook", "step", casePath, "api-breach", "review", "--done", "--reason", "x"],
            environment: environment)
        XCTAssertEqual(refusedWrongStep.status, 1)
        XCTAssertTrue(refusedWrongStep.stderr.contains("the current step of api-breach is 'scope-endpoints', not 'review'"), refusedWrongStep.stderr)

        for step in ["scope-endpoints", "scope-sources", "scope-accounts", "scope-keys", "scope-data"] {
            try run("playbook", "step", casePath, "api-breach", step, "--done", "--reason", "read from the scope report")
        }
        let blocked = try run("playbook", "step", casePath, "api-breach", "block-sources", "--done", "--reason", "campaign sources")
        XCTAssertTrue(blocked.stdout.contains("planned measure #"), blocked.stdout)
        try run("playbook", "step", casePath, "api-breach", "block-keys", "--done", "--reason", "the leaked partner key")
        try run("playbook", "step", casePath, "api-breach", "revoke-accounts", "--done", "--reason", "taken over")
        try run("playbook", "step", casePath, "api-breach", "disable-endpoint", "--skip", "--reason", "the fix ships within the hour")
        try run("playbook", "step", casePath, "api-breach", "fix-root-cause", "--done", "--reason", "ownership check deployed")
        let decided = try run("playbook", "step", casePath, "api-breach", "personal-data", "--choose", "yes", "--reason", "orders hold addresses")
        XCTAssertTrue(decided.stdout.contains("next: notify-authority"), decided.stdout)
        try run("notify", "clock", casePath, "awareness", "--at", "2026-11-30T08:00:00Z", "--reason", "the SOC's alert")
        for step in ["notify-authority", "notify-subjects", "notify-account-holders", "notify-key-holders"] {
            try run("playbook", "step", casePath, "api-breach", step, "--done", "--reason", "applies")
        }
        try run("playbook", "step", casePath, "api-breach", "critical-infrastructure", "--choose", "no", "--reason", "a retailer")
        let last = try run("playbook", "step", casePath, "api-breach", "review", "--done", "--reason", "reviewed")
        XCTAssertTrue(last.stdout.contains("the playbook is finished"), last.stdout)

        let actions = try timeline()
        func count(_ kind: String) -> Int { actions.filter { $0["kind"] as? String == kind }.count }
        XCTAssertEqual(count("playbook.started"), 1)
        XCTAssertEqual(count("playbook.step"), 17, "every step walked, the CISA branch not taken")
        XCTAssertGreaterThan(count("containment.planned"), 5)
        let opened = actions.filter { $0["kind"] as? String == "notification.opened" }.compactMap {
            ($0["details"] as? [String: Any])?["regime"] as? String
        }
        XCTAssertEqual(opened, ["gdpr-art33", "gdpr-art34", "account-holders", "key-holders"])
        let skipped = try XCTUnwrap(actions.first { ($0["details"] as? [String: Any])?["step"] as? String == "disable-endpoint" })
        XCTAssertEqual((skipped["details"] as? [String: Any])?["outcome"] as? String, "skipped")
        XCTAssertEqual(skipped["rationale"] as? String, "the fix ships within the hour")

        let progress = try run("playbook", "run", casePath, "api-breach", "--json")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["finished"] as? Bool, true)

        // The obligations count down from awareness, shown in the responder's zone.
        let notify = try read("notify", "list", casePath)
        XCTAssertTrue(notify.stdout.contains("awareness: Mon 2026-11-30 09:00 +01:00 Europe/Berlin (Mon 2026-11-30 08:00Z)"), notify.stdout)
        XCTAssertTrue(notify.stdout.contains("notification: Thu 2026-12-03 09:00 +01:00 Europe/Berlin (Thu 2026-12-03 08:00Z)"), notify.stdout)
        try run("notify", "mark", casePath, "gdpr-art33", "sent", "--reason", "filed on the authority's portal, reference 123")
        XCTAssertTrue(try read("notify", "list", casePath).stdout.contains("gdpr-art33 [sent]"))

        let draft = try read("notify", "draft", casePath, "gdpr-art33")
        XCTAssertTrue(draft.stdout.contains("The controller became aware on Mon 2026-11-30 09:00 +01:00 Europe/Berlin"), draft.stdout)
        XCTAssertTrue(draft.stdout.contains("Measures taken: blocked "), draft.stdout)
        XCTAssertTrue(draft.stdout.contains(" source addresses; blocked 1 API key; revoked the tokens of "), draft.stdout)
        for placeholder in ["{attack}", "{window}", "{accounts_count}", "{data}", "{actions}", "{awareness}"] {
            XCTAssertFalse(draft.stdout.contains(placeholder), draft.stdout)
        }
        let accounts = try read("notify", "recipients", casePath, "accounts")
        XCTAssertTrue(accounts.stdout.hasPrefix("account,why\r\n"), accounts.stdout)
        XCTAssertGreaterThan(accounts.stdout.components(separatedBy: "\r\n").count, 2)
    }
}
