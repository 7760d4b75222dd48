import TourniquetExport
import TourniquetModel
import XCTest

/// The escaping each export format needs, one rule at a time.
final class ExportTextTests: XCTestCase {
    func testCSVQuotesDisarmsFormulasAndShowsControls() {
        XCTAssertEqual(CSVText.record(["plain", "a,b", "say \"hi\""]), "plain,\"a,b\",\"say \"\"hi\"\"\"\r\n")
        for formula in ["=1+1", "+1", "-1+1", "@SUM(A1)"] {
            XCTAssertEqual(CSVText.record([formula]), "'\(formula)\r\n")
        }
        // A leading TAB or CR is shown as `\t` or `\r`, so the cell starts with a backslash.
        XCTAssertEqual(CSVText.record(["\t=1", "\r=1"]), "\\t=1,\\r=1\r\n")
        XCTAssertEqual(CSVText.record(["line\nbreak\u{1b}[2J"]), "line\\nbreak\\x1b[2J\r\n", "one record is one line")
        XCTAssertEqual(CSVText.record([.number(-5), .literal("+00:00")]), "-5,+00:00\r\n", "numbers and our own constants are not disarmed")
        XCTAssertEqual(CSVText.record([.json(.fields(["a": .string("=x,\u{1b}")]))]), "\"{\"\"a\"\":\"\"=x,\\u001b\"\"}\"\r\n")
    }

    func testInertJSONKeepsTheValueAndLeavesNothingActive() throws {
        let hostile = "</script><img onerror=x> \u{1b}]0;t\u{07} \u{9b}2J \u{202E}rlo \u{2028} 🙂 \u{E0041}"
        let text = InertJSON.compact(.fields(["k": .string(hostile)]))
        XCTAssertFalse(text.contains("<"))
        XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" || $0 == "\u{2028}" })
        XCTAssertTrue(text.contains("🙂"), "ordinary characters stay as they are")
        XCTAssertTrue(text.contains("\\udb40\\udc41"), "a tag character becomes a surrogate pair")
        let back = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        XCTAssertEqual(back["k"], hostile, "a JSON parser reads the exact value back")
        XCTAssertEqual(InertJSON.pretty(.fields(["b": .int(1), "a": .array([])])), "{\n  \"a\": [],\n  \"b\": 1\n}\n")
    }

    func testMarkdownFencesAValueInALongerRunOfBackticks() {
        XCTAssertEqual(MarkdownReport.code("plain", inTable: false), "` plain `")
        XCTAssertEqual(MarkdownReport.code("a ``` b", inTable: false), "```` a ``` b ````")
        XCTAssertEqual(MarkdownReport.code("a | b", inTable: true), "` a \\| b `")
        XCTAssertEqual(MarkdownReport.code("x\ny\u{202E}", inTable: false), "` x\\ny\\u{202E} `", "one line, bidi visible")
        XCTAssertEqual(MarkdownReport.code("", inTable: true), "")
    }

    func testHTMLEscapesMarkupAndShowsControls() {
        XCTAssertEqual(HTMLText.escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
        XCTAssertEqual(HTMLText.escape("x\u{202E}y\u{1b}"), "x\\u{202E}y\\x1b")
    }

    func testFileNamesSayTheirFormat() {
        XCTAssertEqual(ExportFileName.format(forPath: "out/Case.IRIS.csv"), "iris")
        XCTAssertEqual(ExportFileName.format(forPath: "t.timesketch.csv"), "timesketch")
        XCTAssertEqual(ExportFileName.format(forPath: "t.jsonl"), "timesketch")
        XCTAssertEqual(ExportFileName.format(forPath: "t.csv"), "csv")
        XCTAssertEqual(ExportFileName.format(forPath: "r.htm"), "html")
        XCTAssertNil(ExportFileName.format(forPath: "r.pdf"))
    }
}

/// A case with thousands of findings still gives a report a person can read.
final class LargeReportTests: XCTestCase {
    func testTheReportsListTheFirstFindingsAndPointToTheTimelineExports() {
        let findings = (0..<600).map { i in
            Finding(
                detector: .pathProbing, severity: i < 10 ? .high : .low, subject: FindingSubject(kind: .ip, value: "198.51.100.\(i % 250)/\(i)"),
                firstMs: 1_795_946_400_000 + Int64(i) * 1000, lastMs: 1_795_946_400_000 + Int64(i) * 1000 + 500, requests: 40,
                evidence: .fields([:]))
        }
        let header = CaseMetadata(
            id: "case", title: "Big", severity: .high, detectedAtMs: 1_795_946_400_000, createdAtMs: 1_795_946_400_000, isDrill: false)
        let report = IncidentReport(
            header: header, status: .open, asOfMs: 1_795_950_000_000, sinceMs: nil, untilMs: nil,
            chain: .init(head: String(repeating: "a", count: 64), actions: 1, intact: true, problems: []), evidence: [], scope: nil,
            findings: findings, containment: [], clocks: [:], obligations: [], playbooks: [], drill: nil, actions: [])
        let md = MarkdownReport.render(report)
        XCTAssertTrue(md.contains("The activity of 100 more findings is in the CSV, JSON, Timesketch and DFIR-IRIS exports."))
        let timeline = md.components(separatedBy: "## Timeline")[1].components(separatedBy: "## Integrity")[0]
        XCTAssertEqual(timeline.components(separatedBy: "\n| 2026-").count - 1, 1000, "first and last activity of the 500 listed")
        XCTAssertEqual(TimelineFormats.csv(report).components(separatedBy: "\r\n").count - 2, 1200, "the CSV keeps every event")
    }
}
