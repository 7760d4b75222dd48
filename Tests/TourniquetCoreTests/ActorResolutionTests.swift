import XCTest

@testable import TourniquetModel

final class ActorResolutionTests: XCTestCase {
    func testFlagThenEnvironmentThenLoginName() {
        XCTAssertEqual(ActorResolution.resolve(flag: "alice", environment: ["TOURNIQUET_ACTOR": "bob"], loginName: "root"), "alice")
        XCTAssertEqual(ActorResolution.resolve(flag: nil, environment: ["TOURNIQUET_ACTOR": "bob"], loginName: "root"), "bob")
        XCTAssertEqual(ActorResolution.resolve(flag: "  ", environment: ["TOURNIQUET_ACTOR": ""], loginName: "root"), "root")
        XCTAssertEqual(ActorResolution.resolve(flag: nil, environment: [:], loginName: nil), "unknown")
    }
}
