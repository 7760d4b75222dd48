import XCTest

@testable import TourniquetModel

/// The ledger reads every measure's state from the action log alone.
final class ContainmentLedgerTests: XCTestCase {
    private var actions: [Action] = []

    private func add(_ kind: ActionKind, _ details: JSONValue, reason: String = "r") -> Int64 {
        let id = Int64(actions.count + 1)
        actions.append(
            Action(
                id: id, at: UTCTime.format(ms: 1_000 * id), actor: "a", kind: kind.rawValue, target: "t", details: details.canonicalJSON,
                rationale: reason, corrects: nil, prevHash: "", hash: ""))
        return id
    }

    private func plan(_ measure: ContainmentMeasure) -> Int64 { add(.containmentPlanned, measure.details) }

    private func applying(puts: [Int64], removes: [Int64] = []) -> Int64 {
        add(.containmentApplying, .fields(["puts": .array(puts.map { .int($0) }), "removes": .array(removes.map { .int($0) })]))
    }

    private func state(_ id: Int64, now: Int64 = 100_000) -> ContainmentState? { ContainmentLedger(actions: actions, nowMs: now)[id]?.state }

    func testAMeasureGoesFromPendingToVerified() {
        let block = plan(.blockAddress(network: CIDR("203.0.113.9")!, expiresAtMs: nil))
        XCTAssertEqual(state(block), .pending)
        let apply = applying(puts: [block])
        XCTAssertEqual(state(block), .outcomeUnknown, "intent recorded, no outcome: a crash shows as unknown")
        XCTAssertNil(ContainmentLedger(actions: actions, nowMs: 0)[block]?.onGateway)
        _ = add(.containmentApplied, .fields(["apply": .int(apply)]))
        XCTAssertEqual(state(block), .applied)
        _ = add(.containmentVerified, .fields(["apply": .int(apply)]))
        XCTAssertEqual(state(block), .verified)
        XCTAssertEqual(ContainmentLedger(actions: actions, nowMs: 0)[block]?.onGateway, true)
    }

    func testAFailedApplyFailsTheNewMeasuresAndKeepsTheOnesInForce() {
        let old = plan(.blockAddress(network: CIDR("203.0.113.9")!, expiresAtMs: nil))
        let first = applying(puts: [old])
        _ = add(.containmentApplied, .fields(["apply": .int(first)]))
        let new = plan(.disableEndpoint(method: "GET", route: "/v1/x", status: 410, message: nil))
        let second = applying(puts: [old, new])
        _ = add(.containmentFailed, .fields(["apply": .int(second), "phase": "test", "error": "nginx -t refused"]))
        let ledger = ContainmentLedger(actions: actions, nowMs: 0)
        XCTAssertEqual(ledger[new]?.state, .failed)
        XCTAssertEqual(ledger[new]?.note, "nginx -t refused")
        XCTAssertEqual(ledger[new]?.onGateway, false)
        XCTAssertEqual(ledger[old]?.state, .applied, "still in force from the first apply")
        XCTAssertEqual(ledger[old]?.onGateway, true)
        XCTAssertTrue(ledger[old]?.note.contains("failed") ?? false)
    }

    func testAFailedCheckLeavesTheChangeOnTheGateway() {
        let block = plan(.blockAddress(network: CIDR("203.0.113.9")!, expiresAtMs: nil))
        let apply = applying(puts: [block])
        _ = add(.containmentApplied, .fields(["apply": .int(apply)]))
        _ = add(.containmentFailed, .fields(["apply": .int(apply), "phase": "verify", "error": "not included"]))
        let ledger = ContainmentLedger(actions: actions, nowMs: 0)
        XCTAssertEqual(ledger[block]?.state, .failed)
        XCTAssertEqual(ledger[block]?.onGateway, true)
    }

    func testUndoneAndExpiredMeasuresAreRemovedByTheNextApply() {
        let lasting = plan(.blockAddress(network: CIDR("203.0.113.9")!, expiresAtMs: nil))
        let expiring = plan(.blockAddress(network: CIDR("198.51.100.0/24")!, expiresAtMs: 50_000))
        let undone = plan(.blockKey(fingerprint: "fp:0011223344556677", consumer: "partner"))
        let never = plan(.blockKey(fingerprint: "fp:8899aabbccddeeff", consumer: nil))
        let first = applying(puts: [lasting, expiring, undone])
        _ = add(.containmentApplied, .fields(["apply": .int(first)]))
        _ = add(.containmentUndone, .fields(["measure_id": .int(undone)]))
        _ = add(.containmentUndone, .fields(["measure_id": .int(never)]))

        let later = ContainmentLedger(actions: actions, nowMs: 60_000)
        XCTAssertEqual(later[expiring]?.state, .expired)
        XCTAssertEqual(later[undone]?.state, .undone)
        XCTAssertEqual(later.inForce.map(\.id), [lasting])
        XCTAssertEqual(later.toRemove.map(\.id), [expiring, undone], "a measure never applied has nothing to remove")

        let second = applying(puts: [lasting], removes: [expiring, undone])
        _ = add(.containmentApplied, .fields(["apply": .int(second)]))
        let after = ContainmentLedger(actions: actions, nowMs: 60_000)
        XCTAssertEqual(after.toRemove.map(\.id), [])
        XCTAssertEqual(after[undone]?.onGateway, false)
        XCTAssertEqual(after[undone]?.state, .undone)
    }

    func testMeasuresRoundTripThroughTheirRecordedForm() {
        let measures: [ContainmentMeasure] = [
            .blockAddress(network: CIDR("2001:db8::/32")!, expiresAtMs: 1_764_417_600_000),
            .blockAddress(network: CIDR("203.0.113.7")!, expiresAtMs: nil),
            .blockKey(fingerprint: "fp:0011223344556677", consumer: "partner-sync"),
            .disableEndpoint(method: "DELETE", route: "/v1/users/{id}", status: 503, message: "back soon"),
        ]
        for measure in measures { XCTAssertEqual(ContainmentMeasure(details: measure.details), measure, measure.summary) }
        XCTAssertNil(ContainmentMeasure(details: .fields(["measure": "block-planet"])))
    }

    func testNetworksAreCanonicalAndReservedRangesAreKnown() {
        XCTAssertEqual(CIDR("203.0.113.77/24")?.description, "203.0.113.0/24")
        XCTAssertEqual(CIDR("203.0.113.77")?.description, "203.0.113.77/32")
        XCTAssertEqual(CIDR("2001:DB8:0:0:0:0:0:1")?.description, "2001:db8::1/128")
        XCTAssertEqual(CIDR("::1")?.description, "::1/128")
        XCTAssertTrue(CIDR("10.0.0.0/7")!.overlaps(CIDR("10.1.2.3")!))
        XCTAssertFalse(CIDR("11.0.0.0/8")!.overlaps(CIDR("10.1.2.3")!))
        let reserved = { (text: String) in CIDR.reserved.contains { $0.network.overlaps(CIDR(text)!) } }
        for text in ["10.9.9.9", "127.0.0.2", "192.168.1.0/24", "0.0.0.0/0", "fe80::1", "100.64.1.1"] { XCTAssertTrue(reserved(text), text) }
        for text in ["203.0.113.7", "8.8.8.0/24", "2001:db8::1"] { XCTAssertFalse(reserved(text), text) }
    }
}
