import Foundation
import TourniquetModel
import TourniquetIngest
import TourniquetDetection
import TourniquetSimulation
import TourniquetEngine
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

    private func run(seed: UInt64, format: String, scenarios: [SimulatedScenario] = []) throws -> Outcome {
        let dir = TemporaryDirectory("tourniquet-drill")
        let written = try IncidentFiles.write(SimulationSpec(seed: seed, scenarios: scenarios, format: format, lines: 20_000), to: dir.path)
        let context = CommandContext(actor: "accuracy-test", clock: .live)
        let engine = try CaseEngine.createCase(at: dir.file("drill.case"), title: "drill", severity: .high, detectedAtMs: nil, isDrill: true, context: context)
        let outcome = try engine.ingest(path: written.log, options: IngestOptions(specDocument: try SpecDocument.load(path: written.openAPI)))
        guard case .imported(let record, _) = outcome else {
            XCTFail("a fresh case reported the log as a duplicate")
            throw MissingRequirement(what: "an imported log")
        }
        XCTAssertEqual(record.malformed, 0, "\(format) seed \(seed): the simulator wrote lines the parser refused")
        let report = try engine.runScope(ScopeOptions()).report
        let redactor = SecretRedactor(caseKey: try engine.caseFile.fingerprintKey())
        return Outcome(report: report, truth: written.incident.truth, fingerprint: redactor.fingerprint)
    }

    private func check(_ o: Outcome, _ label: String) {
        let truth = o.truth, report = o.report
        // An empty truth would make every check below pass vacuously.
        XCTAssertFalse(truth.attackers.ips.isEmpty, "\(label): the truth names no attacker")
        let flagged = Set(report.attackerIPs), expected = Set(truth.attackers.ips)
        let hits = flagged.intersection(expected).count
        XCTAssertEqual(hits, expected.count, "\(label): missed sources \(expected.subtracting(flagged).sorted())")
        if !flagged.isEmpty {
            XCTAssertGreaterThanOrEqual(Double(hits) / Double(flagged.count), 0.95, "\(label): extra sources \(flagged.subtracting(expected).sorted())")
        }
        XCTAssertEqual(Set(report.compromisedAccounts), Set(truth.accounts.compromised), "\(label): compromised accounts")
        let keys = Set(truth.keys.compromised.map { $0.secret.map(o.fingerprint) ?? $0.id })
        XCTAssertEqual(Set(report.compromisedKeys), keys, "\(label): compromised keys")
        for access in truth.objects {
            let found = Set(report.dataAccessed.filter { $0.route == access.route }.flatMap(\.objects))
            let recall = Double(Set(access.ids).intersection(found).count) / Double(max(access.ids.count, 1))
            XCTAssertGreaterThanOrEqual(recall, 0.99, "\(label): object recall on \(access.route)")
        }
        let subjects = Set(report.findings.map(\.subject.value))
        for decoy in truth.decoys.ips {
            XCTAssertFalse(flagged.contains(decoy) || subjects.contains(decoy), "\(label): decoy source \(decoy) flagged")
        }
        for decoy in truth.decoys.clients {
            XCTAssertFalse(report.attackerClients.contains(decoy) || subjects.contains(decoy), "\(label): decoy client \(decoy) flagged")
        }
        let shadow = Set(report.shadowEndpoints.map { "\($0.method) \($0.path)" })
        for endpoint in truth.shadowEndpoints {
            XCTAssertTrue(shadow.contains("\(endpoint.method) \(endpoint.path)"), "\(label): shadow endpoint \(endpoint.method) \(endpoint.path) not reported")
        }
    }

    func testEveryFormatOverSeveralSeeds() throws {
        for format in SimulationSpec.formats {
            for seed: UInt64 in [3, 11, 21] {
                check(try run(seed: seed, format: format), "\(format) seed \(seed)")
            }
        }
    }

    func testEachScenarioAlone() throws {
        for (i, scenario) in SimulatedScenario.allCases.enumerated() {
            let outcome = try run(seed: UInt64(100 + i), format: i % 2 == 0 ? "combined" : "kong", scenarios: [scenario])
            check(outcome, scenario.rawValue)
            XCTAssertFalse(outcome.report.findings.isEmpty, "\(scenario.rawValue): nothing found")
        }
    }
}
