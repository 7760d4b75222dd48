import XCTest

@testable import TourniquetContainment
@testable import TourniquetModel

/// What Cloudflare can hold: lists take IPv4 from /8 and IPv6 from /12 to /64; access rules take
/// single addresses and a few range sizes. The plan places, widens or leaves out each block, and
/// says which.
final class CloudflarePlanTests: XCTestCase {
    private func block(_ id: Int64, _ network: String) -> ContainmentEntry {
        ContainmentEntry(
            id: id, measure: .blockAddress(network: CIDR(network)!, expiresAtMs: nil), reason: "r", actor: "a", plannedAt: "", forced: nil,
            state: .pending, onGateway: false, lastApply: nil, note: "", undoneBy: nil)
    }

    func testListValuesAreWidenedOrLeftOutWithAReason() {
        let plan = CloudflarePlan(
            caseID: "8E0E-BDFE-1234",
            entries: [
                block(2, "203.0.113.7"), block(3, "198.51.100.9/24"), block(4, "10.0.0.0/7"), block(5, "2001:db8::1"),
                block(6, "2001:db8::2"), block(7, "2001:db8:1::/48"), block(8, "2001::/8"),
            ], mode: .list)
        XCTAssertEqual(plan.listName, "tourniquet_8e0ebdfe", "lower-case letters, digits and underscores only")
        XCTAssertEqual(plan.ruleExpression, "ip.src in $tourniquet_8e0ebdfe")
        XCTAssertEqual(plan.entries.map(\.value), ["203.0.113.7", "198.51.100.0/24", "2001:db8::/64", "2001:db8:1::/48"])
        XCTAssertEqual(plan.entries[2].measureIDs, [5, 6], "two addresses in one /64 are one item")
        XCTAssertEqual(plan.entries[2].tag, "tourniquet tq-case-8e0ebdfe tq-measure-5 tq-measure-6")
        XCTAssertEqual(plan.skipped.map(\.id), [4, 8])
        XCTAssertEqual(plan.widened.count, 2)
        XCTAssertTrue(plan.isOurs("tourniquet tq-case-8e0ebdfe tq-measure-2"))
        XCTAssertFalse(plan.isOurs("tourniquet tq-case-8e0ebdfe0 tq-measure-2"), "another case's tag with our prefix is not ours")
        XCTAssertFalse(plan.isOurs(nil))
    }

    func testAccessRulesTakeOnlyTheirRangeSizes() {
        let plan = CloudflarePlan(
            caseID: "case",
            entries: [
                block(2, "203.0.113.7"), block(3, "198.51.100.0/24"), block(4, "198.51.100.0/23"), block(5, "2001:db8::7"), block(6, "2001:db8::/48"),
            ],
            mode: .accessRules)
        XCTAssertEqual(plan.entries.map(\.target), ["ip", "ip_range", "ip6", "ip_range"])
        XCTAssertEqual(plan.skipped.map(\.id), [4])
        XCTAssertEqual(
            plan.accessRule(plan.entries[0]).canonicalJSON,
            #"{"configuration":{"target":"ip","value":"203.0.113.7"},"mode":"block","notes":"tourniquet tq-case-case tq-measure-2"}"#)
    }

    func testAnswersAreComparedInOneSpelling() {
        XCTAssertEqual(CloudflarePlan.normalized("203.0.113.7/32"), "203.0.113.7")
        XCTAssertEqual(CloudflarePlan.normalized("2001:0db8:0000::/64"), "2001:db8::/64")
        XCTAssertEqual(CloudflarePlan.normalized("198.51.100.9/24"), "198.51.100.0/24")
        XCTAssertEqual(CloudflarePlan.normalized("not an address"), "not an address")
    }

    func testTheScriptQuotesWhatItIsGiven() {
        let plan = CloudflarePlan(caseID: "case", entries: [block(2, "203.0.113.7")], mode: .accessRules)
        let script = plan.script(accountID: nil, zoneID: "zone'; rm -rf /")
        XCTAssertTrue(script.contains(#"zone='zone'\''; rm -rf /'"#), script)
    }
}
