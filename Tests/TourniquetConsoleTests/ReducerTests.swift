import Foundation
import TourniquetModel
import XCTest

@testable import TourniquetConsole

final class ReducerTests: XCTestCase {
    private func press(_ keys: [Key], _ state: inout ConsoleState) -> [ConsoleEffect] {
        keys.flatMap { ConsoleReducer.reduce(&state, .key($0), ConsoleFixture.data) }
    }

    private func type(_ text: String) -> [Key] { text.map { .character($0) } }

    func testNumbersAndTabSwitchScreens() {
        var s = ConsoleState()
        _ = press([.character("3")], &s)
        XCTAssertEqual(s.screen, 2)
        _ = press(Array(repeating: .tab, count: ScreenRegistry.screens.count - 2), &s)
        XCTAssertEqual(s.screen, 0)
        _ = press([.backTab], &s)
        XCTAssertEqual(s.screen, ScreenRegistry.screens.count - 1)
    }

    /// The Respond screen runs the same commands as `tourniquet playbook run|step`: a decision's
    /// option is highlighted with o and recorded with d; a skip's reason is its why.
    func testRespondKeysRecordTheSameCommandsAsTheCLI() throws {
        var s = ConsoleState()
        s.screen = 5
        let breach = ConsoleFixture.response.playbooks[0].playbook
        _ = press([.character("s")], &s)
        XCTAssertTrue(s.statusIsError, "a decision cannot be skipped")
        _ = press([.character("o"), .character("d")], &s)
        guard case .prompt(let prompt) = s.mode else { return XCTFail("no reason prompt") }
        XCTAssertEqual(prompt.label, "personal-data: no, because")
        XCTAssertEqual(
            press(type("no personal data") + [.enter], &s),
            [.execute(.recordPlaybookStep(breach, step: "personal-data", outcome: .chosen(option: "no"), reason: "no personal data", force: nil))])
        XCTAssertEqual(s.respondOption, 0, "the highlight starts over for the next decision")

        _ = press([.down], &s)
        let stuffing = ConsoleFixture.response.playbooks[1].playbook
        XCTAssertEqual(press([.character("d")], &s), [])
        XCTAssertTrue(s.status.contains("start the playbook first"), s.status)
        _ = press([.enter], &s)
        XCTAssertEqual(
            press(type("stuffing wave") + [.enter], &s), [.execute(.startPlaybook(stuffing, digest: "d2", reason: "stuffing wave"))])
    }

    /// A on the Containment screen repeats the last apply, the same command `tourniquet apply` ran.
    func testReapplyRepeatsTheLastApply() {
        var s = ConsoleState()
        s.screen = 4
        _ = press([.character("A")], &s)
        XCTAssertTrue(s.statusIsError && s.status.contains("no apply yet"), s.status)
        var data = ConsoleFixture.data
        let target = GatewayTarget.kong(KongTarget(outDir: nil, adminURL: "http://127.0.0.1:8001"))
        data.lastApply = target
        let effects = ([Key.character("A")] + type("two more sources") + [.enter]).flatMap { ConsoleReducer.reduce(&s, .key($0), data) }
        XCTAssertEqual(effects, [.execute(.applyContainment(target, reason: "two more sources"))])
        XCTAssertEqual(s.busy?.label, "applying to kong")
    }

    func testNotificationKeysStartClocksAndMarkObligations() {
        var s = ConsoleState()
        s.screen = 6
        s.nowMs = ConsoleFixture.t0
        _ = press([.character("a")] + type("lunch") + [.enter], &s)
        XCTAssertTrue(s.statusIsError && s.status.contains("'lunch' is not a clock"), s.status)
        _ = press([.character("a")] + type("awareness 2026-11-29T08:30:00Z") + [.enter], &s)
        XCTAssertEqual(
            press(type("the SOC's call") + [.enter], &s),
            [.execute(.setNotificationClock(name: "awareness", atMs: ConsoleFixture.t0 - 5_400_000, reason: "the SOC's call"))])
        _ = press([.down, .character("n")], &s)
        XCTAssertEqual(
            press(type("not an essential entity") + [.enter], &s),
            [.execute(.markObligation(regime: "nis2", state: .notRequired, reason: "not an essential entity"))])
    }

