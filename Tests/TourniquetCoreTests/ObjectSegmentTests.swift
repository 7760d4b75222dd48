import XCTest

@testable import TourniquetIngest

final class ObjectSegmentTests: XCTestCase {
    func testTheLastParameterIsFoundFromTheEnd() throws {
        XCTAssertEqual(try XCTUnwrap(ObjectSegment("/v1/orders/{orderId}")).value(in: "/v1/orders/5001"), "5001")
        XCTAssertEqual(try XCTUnwrap(ObjectSegment("/v1/accounts/{id}/orders")).value(in: "/v1/accounts/7/orders"), "7")
        XCTAssertEqual(try XCTUnwrap(ObjectSegment("/accounts/{accountId}")).value(in: "/api/v2/accounts/77/"), "77")
        XCTAssertNil(try XCTUnwrap(ObjectSegment("/v1/accounts/{id}/orders")).value(in: "/orders"))
        XCTAssertNil(ObjectSegment("/v1/products"))
    }
}
