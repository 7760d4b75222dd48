import XCTest

@testable import TourniquetModel

/// Finding ids: one per detector, subject and (where the detector works per route) route.
final class FindingIDTests: XCTestCase {
    func testRouteSeparatesIdsAndRoutelessIdsAreUnchanged() {
        let mallory = FindingSubject(kind: .client, value: "mallory")
        // The id every existing case already holds for a route-independent conclusion.
        XCTAssertEqual(Finding.stableID(detector: .bolaEnumeration, subject: mallory), "F-4d3b115ced")
        let orders = Finding.stableID(detector: .bolaEnumeration, subject: mallory, route: "/v1/orders/{id}")
        let invoices = Finding.stableID(detector: .bolaEnumeration, subject: mallory, route: "/v1/invoices/{id}")
        XCTAssertNotEqual(orders, invoices)
        XCTAssertNotEqual(orders, "F-4d3b115ced")
        XCTAssertEqual(orders, Finding.stableID(detector: .bolaEnumeration, subject: mallory, route: "/v1/orders/{id}"))
        let finding = Finding(
            detector: .bolaEnumeration, severity: .critical, subject: mallory, route: "/v1/orders/{id}",
            firstMs: 0, lastMs: 1, requests: 2, evidence: [:])
        XCTAssertEqual(finding.id, orders)
    }
}
