import Foundation
import XCTest

@testable import TourniquetModel
@testable import TourniquetResponse

/// Deadlines are instants counted in UTC; business days are counted in the regime's own zone, across
/// weekends, holidays and DST changes; the responder reads them in theirs.
final class DeadlineTests: XCTestCase {
    private func ms(_ text: String) -> Int64 { Timestamps.parseRFC3339(text)!.ms }

    private func regime(_ deadlines: [NotificationRegime.Deadline], calendar: NotificationRegime.BusinessCalendar? = nil) -> NotificationRegime {
        NotificationRegime(
            id: "r", title: "R", party: .regulator, recipient: "", inForce: true, voluntary: false, note: "", source: "", deadlines: deadlines,
            contents: [], draft: "", businessCalendar: calendar)
    }

    private let newYork = NotificationRegime.BusinessCalendar(
        timeZone: TimeZone(identifier: "America/New_York")!, holidays: ["2026-11-26", "2026-12-25", "2027-01-01"])

    func testHoursCountFromTheClockAndWaitForIt() {
        let gdpr = regime([.init(name: "notification", rules: [.init(base: .clock("awareness"), span: .hours(72))], text: "")])
        XCTAssertNil(Deadlines.due(gdpr, clocks: [:])[0].atMs)
        XCTAssertEqual(Deadlines.due(gdpr, clocks: [:])[0].waitingFor, ["awareness"])
        let due = Deadlines.due(gdpr, clocks: ["awareness": ms("2026-12-01T09:00:00Z")])[0]
        XCTAssertEqual(due.atMs, ms("2026-12-04T09:00:00Z"))
        XCTAssertEqual(due.rule, "72 h after awareness")
    }

    func testBusinessDaysSkipWeekendsAndHolidaysAndEndAtMidnightThere() {
        let sec = regime([.init(name: "filing", rules: [.init(base: .clock("determination"), span: .businessDays(4))], text: "")], calendar: newYork)
        // Determined Wednesday before Thanksgiving, 15:00 in New York: Fri 27, Mon 30, Tue 1, Wed 2.
        let thanksgiving = Deadlines.due(sec, clocks: ["determination": ms("2026-11-25T20:00:00Z")])[0]
        XCTAssertEqual(thanksgiving.atMs, ms("2026-12-03T04:59:59.999Z"), "the end of Wed 2 December in New York (EST)")
        // Determined late on a Friday in New York, which is already Saturday in UTC: the day is New York's.
        let friday = Deadlines.due(sec, clocks: ["determination": ms("2026-12-05T03:30:00Z")])[0]
        XCTAssertEqual(friday.atMs, ms("2026-12-11T04:59:59.999Z"), "Fri 4 Dec counts as the start: Mon 7 … Thu 10")
        // Across the spring DST change (8 March 2026): the last day ends at midnight EDT.
        let spring = Deadlines.due(sec, clocks: ["determination": ms("2026-03-06T15:00:00Z")])[0]
        XCTAssertEqual(spring.atMs, ms("2026-03-13T03:59:59.999Z"))
        // Christmas and New Year inside the count.
        let winter = Deadlines.due(sec, clocks: ["determination": ms("2026-12-23T15:00:00Z")])[0]
        XCTAssertEqual(winter.atMs, ms("2026-12-31T04:59:59.999Z"), "Thu 24, Mon 28, Tue 29, Wed 30")
    }

