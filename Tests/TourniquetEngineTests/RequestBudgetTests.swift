import XCTest

@testable import TourniquetEngine

/// Cloudflare refuses every call for five minutes once a client passes 1,200 in five minutes: the
/// budget waits for room instead, on a clock the test controls.
final class RequestBudgetTests: XCTestCase {
    func testAFullWindowWaitsUntilTheOldestCallLeavesIt() {
        var now = 1_000.0
        var slept: [Double] = []
        let budget = RequestBudget(
            limit: 3, window: 300, now: { now },
            sleep: {
                slept.append($0)
                now += $0
            })
        for _ in 0..<3 {
            XCTAssertEqual(budget.take(), 0)
            now += 10
        }
        // Three calls at 1000, 1010 and 1020; the fourth at 1030 waits until 1300.
        XCTAssertEqual(budget.take(), 270, accuracy: 0.001)
        XCTAssertEqual(now, 1_300, accuracy: 0.001)
        // The fifth waits for the second call (1010) to leave the window.
        XCTAssertEqual(budget.take(), 10, accuracy: 0.001)
        XCTAssertEqual(slept.count, 2)
        now += 1_000
        XCTAssertEqual(budget.take(), 0, "an idle window is empty again")
    }
}
