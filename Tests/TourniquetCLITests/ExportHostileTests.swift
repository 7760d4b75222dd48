import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetTestSupport
import XCTest

/// Every hostile payload goes into a case the ways an attacker and a hurried responder put text
/// there (log lines, notes, reasons, the title), and every export format written by the real
/// binary is read back with real parsers (Python's html.parser, csv and a strict json, and the
/// JSON Schema): structure kept, nothing active, every payload recovered exactly from the JSON.
final class ExportHostileTests: XCTestCase {
    private let dir = TemporaryDirectory("tourniquet-export-hostile")

    private func textPayloads() throws -> [String] {
        let url = TestPaths.fixtures.appendingPathComponent("hostile/payloads.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").compactMap { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["text"] as? String
        }
    }

    /// A case whose title, log lines, notes, reasons and obligation carry the payloads.
    private func hostileCase() throws -> String {
        let payloads = try IngestHostileTests.payloads()
        var lines: [String] = []
        for (i, p) in payloads.enumerated() {
            let escaped = IngestHostileTests.nginxEscaped(p.bytes)
            let user = IngestHostileTests.nginxEscaped(p.bytes.map { $0 == 0x20 ? UInt8(ascii: "_") : $0 })
            // One source probes with every payload as its path (404s), so the payloads reach findings.
            let path = "/h/" + escaped.replacingOccurrences(of: " ", with: "%20")
            for (source, status) in [("198.51.100.66", 404), ("203.0.113.\(i % 250 + 1)", 200)] {
                lines.append(
                    "\(source) - \(user.isEmpty ? "-" : user) [29/Nov/2026:10:\(String(format: "%02d", i / 60)):\(String(format: "%02d", i % 60)) +0000] \"GET \(path) HTTP/1.1\" \(status) 5 \"-\" \"\(escaped)\""
                )
            }
        }
        // A leaked key in a query string and a bearer token: neither may reach any export.
        lines.append(
            "198.51.100.67 - - [29/Nov/2026:11:00:00 +0000] \"GET /v1/orders?api_key=sk_live_4eC39HqLyjWDarjtT1zdp7dc HTTP/1.1\" 200 5 \"-\" \"curl/8.5\""
        )
        let log = dir.file("hostile.log")
        try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let texts = try textPayloads()
        let context = CommandContext(actor: "alice\u{202E}evil", clock: .test(startMs: 1_795_962_600_000))
        let path = dir.file("hostile.tq")
        let title = "</ScRiPt><img src=x onerror=alert(1)> =cmd|' /C calc'!A0 ``` a | b \u{1b}]0;pwned\u{07} invoice\u{202E}gnp.exe"
        let engine = try CaseEngine.createCase(
            at: path, title: title, severity: .critical, detectedAtMs: nil, isDrill: false, context: context, ids: .test())
        try engine.execute(.ingest(path: log, format: "combined", openAPISpec: nil, rationale: texts[0]))
        try engine.execute(.runScope(fromMs: nil, toMs: nil))
        for text in texts { try engine.execute(.note(text: text, corrects: nil)) }
        let network = try XCTUnwrap(CIDR("198.51.100.66"))
        try engine.execute(.planContainment(.blockAddress(network: network, expiresAtMs: nil), reason: texts[37], force: texts[44]))
        try engine.execute(.setNotificationClock(name: "awareness", atMs: nil, reason: texts[50]))
        try engine.execute(.openObligation(regime: "gdpr-art33", reason: texts[48]))
        try engine.execute(.markObligation(regime: "gdpr-art33", state: .notRequired, reason: texts[52]))
        // The review quotes routes from the logs in its evidence, and takes an answer's reason.
        try engine.execute(.runReview)
        try engine.execute(.answerReview(item: "pkce", state: .fail, reason: texts[53]))
        return path
    }

