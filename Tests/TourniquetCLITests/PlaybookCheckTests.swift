import Foundation
import TourniquetTestSupport
import XCTest

/// `tourniquet playbook check`: every shipped playbook and regime reads, and a broken one is told
/// precisely — file, line, column, and what was expected.
final class PlaybookCheckTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-playbooks")
    private var shipped: String { TestPaths.repoRoot.appendingPathComponent("playbooks").path }

    private func check(_ files: [String]) throws -> ProcessResult {
        try ProcessRunner.run(TestPaths.executable("tourniquet"), ["playbook", "check"] + files, environment: ["TOURNIQUET_PLAYBOOKS": shipped])
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = dir.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEveryShippedPlaybookAndRegimeReads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: shipped).filter { $0.hasSuffix(".yaml") }.map { shipped + "/" + $0 }
        let regimes = try FileManager.default.contentsOfDirectory(atPath: shipped + "/notifications").map { shipped + "/notifications/" + $0 }
        XCTAssertEqual(
            Set(files.map { ($0 as NSString).lastPathComponent }),
            ["credential-stuffing.yaml", "bola-data-exposure.yaml", "leaked-api-key.yaml", "authz-bypass-endpoint.yaml", "api-breach.yaml"])
        XCTAssertGreaterThanOrEqual(regimes.count, 12)
        let result = try check(files + regimes)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("\(files.count + regimes.count) files, no problems"), result.stdout)
    }

    private let good = """
        tourniquet_playbook: 1
        id: small
        title: Small
        version: "1"
        steps:
          - id: ask
            kind: question
            title: Who?
            answer: attacker-sources
            next: block
          - id: block
            kind: contain
            title: Block them
            action: block-ip
            from: attacker-sources
            next: end

        """

    func testEachKindOfMistakeIsPlacedAndExplained() throws {
        XCTAssertEqual(try check([try write("good.yaml", good)]).status, 0)
        let cases: [(name: String, text: String, expect: String)] = [
            (
                "type.yaml", good.replacingOccurrences(of: "steps:\n  - id: ask", with: "steps: many\nother:\n  - id: ask"),
                ":5:8: 'steps' must be a list"
            ),
            (
                "kind.yaml", good.replacingOccurrences(of: "kind: question", with: "kind: quiz"),
                ":7:11: 'quiz' is not a step kind: expected question, contain"
            ),
            ("missing.yaml", good.replacingOccurrences(of: "    title: Block them\n", with: ""), ":11:5: missing 'title': expected text"),
            (
                "dangling.yaml", good.replacingOccurrences(of: "next: block", with: "next: blokc"),
                ":10:11: step 'ask' goes to 'blokc', which is no step of this playbook"
            ),
            (
                "yaml.yaml", good.replacingOccurrences(of: "title: Who?", with: "title: [Who?"),
                ":9:11: not YAML or JSON: did not find expected ',' or ']'"
            ),
            (
                "answer.yaml", good.replacingOccurrences(of: "answer: attacker-sources", with: "answer: hackers"),
                ":9:13: 'hackers' is not a scope answer"
            ),
            (
                "mismatch.yaml", good.replacingOccurrences(of: "from: attacker-sources", with: "from: compromised-accounts"),
                ":15:11: block-ip cannot act on compromised-accounts: expected attacker-sources"
            ),
            ("loop.yaml", good.replacingOccurrences(of: "next: end", with: "next: ask"), ":6:5: no path from step 'ask' ends"),
            (
                "field.yaml", good.replacingOccurrences(of: "    answer: attacker-sources", with: "    answer: attacker-sources\n    colour: red"),
                ":10:5: 'colour' is not a field of a question step"
            ),
            (
                "version.yaml", good.replacingOccurrences(of: "tourniquet_playbook: 1", with: "tourniquet_playbook: 2"),
                ":1:22: tourniquet_playbook 2 is not a format this version reads"
            ),
            (
                "notify.yaml",
                good.replacingOccurrences(of: "next: end", with: "next: tell")
                    + "  - id: tell\n    kind: notify\n    title: Tell\n    obligation: gdpr-art99\n    next: end\n",
                ":20:17: 'gdpr-art99' is no notification regime"
            ),
        ]
        for (name, text, expect) in cases {
            let path = try write(name, text)
            let result = try check([path])
            XCTAssertEqual(result.status, 1, name)
            XCTAssertTrue(result.stdout.contains(path + expect), "\(name): expected …\(expect) in\n\(result.stdout)\(result.stderr)")
        }
    }

    func testARegimeWithBusinessDaysNeedsItsCalendar() throws {
        let path = try write(
            "regime.yaml",
            """
            tourniquet_notification: 1
            id: filing
            title: A filing
            party: public
            deadlines:
              - name: filing
                by:
                  - {clock: determination, business_days: 4}
              - name: late
                by:
                  - {clock: lunch, hours: 2}

            """)
        let result = try check([path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains(path + ":8:9: business days need the regime's business_calendar"), result.stdout)
        XCTAssertTrue(result.stdout.contains(path + ":11:17: 'lunch' is not a clock"), result.stdout)
    }
}
