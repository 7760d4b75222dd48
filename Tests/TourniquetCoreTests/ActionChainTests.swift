import XCTest

@testable import TourniquetModel

final class ActionChainTests: XCTestCase {
    /// Expected values computed by an independent implementation (Python's hashlib) from the
    /// encoding documented in the README, so a drift in either breaks this test.
    func testCanonicalEncodingMatchesTheDocumentedFormat() {
        let genesis = ActionChain.genesisHash(caseID: "case-1")
        XCTAssertEqual(genesis, "63dfedcf18d26b39b4a7d529d8aeb2a1c8e5fc3476db331990ccf85968960324")
        let action = Action(
            id: 1, at: "2026-11-29T09:30:00.000Z", actor: "alice", kind: "note", target: "case", details: "{}",
            rationale: "first note", corrects: nil, prevHash: genesis, hash: "")
        let bytes = ActionChain.canonicalBytes(
            id: 1, at: action.at, actor: "alice", kind: "note", target: "case", details: "{}",
            rationale: "first note", corrects: nil, prevHash: genesis)
        XCTAssertEqual(
            String(decoding: bytes, as: UTF8.self),
            "20:tourniquet-action-v1,1:1,24:2026-11-29T09:30:00.000Z,5:alice,4:note,4:case,2:{},10:first note,0:,64:\(genesis),")
        XCTAssertEqual(ActionChain.hash(of: action), "3392c3dc40f633ed669eb7d3e1ea9c43bf33883da7d457dca13cbfe7a6369d41")
    }

    func testNetstringsKeepFieldBoundariesUnambiguous() {
        // Moving text between adjacent fields must change the hash.
        let a = Action(id: 1, at: "t", actor: "ab", kind: "c", target: "", details: "{}", rationale: "", corrects: nil, prevHash: "p", hash: "")
        var b = a
        b.actor = "a"
        b.kind = "bc"
        XCTAssertNotEqual(ActionChain.hash(of: a), ActionChain.hash(of: b))
    }

    private func chain(_ count: Int) -> [Action] {
        var rows: [Action] = []
        var prev = ActionChain.genesisHash(caseID: "c")
        for i in 1...count {
            var row = Action(
                id: Int64(i), at: "2026-01-01T00:00:0\(i % 10).000Z", actor: "r", kind: "note", target: "case",
                details: "{}", rationale: "note \(i)", corrects: nil, prevHash: prev, hash: "")
            row.hash = ActionChain.hash(of: row)
            prev = row.hash
            rows.append(row)
        }
        return rows
    }

    func testIntactChainHasNoProblem() {
        XCTAssertNil(ActionChain.firstProblem(in: chain(6), caseID: "c"))
    }

    func testChainFromAnotherCaseIsRejected() {
        XCTAssertEqual(ActionChain.firstProblem(in: chain(3), caseID: "other"), .brokenLink(id: 1))
    }

    func testEditIsNamedAtTheEditedRow() {
        var rows = chain(6)
        rows[3].rationale = "nothing happened"
        XCTAssertEqual(ActionChain.firstProblem(in: rows, caseID: "c"), .hashMismatch(id: 4))
    }

    func testDeleteIsNamed() {
        var rows = chain(6)
        rows.remove(at: 2)
        XCTAssertEqual(ActionChain.firstProblem(in: rows, caseID: "c"), .gap(expected: 3, found: 4))
    }

    func testRenumberedDeleteIsStillCaught() {
        var rows = chain(6)
        rows.remove(at: 2)
        for i in 2..<rows.count { rows[i].id -= 1 }
        XCTAssertEqual(ActionChain.firstProblem(in: rows, caseID: "c"), .brokenLink(id: 3))
    }

    func testInsertedRowWithForgedHashIsCaught() {
        var rows = chain(6)
        var forged = rows[2]
        forged.rationale = "planted"
        forged.hash = ActionChain.hash(of: forged)
        rows.insert(forged, at: 3)
        for i in 3..<rows.count { rows[i].id = Int64(i + 1) }
        XCTAssertEqual(ActionChain.firstProblem(in: rows, caseID: "c")?.firstBadRow, 4)
    }

    func testReorderIsCaught() {
        var rows = chain(6)
        rows.swapAt(1, 2)
        rows[1].id = 2
        rows[2].id = 3
        XCTAssertEqual(ActionChain.firstProblem(in: rows, caseID: "c"), .brokenLink(id: 2))
    }
}
