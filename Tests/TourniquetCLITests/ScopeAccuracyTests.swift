import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetIngest
import TourniquetModel
import TourniquetSimulation
import TourniquetTestSupport
import XCTest

@testable import TourniquetStore

/// Scope against simulated incidents with ground truth: many seeds, every log format, each
/// scenario alone. Attacker recall 100% and precision ≥ 0.95, compromised accounts and keys exact,
/// BOLA object recall ≥ 0.99, and no decoy flagged.
final class ScopeAccuracyTests: XCTestCase {
    struct Outcome {
        var report: ScopeReport
        var truth: GroundTruth
        var fingerprint: (String) -> String
    }

    private func run(
        seed: UInt64, format: String, scenarios: [SimulatedScenario] = [], identifiedLogins: Bool = false, benignOnly: Bool = false,
        lines: Int = 20_000
    ) throws -> Outcome {
        let dir = TemporaryDirectory("tourniquet-drill")
        let spec = SimulationSpec(
            seed: seed, scenarios: scenarios, format: format, lines: lines, identifiedLogins: identifiedLogins, benignOnly: benignOnly)
        let written = try IncidentFiles.write(spec, to: dir.path)
        let context = CommandContext(actor: "accuracy-test", clock: .live)
        let engine = try CaseEngine.createCase(
            at: dir.file("drill.case"), title: "drill", severity: .high, detectedAtMs: nil, isDrill: true, context: context)
        let outcome = try engine.execute(.ingest(path: written.log, format: nil, openAPISpec: written.openAPI, rationale: ""))
        guard case .ingested(.imported(let record, _)) = outcome else {
            XCTFail("a fresh case reported the log as a duplicate")
            throw MissingRequirement(what: "an imported log")
        }
        XCTAssertEqual(record.malformed, 0, "\(format) seed \(seed): the simulator wrote lines the parser refused")
        guard case .scoped(let report, _) = try engine.execute(.runScope(fromMs: nil, toMs: nil)) else {
            throw MissingRequirement(what: "a scope report")
        }
        let redactor = SecretRedactor(caseKey: try engine.caseFile.fingerprintKey())
        return Outcome(report: report, truth: written.incident.truth, fingerprint: redactor.fingerprint)
    }

    private func check(_ o: Outcome, _ label: String) {
        let score = ScopeScore(report: o.report, truth: o.truth, fingerprint: o.fingerprint)
        // An empty truth would make every check below pass vacuously.
        XCTAssertNotNil(score.sourceRecall, "\(label): the truth names no attacker")
        XCTAssertEqual(score.missedSources, [], "\(label): missed sources")
        XCTAssertGreaterThanOrEqual(score.sourcePrecision ?? 1, 0.95, "\(label): extra sources \(score.extraSources)")
        XCTAssertEqual(score.missedClients, [], "\(label): missed clients")
        XCTAssertGreaterThanOrEqual(score.clientPrecision ?? 1, 0.95, "\(label): extra clients \(score.extraClients)")
        XCTAssertEqual(score.missedAccounts + score.wrongAccounts, [], "\(label): compromised accounts")
        XCTAssertEqual(score.missedKeys + score.wrongKeys, [], "\(label): compromised keys")
        XCTAssertEqual(Set(score.objectRecall.keys), Set(o.truth.objects.map(\.route)))
        for (route, recall) in score.objectRecall {
            XCTAssertGreaterThanOrEqual(recall, 0.99, "\(label): object recall on \(route)")
        }
        XCTAssertEqual(score.flaggedDecoys, [], "\(label): decoys flagged")
        XCTAssertEqual(score.missedShadowEndpoints, [], "\(label): shadow endpoints not reported")
    }

    /// Logins logged without their accounts, as most gateways log them: the account shows only on
    /// the requests after the login.
    func testEveryFormatOverSeveralSeeds() throws {
        for format in SimulationSpec.formats {
            for seed: UInt64 in [3, 11, 21] {
                let outcome = try run(seed: seed, format: format)
                check(outcome, "\(format) seed \(seed)")
                XCTAssertNil(outcome.report.accountsTargeted, "\(format) seed \(seed): no login names its account")
            }
        }
    }

