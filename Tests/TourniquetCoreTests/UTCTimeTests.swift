import XCTest

@testable import TourniquetModel

final class UTCTimeTests: XCTestCase {
    func testFormatsMillisecondsWithZ() {
        XCTAssertEqual(UTCTime.format(ms: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(UTCTime.format(ms: 1_700_000_000_123), "2023-11-14T22:13:20.123Z")
        XCTAssertEqual(UTCTime.format(ms: 951_782_400_000), "2000-02-29T00:00:00.000Z")
        XCTAssertEqual(UTCTime.format(ms: -1), "1969-12-31T23:59:59.999Z")
    }
}
