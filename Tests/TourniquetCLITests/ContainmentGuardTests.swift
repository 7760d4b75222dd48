import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetSimulation
import TourniquetTestSupport
import XCTest

/// The guards against blocks that hurt the wrong people, on a simulated incident: every decoy the
/// simulator plants (the office NAT, the health monitor, a user who once hit an admin page, the
/// partner's and the export job's servers) is refused, and the attackers scope names are not.
final class ContainmentGuardTests: XCTestCase {
    func testTheGuardsRefuseTheDecoysAndAcceptTheAttackers() throws {
        let dir = TemporaryDirectory("tourniquet-guards")
        let spec = SimulationSpec(seed: 7, scenarios: [], format: "kong", lines: 20_000)
        let written = try IncidentFiles.write(spec, to: dir.path)
        let clock = WallClock.live
        let engine = try CaseEngine.createCase(
            at: dir.file("guards.case"), title: "guards", severity: .high, detectedAtMs: nil, isDrill: true,
            context: CommandContext(actor: "guard-test", clock: clock))
        try engine.execute(.ingest(path: written.log, format: nil, openAPISpec: written.openAPI, rationale: ""))
        try engine.execute(.runScope(fromMs: nil, toMs: nil))
        let truth = written.incident.truth
        XCTAssertFalse(truth.decoys.ips.isEmpty)
        XCTAssertFalse(truth.attackers.ips.isEmpty)

        var sharedRefusals = 0
        for ip in truth.decoys.ips {
            let measure = ContainmentMeasure.blockAddress(network: try XCTUnwrap(CIDR(ip)), expiresAtMs: nil)
            XCTAssertThrowsError(try engine.execute(.planContainment(measure, reason: "looks odd", force: nil)), "decoy \(ip)") { error in
                guard let refusal = error as? GuardRefusal else { return XCTFail("\(ip): \(error)") }
                if refusal.reasons.contains(where: { $0.contains("shared address") }) { sharedRefusals += 1 }
            }
        }
        XCTAssertGreaterThanOrEqual(sharedRefusals, 1, "the office NAT is refused as a shared address, with its collateral")

        // With the responder's reason the same block goes ahead, and the override is on the record.
        let nat = ContainmentMeasure.blockAddress(network: try XCTUnwrap(CIDR(truth.decoys.ips[0])), expiresAtMs: nil)
        guard case .recorded(let forced) = try engine.execute(.planContainment(nat, reason: "r", force: "ordered by the CISO")) else {
            return XCTFail("not recorded")
        }
        XCTAssertTrue(forced.details.contains("ordered by the CISO"))
        XCTAssertTrue(forced.details.contains("\"guards\":[\""))

        for ip in truth.attackers.ips.prefix(10) {
            let measure = ContainmentMeasure.blockAddress(network: try XCTUnwrap(CIDR(ip)), expiresAtMs: nil)
            XCTAssertNoThrow(try engine.execute(.planContainment(measure, reason: "named by scope", force: nil)), "attacker \(ip)")
        }
        let ledger = try CaseEngine.ledger(of: engine.caseFile, nowMs: clock.nowMs())
        XCTAssertEqual(ledger.entries.count, min(10, truth.attackers.ips.count) + 1)
        XCTAssertTrue(ledger.entries.allSatisfy { $0.state == .pending })
    }
}
