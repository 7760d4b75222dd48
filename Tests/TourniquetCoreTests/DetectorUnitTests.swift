import XCTest
@testable import TourniquetCore

final class DetectorUnitTests: XCTestCase {
    func testDefaultsLoadAndTyposAreRefused() throws {
        XCTAssertEqual(DetectorConfig.defaults.credentialStuffing.minFailures, 10)
        XCTAssertEqual(try DetectorConfig.load(json: Data(DetectorDefaults.json.utf8)), DetectorConfig.defaults)
        let typo = DetectorDefaults.json.replacingOccurrences(of: "\"min_failures\": 10, \"min_failure_ratio\"", with: "\"min_failure\": 10, \"min_failure_ratio\"")
        XCTAssertThrowsError(try DetectorConfig.load(json: Data(typo.utf8))) { error in
            XCTAssertTrue("\(error)".contains("min_failure"), "\(error)")
        }
        let badSeverity = DetectorDefaults.json.replacingOccurrences(of: "\"severity\": \"critical\"", with: "\"severity\": \"urgent\"")
        XCTAssertThrowsError(try DetectorConfig.load(json: Data(badSeverity.utf8)))
        let badRatio = DetectorDefaults.json.replacingOccurrences(of: "\"min_error_ratio\": 0.6", with: "\"min_error_ratio\": 6")
        XCTAssertThrowsError(try DetectorConfig.load(json: Data(badRatio.utf8)))
        XCTAssertThrowsError(try DetectorConfig.load(json: Data("[]".utf8)))
    }

    func testRouteTraits() {
        let c = DetectorConfig.defaults
        XCTAssertTrue(c.traits(ofRoute: "/v1/login").contains(.authentication))
        XCTAssertTrue(c.traits(ofRoute: "/v1/admin/users").contains(.privileged))
        XCTAssertTrue(c.traits(ofRoute: "/v1/password-reset").contains(.passwordReset))
        XCTAssertTrue(c.traits(ofRoute: "/health").contains(.health))
        XCTAssertEqual(c.traits(ofRoute: "/v1/orders/{orderId}"), [.templated])
    }

    func testSlidingWindowFindsTheBusiestStretch() {
        let times: [Int64] = [0, 10, 20, 1000, 1001, 1002, 1003, 5000]
        let best = SlidingWindow.busiest(times, windowMs: 100)
        XCTAssertEqual(best.count, 4)
        XCTAssertEqual(times[best.startIndex], 1000)
        XCTAssertEqual(SlidingWindow.busiest([], windowMs: 10).count, 0)
    }

    func testBOLARangesAndSequence() {
        XCTAssertEqual(BOLADetector.ranges([1, 2, 3, 7, 9, 10]), "1-3, 7, 9-10")
        XCTAssertEqual(BOLADetector.sequentialFraction([5000, 5001, 5002, 5004, 5005]), 1.0)
        XCTAssertLessThan(BOLADetector.sequentialFraction([3, 900, 4_000, 77_000]), 0.1)
        // Dense ids read in random order are not a walk, though sorted they would look like one.
        XCTAssertLessThan(BOLADetector.sequentialFraction([70_008, 70_044, 70_012, 70_090, 70_014, 70_070]), 0.3)
    }

    func testAllowlistEntries() {
        XCTAssertEqual(Allowlist.Entry.parse("203.0.113.7")?.kind, .ip)
        XCTAssertEqual(Allowlist.Entry.parse("10.0.0.0/8")?.kind, .cidr)
        XCTAssertEqual(Allowlist.Entry.parse("client:svc-billing"), .init(kind: .client, value: "svc-billing"))
        XCTAssertNil(Allowlist.Entry.parse("not an address"))
        let list = Allowlist([.init(kind: .cidr, value: "10.0.0.0/8"), .init(kind: .client, value: "svc")])
        XCTAssertTrue(list.allows(ip: "10.1.2.3"))
        XCTAssertFalse(list.allows(ip: "11.1.2.3"))
        XCTAssertTrue(list.allows(client: "svc"))
    }

    func testFindingIDsAreStable() {
        let a = Finding.stableID(detector: "scraping", subject: .init(kind: .key, value: "partner-acme"))
        XCTAssertEqual(a, Finding.stableID(detector: "scraping", subject: .init(kind: .key, value: "partner-acme")))
        XCTAssertNotEqual(a, Finding.stableID(detector: "scraping", subject: .init(kind: .client, value: "partner-acme")))
        XCTAssertTrue(a.hasPrefix("F-") && a.count == 12)
    }
}
