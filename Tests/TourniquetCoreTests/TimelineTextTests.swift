import XCTest

@testable import TourniquetModel

final class TimelineTextTests: XCTestCase {
    private func action(_ id: Int64, actor: String, kind: String, rationale: String, details: String = "{}", corrects: Int64? = nil) -> Action {
        Action(
            id: id, at: "2026-11-29T10:00:0\(id).000Z", actor: actor, kind: kind, target: "case", details: details,
            rationale: rationale, corrects: corrects, prevHash: "", hash: "")
    }

    func testColumnsAlignAndHostileTextIsEscapedAndMarked() {
        let text = TimelineText.render([
            action(1, actor: "alice", kind: "case.created", rationale: "", details: #"{"title":"x"}"#),
            action(2, actor: "bob-the-responder", kind: "note", rationale: "evil\u{1b}]0;pwned\u{7}\nnext"),
            action(3, actor: "alice", kind: "correction", rationale: "meant 10.0.0.7", corrects: 2),
        ])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 4, "one line per action plus the header, whatever the notes contain")
        XCTAssertEqual(lines[2], #"!2  2026-11-29T10:00:02.000Z  bob-the-responder  note          case    evil\x1b]0;pwned\x07\nnext"#)
        XCTAssertEqual(lines[3], " 3  2026-11-29T10:00:03.000Z  alice              correction    case    (corrects #2) meant 10.0.0.7")
        XCTAssertTrue(lines[1].hasSuffix("title=x"))
        XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }

    func testNewestFirst() {
        let text = TimelineText.render(
            [action(1, actor: "a", kind: "note", rationale: "one"), action(2, actor: "a", kind: "note", rationale: "two")], newestFirst: true)
        XCTAssertLessThan(text.range(of: "two")!.lowerBound, text.range(of: "one")!.lowerBound)
    }
}