    /// Gateways that do log the account on the login line (basic auth, a custom log variable).
    func testLoginsThatNameTheirAccounts() throws {
        for (i, format) in SimulationSpec.formats.enumerated() {
            let outcome = try run(seed: UInt64(40 + i), format: format, identifiedLogins: true)
            check(outcome, "\(format) with identified logins")
            XCTAssertEqual(outcome.report.accountsTargeted, outcome.truth.accounts.targeted, "\(format): accounts targeted")
        }
    }

    /// A leaked key is a credential to revoke, named by what the log has; its owner is a victim.
    func testALeakedKeyIsNamedAndItsOwnerIsNotAnAttacker() throws {
        let outcome = try run(seed: 77, format: "kong", scenarios: [.scraping])
        let keys = outcome.report.compromisedCredentials.filter { $0.field == .apiKey }
        XCTAssertEqual(keys.count, 1, "\(outcome.report.compromisedCredentials)")
        XCTAssertEqual(keys.first?.consumers, ["partner-acme"])
        XCTAssertFalse(outcome.report.attackerClients.contains("partner-acme"))
    }

    /// The per-address findings of a distributed campaign are grouped under it, and the sources
    /// that got in are marked with the accounts they took.
    func testStuffingIsGroupedIntoItsCampaign() throws {
        let outcome = try run(seed: 5, format: "combined", scenarios: [.credentialStuffing])
        let report = outcome.report
        let campaign = try XCTUnwrap(report.campaigns.first, "no campaign")
        XCTAssertEqual(campaign.route, "/v1/login")
        XCTAssertGreaterThanOrEqual(campaign.members, 8)
        XCTAssertFalse(campaign.memberFindings.isEmpty)
        for id in campaign.memberFindings {
            let member = try XCTUnwrap(report.findings.first { $0.id == id })
            guard case .object(let evidence) = member.evidence else { return XCTFail("evidence is not an object") }
            XCTAssertEqual(evidence["campaign"], .string(campaign.findingID))
        }
        let taken = Set(campaign.gotIn.flatMap(\.accounts))
        XCTAssertTrue(taken.isSubset(of: Set(outcome.truth.accounts.compromised)), "\(taken)")
        XCTAssertTrue(Set(campaign.gotIn.map(\.source)).isSubset(of: Set(report.attackerIPs)))
    }

    func testEachScenarioAlone() throws {
        for (i, scenario) in SimulatedScenario.allCases.enumerated() {
            let outcome = try run(seed: UInt64(100 + i), format: i % 2 == 0 ? "combined" : "kong", scenarios: [scenario])
            check(outcome, scenario.rawValue)
            XCTAssertFalse(outcome.report.findings.isEmpty, "\(scenario.rawValue): nothing found")
        }
    }

    /// A day without attacks, with the users' and programs' innocent oddities (stale bookmarks,
    /// flaky networks, password managers, a nightly export walking every customer, a crawler on
    /// the public catalogue, a shared NAT): nobody is named, and what is raised is weak or about
    /// the API itself (a deprecated route still in use).
    func testABenignDayNamesNobody() throws {
        for (i, format) in SimulationSpec.formats.enumerated() {
            let outcome = try run(seed: UInt64(60 + i), format: format, benignOnly: true, lines: i == 0 ? 100_000 : 20_000)
            let report = outcome.report
            let label = "\(format) benign day"
            XCTAssertEqual(report.attackerIPs, [], label)
            XCTAssertEqual(report.attackerClients, [], label)
            XCTAssertEqual(report.compromisedAccounts, [], label)
            XCTAssertEqual(report.compromisedKeys, [], label)
            let strong = report.findings.filter { $0.confidence == .strong && $0.detector != .shadowEndpoint }
            XCTAssertEqual(strong.map { "\($0.detector) \($0.subject.value)" }, [], "\(label): strong findings")
            XCTAssertLessThanOrEqual(report.findings.filter { $0.confidence == .weak }.count, 3, label)
        }
    }
}