    func testHostileTextStaysInertInEveryFormat() throws {
        let python = try XCTUnwrap(TestPaths.which("python3"), "python3 reads the exports back")
        let casePath = try hostileCase()
        let out = dir.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let environment = ["TOURNIQUET_PLAYBOOKS": TestPaths.repoRoot.appendingPathComponent("playbooks").path]
        let files: [(String, String)] = [
            ("md", "report.md"), ("html", "report.html"), ("json", "report.json"), ("csv", "timeline.csv"), ("timesketch", "timesketch.jsonl"),
            ("timesketch", "timesketch.csv"), ("iris", "iris.csv"),
        ]
        for (format, name) in files {
            let result = try ProcessRunner.run(
                TestPaths.executable("tourniquet"),
                ["export", casePath, "--format", format, "-o", (out as NSString).appendingPathComponent(name), "--actor", "bob"],
                environment: environment)
            XCTAssertEqual(result.status, 0, "\(format): \(result.stderr)")
        }
        let timeline = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["timeline", casePath, "--json"])
        try timeline.stdout.write(toFile: (out as NSString).appendingPathComponent("timeline.json"), atomically: true, encoding: .utf8)
        let findings = try ProcessRunner.run(TestPaths.executable("tourniquet"), ["finding", "list", casePath, "--json"])
        try findings.stdout.write(toFile: (out as NSString).appendingPathComponent("findings.json"), atomically: true, encoding: .utf8)
        XCTAssertTrue(findings.stdout.contains("\"tourniquet.findings\""), findings.stderr)

        var arguments = [
            TestPaths.repoRoot.appendingPathComponent("Tests/Scripts/check_exports.py").path, out,
            TestPaths.fixtures.appendingPathComponent("hostile/payloads.jsonl").path,
        ]
        let hasSchemaChecker = (try? ProcessRunner.run(python, ["-c", "import jsonschema"]).status) == 0
        if hasSchemaChecker || ProcessInfo.processInfo.environment["CI"] == "true" {
            arguments.append(TestPaths.repoRoot.appendingPathComponent("docs/schemas/export.schema.json").path)
        }
        let check = try ProcessRunner.run(python, arguments)
        XCTAssertEqual(check.status, 0, "the exports failed their parsers:\n\(check.stdout)\(check.stderr)")

        // The checker catches what it is there to catch: a raw element, a raw ESC, a live formula.
        let broken = dir.file("broken")
        try FileManager.default.copyItem(atPath: out, toPath: broken)
        for (name, addition) in [
            ("report.html", "<img src=x onerror=alert(1)>"), ("timeline.csv", "=cmd|' /C calc'!A0,\u{1b}[2J\r\n"), ("report.md", "| a | b |\n"),
        ] {
            let file = (broken as NSString).appendingPathComponent(name)
            try (try String(contentsOfFile: file, encoding: .utf8) + addition).write(toFile: file, atomically: true, encoding: .utf8)
        }
        arguments[1] = broken
        let caught = try ProcessRunner.run(python, arguments)
        XCTAssertEqual(caught.status, 1)
        for expected in ["<img>", "raw U+001B", "a spreadsheet would run"] {
            XCTAssertTrue(caught.stdout.contains(expected), "the checker missed \(expected): \(caught.stdout)")
        }

        for (_, name) in files {
            let text = try String(contentsOfFile: (out as NSString).appendingPathComponent(name), encoding: .utf8)
            XCTAssertFalse(text.contains("sk_live_4eC39HqLyjWDarjtT1zdp7dc"), "\(name) holds a raw key")
        }

        // The report names the payloads only inertly.
        let html = try String(contentsOfFile: (out as NSString).appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("&lt;/ScRiPt&gt;&lt;img src=x onerror=alert(1)&gt;"))
        XCTAssertFalse(html.lowercased().contains("</script><"), "no script element is closed early")
        let csv = try String(contentsOfFile: (out as NSString).appendingPathComponent("timeline.csv"), encoding: .utf8)
        XCTAssertTrue(csv.contains("'=cmd|' /C calc'!A0"), "a formula gets a leading quote")
    }
}