    /// b, k and x preview a measure (what it stops, the guards' verdict) before asking for a
    /// reason, and then run the same command as `tourniquet contain`; a refusal's reason is the override.
    func testContainmentKeysPreviewThenPlanTheSameCommandAsTheCLI() {
        var s = ConsoleState()
        s.screen = 2
        _ = press([.character("b")], &s)
        XCTAssertTrue(s.statusIsError, "the selected finding is about a client, not a source")
        XCTAssertTrue(s.status.contains("select an address"), s.status)

        _ = press([.character("s")], &s)
        let source = ContainmentMeasure.blockAddress(network: CIDR("103.112.35.152")!, expiresAtMs: nil)
        XCTAssertEqual(press([.character("b")], &s), [.previewContainment(source)])
        XCTAssertEqual(s.mode, .browsing, "no prompt until the preview is in")
        _ = ConsoleReducer.reduce(&s, .containmentPreviewed(source, whatIf: "stops 88 requests", refusals: []), ConsoleFixture.data)
        guard case .prompt(let prompt) = s.mode else { return XCTFail("no reason prompt") }
        XCTAssertTrue(prompt.label.contains("stops 88 requests"), prompt.label)
        XCTAssertEqual(press(type("named by scope") + [.enter], &s), [.execute(.planContainment(source, reason: "named by scope", force: nil))])

        _ = press([.character("b")], &s)
        _ = ConsoleReducer.reduce(&s, .containmentPreviewed(source, whatIf: "stops 9 requests", refusals: ["a shared address"]), ConsoleFixture.data)
        guard case .prompt(let refused) = s.mode else { return XCTFail("no reason prompt") }
        XCTAssertTrue(refused.label.contains("REFUSED by the guards: a shared address"), refused.label)
        XCTAssertEqual(
            press(type("CISO said so") + [.enter], &s), [.execute(.planContainment(source, reason: "CISO said so", force: "CISO said so"))])

        s.selection[2] = 6  // 3 sources, 1 client, 2 accounts, then the key
        let key = ContainmentMeasure.blockKey(fingerprint: "fp:d646d844f42286d4", consumer: nil)
        XCTAssertEqual(press([.character("k")], &s), [.previewContainment(key)])
        s.previewing = nil
        s.selection[2] = 4  // an account taken over
        s.nowMs = 1_000_000
        let revoke = ContainmentMeasure.revokeTokens(.subject("aaron.brown", issuedBeforeMs: 1_000_000), untilMs: 1_000_000 + 86_400_000)
        XCTAssertEqual(press([.character("t")], &s), [.previewContainment(revoke)])
        s.previewing = nil

        s.screen = 4
        _ = press([.character("u")], &s)
        XCTAssertEqual(press(type("wrong address") + [.enter], &s), [.execute(.undoContainment(id: 5, reason: "wrong address"))])
        _ = press([.character("S")], &s)
        XCTAssertEqual(press([.enter], &s), [], "a status change needs a reason")
        _ = press([.character("S")], &s)
        XCTAssertEqual(press(type("blocks verified") + [.enter], &s), [.execute(.changeCaseStatus(.contained, reason: "blocks verified"))])
    }

    func testConfirmNeedsARationaleAndRunsTheSameCommandAsTheCLI() {
        var s = ConsoleState()
        s.screen = 2
        s.selection[2] = 1
        XCTAssertEqual(press([.character("c"), .enter], &s), [], "no rationale, no change")
        XCTAssertTrue(s.statusIsError)
        XCTAssertEqual(s.selection[2], 1, "a refused verdict keeps the cursor")
        _ = press([.character("c")], &s)
        let finding = ConsoleFixture.data.findings[1]
        guard case .prompt(let prompt) = s.mode else { return XCTFail("no prompt") }
        XCTAssertEqual(
            prompt.label, "confirm \(finding.detector) on \(finding.subject.kind.rawValue) \(finding.subject.value) (\(finding.id)) because")
        let effects = press(type("leaked partner key") + [.enter], &s)
        XCTAssertEqual(effects, [.execute(.setFindingState(id: finding.id, state: .confirmed, rationale: "leaked partner key"))])
        XCTAssertEqual(s.selection[2], 2, "the cursor moves on to the next finding")
        XCTAssertEqual(press([.character("d")] + type("x") + [.escape], &s), [], "Esc cancels")
    }