    func testTheEarliestRuleWinsAndLaterDeadlinesChain() {
        let dora = regime([
            .init(
                name: "initial", rules: [.init(base: .clock("classification"), span: .hours(4)), .init(base: .clock("awareness"), span: .hours(24))],
                text: ""),
            .init(name: "final", rules: [.init(base: .deadline("initial"), span: .months(1))], text: ""),
        ])
        let early = Deadlines.due(dora, clocks: ["awareness": ms("2026-01-31T10:00:00Z")])
        XCTAssertEqual(early[0].atMs, ms("2026-02-01T10:00:00Z"), "only awareness: 24 h")
        XCTAssertEqual(early[1].atMs, ms("2026-03-01T10:00:00Z"), "a month after 1 February")
        let classified = Deadlines.due(dora, clocks: ["awareness": ms("2026-01-31T10:00:00Z"), "classification": ms("2026-01-31T12:00:00Z")])
        XCTAssertEqual(classified[0].atMs, ms("2026-01-31T16:00:00Z"), "classification + 4 h comes first")
        let late = Deadlines.due(dora, clocks: ["awareness": ms("2026-01-31T10:00:00Z"), "classification": ms("2026-02-01T09:00:00Z")])
        XCTAssertEqual(late[0].atMs, ms("2026-02-01T10:00:00Z"), "never later than awareness + 24 h")
        XCTAssertEqual(
            Deadlines.due(regime([.init(name: "notice", rules: [], text: "without undue delay")]), clocks: [:])[0].rule, "without undue delay")
    }

    func testTheResponderReadsTheDeadlineInTheirZoneAcrossDST() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        XCTAssertEqual(Deadlines.format(ms("2026-03-28T09:00:00Z"), in: berlin), "Sat 2026-03-28 10:00 +01:00 Europe/Berlin (Sat 2026-03-28 09:00Z)")
        XCTAssertEqual(Deadlines.format(ms("2026-03-29T09:00:00Z"), in: berlin), "Sun 2026-03-29 11:00 +02:00 Europe/Berlin (Sun 2026-03-29 09:00Z)")
        XCTAssertEqual(Deadlines.format(ms("2026-12-04T09:00:00Z"), in: TimeZone(identifier: "UTC")!), "Fri 2026-12-04 09:00Z")
        let tokyo = TimeZone(identifier: "Asia/Tokyo")!
        XCTAssertEqual(Deadlines.format(ms("2026-12-04T20:00:00Z"), in: tokyo), "Sat 2026-12-05 05:00 +09:00 Asia/Tokyo (Fri 2026-12-04 20:00Z)")
    }

    func testCountdownWarnsUnderTwelveHoursAndAlarmsWhenPast() {
        let due = ms("2026-12-04T09:00:00Z")
        XCTAssertEqual(Countdown.remaining(due, nowMs: ms("2026-12-01T12:30:00Z")), "in 2d 20h")
        XCTAssertEqual(Countdown.urgency(due, nowMs: ms("2026-12-01T12:30:00Z")), .later)
        XCTAssertEqual(Countdown.remaining(due, nowMs: ms("2026-12-04T01:00:00Z")), "in 8h 0m")
        XCTAssertEqual(Countdown.urgency(due, nowMs: ms("2026-12-04T01:00:00Z")), .soon)
        XCTAssertEqual(Countdown.remaining(due, nowMs: ms("2026-12-04T09:47:00Z")), "overdue by 47m")
        XCTAssertEqual(Countdown.urgency(due, nowMs: ms("2026-12-04T09:47:00Z")), .overdue)
    }

    func testRecipientCellsCannotRunAsFormulas() {
        let csv = RecipientCSV.render(
            header: ["account", "why"], rows: [["=HYPERLINK(\"http://x\")", "a, b"], ["+1", "-2"], ["@sum", "plain"], ["alice\nbob", "ok"]])
        XCTAssertEqual(
            csv,
            "account,why\r\n\"'=HYPERLINK(\"\"http://x\"\")\",\"a, b\"\r\n'+1,'-2\r\n'@sum,plain\r\nalice\\nbob,ok\r\n")
    }

    func testDraftsFillWhatTheCaseKnowsAndKeepUnknownPlaceholders() {
        let facts = NoticeFacts(
            title: "Shop", attack: "credential-stuffing", window: "a and b", accountsCount: 3, keysCount: 1, data: "/v1/orders (4 objects)",
            actions: "block 203.0.113.7/32", awareness: "Tue")
        XCTAssertEqual(
            facts.fill("{attack} on {title}: {accounts_count} accounts, {data}; {nope}"),
            "credential-stuffing on Shop: 3 accounts, /v1/orders (4 objects); {nope}")
    }
}