    func testDrillDownFilterAndBack() {
        var s = ConsoleState()
        s.screen = 2
        let mallory = FindingSubject(kind: .client, value: "mallory")
        let effects = press([.enter], &s)
        XCTAssertEqual(effects, [.loadRequests(mallory, filter: "", skip: 0)])
        let lines = ConsoleFixture.drillLines
        _ = ConsoleReducer.reduce(&s, .requestsLoaded(mallory, RequestLinesPage(lines: lines)), ConsoleFixture.data)
        // As it is typed, the filter narrows the page on screen; Enter runs it over every request.
        _ = press([.character("/")] + type("status=404"), &s)
        XCTAssertEqual(s.drillDown?.visible.count, 6)
        XCTAssertEqual(press([.enter], &s), [.loadRequests(mallory, filter: "status=404", skip: 0)])
        XCTAssertEqual(s.drillDown?.loading, true)
        let found = lines.filter { $0.status == 404 }
        _ = ConsoleReducer.reduce(
            &s, .requestsLoaded(mallory, RequestLinesPage(lines: found, matching: 6, total: 20, filter: "status=404")), ConsoleFixture.data)
        XCTAssertEqual(s.drillDown?.visible.count, 6)
        _ = press([.down, .down, .end], &s)
        XCTAssertEqual(s.drillSelection, 5)
        _ = press([.escape], &s)
        XCTAssertNil(s.drillDown)
    }

    /// Pages of 5,000 through a subject's requests, with the filter kept.
    /// Triage: filter and sort the findings, mark several, and give them one verdict.
    func testFilterSortMarkAndBulkVerdict() {
        var s = ConsoleState()
        s.screen = 2
        let all = ConsoleFixture.data.findings
        _ = press([.character("f")] + type("state=new"), &s)
        XCTAssertEqual(FindingList.visible(s, ConsoleFixture.data).map(\.id), all.filter { $0.state == .new }.map(\.id), "filters as typed")
        _ = press([.enter], &s)
        XCTAssertEqual(s.findingFilter, "state=new")
        _ = press([.character("o"), .character("o")], &s)
        XCTAssertEqual(s.findingOrder, .state)
        _ = press([.character("o")], &s)
        XCTAssertEqual(s.findingOrder, .confidence)
        let shown = FindingList.visible(s, ConsoleFixture.data)
        XCTAssertEqual(shown.last?.confidence, .weak, "weak findings sort after strong ones")
        XCTAssertEqual(press([.character("C")], &s), [], "nothing marked yet")
        XCTAssertTrue(s.statusIsError)
        _ = press([.home, .character(" "), .character(" ")], &s)
        XCTAssertEqual(s.marked, Set(shown.prefix(2).map(\.id)))
        XCTAssertEqual(
            press([.character("D")] + type("our own partner, rate limited") + [.enter], &s),
            shown.prefix(2).map {
                .execute(.setFindingState(id: $0.id, state: .dismissed, rationale: "our own partner, rate limited"))
            })
        XCTAssertEqual(s.marked, [], "marks are spent by the verdict")
        // The cursor reads the row on screen: Enter opens the filtered list's row, not the store's.
        _ = press([.home], &s)
        XCTAssertEqual(press([.enter], &s), [.loadRequests(shown[0].subject, filter: "", skip: 0)])
    }

    func testDetailPaneToggles() {
        var s = ConsoleState()
        s.screen = 2
        _ = press([.character("i")], &s)
        XCTAssertTrue(s.scopeShowsDetail)
        _ = press([.character("i")], &s)
        XCTAssertFalse(s.scopeShowsDetail)
    }

    func testDrillDownPagesThroughEveryRequest() {
        var s = ConsoleState()
        s.screen = 2
        let mallory = FindingSubject(kind: .client, value: "mallory")
        _ = press([.enter], &s)
        let page = { (first: Int) in
            RequestLinesPage(lines: ConsoleFixture.drillLines, first: first, matching: 12_000, total: 139_586, filter: "path~/v1")
        }
        _ = ConsoleReducer.reduce(&s, .requestsLoaded(mallory, page(0)), ConsoleFixture.data)
        XCTAssertEqual(press([.character("[")], &s), [], "no page before the first")
        XCTAssertEqual(press([.character("]")], &s), [.loadRequests(mallory, filter: "path~/v1", skip: 5_000)])
        _ = ConsoleReducer.reduce(&s, .requestsLoaded(mallory, page(10_000)), ConsoleFixture.data)
        XCTAssertEqual(press([.character("]")], &s), [], "no page after the last")
        XCTAssertEqual(press([.character("[")], &s), [.loadRequests(mallory, filter: "path~/v1", skip: 5_000)])
        _ = ConsoleReducer.reduce(&s, .requestsFailed(mallory, "status= takes a code"), ConsoleFixture.data)
        XCTAssertEqual(s.drillDown?.loading, false)
        XCTAssertTrue(s.statusIsError)
        XCTAssertEqual(s.drillDown?.page.first, 10_000, "a failed load keeps the page on screen")
    }

    func testSubjectsListDrillsIntoSourcesAndRoutes() {
        var s = ConsoleState()
        s.screen = 2
        _ = press([.character("s")], &s)
        XCTAssertTrue(s.scopeShowsSubjects)
        XCTAssertEqual(press([.enter], &s), [.loadRequests(.init(kind: .ip, value: "103.112.35.152"), filter: "", skip: 0)])
        _ = press([.escape, .end], &s)
        XCTAssertEqual(press([.enter], &s), [.loadRequests(.init(kind: .route, value: "/v1/orders/{orderId}"), filter: "", skip: 0)])
        _ = press([.escape, .character("c")], &s)
        XCTAssertTrue(s.statusIsError, "verdicts are for findings")
    }

    func testReviewKeysRunTheReviewAndAnswerOnlyWhatTheEvidenceLeftOpen() {
        var s = ConsoleState()
        s.screen = 7
        XCTAssertEqual(press([.character("r")], &s), [.execute(.runReview)])
        XCTAssertEqual(press([.character("r")], &s), [], "disabled while it runs")
        _ = ConsoleReducer.reduce(&s, .finished(message: "review recorded", isError: false), ConsoleFixture.data)
        XCTAssertEqual(press([.character("p")], &s), [], "the first item failed on the evidence: nothing to answer")
        s.selection[7] = 2
        XCTAssertEqual(
            press([.character("f")] + type("the limiter sends none") + [.enter], &s),
            [.execute(.answerReview(item: "retry-after", state: .fail, reason: "the limiter sends none"))])
        s.selection[7] = 4
        XCTAssertEqual(press([.character("p")] + [.enter], &s), [], "a reason is required")
        XCTAssertTrue(s.statusIsError)
    }

    func testExportAsksForAFileAndTakesTheFormatFromItsName() {
        var s = ConsoleState()
        s.screen = 3
        XCTAssertEqual(press([.character("e")] + type("report.txt") + [.enter], &s), [], "a name that says no format")
        XCTAssertTrue(s.statusIsError)
        XCTAssertNil(s.busy)
        XCTAssertEqual(
            press([.character("e")] + type("case.iris.csv") + [.enter], &s),
            [.execute(.export(format: "iris", path: "case.iris.csv", sinceMs: nil, untilMs: nil, force: false, reason: "exported from the console"))])
        XCTAssertEqual(press([.character("e")], &s), [], "disabled while the export runs")
        _ = ConsoleReducer.reduce(&s, .finished(message: "exported", isError: false), ConsoleFixture.data)
        XCTAssertEqual(
            press([.character("e")] + type("r.html") + [.enter], &s),
            [.execute(.export(format: "html", path: "r.html", sinceMs: nil, untilMs: nil, force: false, reason: "exported from the console"))])
    }

    func testNotesIngestScopeVerifyAndQuit() {
        var s = ConsoleState()
        s.screen = 3
        XCTAssertEqual(press([.character("n")] + type("paged") + [.enter], &s), [.execute(.note(text: "paged", corrects: nil))])
        XCTAssertEqual(press([.character("v")], &s), [.verify])
        XCTAssertNotNil(s.busy)
        XCTAssertEqual(press([.character("v")], &s), [], "disabled while busy")
        _ = ConsoleReducer.reduce(&s, .finished(message: "chain intact", isError: false), ConsoleFixture.data)
        s.screen = 1
        XCTAssertEqual(
            press([.character("i")] + type("/tmp/a.log") + [.enter], &s),
            [.execute(.ingest(path: "/tmp/a.log", format: nil, openAPISpec: nil, rationale: ""))])
        _ = ConsoleReducer.reduce(&s, .finished(message: "imported", isError: false), ConsoleFixture.data)
        s.screen = 0
        XCTAssertEqual(press([.character("r")], &s), [.execute(.runScope(fromMs: nil, toMs: nil))])
        XCTAssertEqual(press([.control("c")], &s), [.quit])
    }

    func testKeyBindingDocIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/KEYBINDINGS.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(
            committed, KeyBindingDoc.markdown(), "docs/KEYBINDINGS.md is stale: run `swift run tourniquet keybindings > docs/KEYBINDINGS.md`")
    }
}
