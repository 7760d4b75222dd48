import Foundation
import TourniquetContainment
import TourniquetModel
import TourniquetStore

/// One apply to AWS: the files for the aws CLI, written and recorded. Nothing here reaches AWS, so
/// the measures are applied as files and never verified by Tourniquet; the script says what it did.
struct AWSApply {
    static let script = "tourniquet-aws.sh"

    let engine: CaseEngine
    let target: AWSTarget
    let reason: String

    private var caseFile: CaseWriter { engine.caseFile }

    func run() throws -> ApplyReport {
        let ledger = try CaseEngine.ledger(of: caseFile, nowMs: engine.context.clock.nowMs())
        let plan = try AWSPlan(
            entries: ledger.inForce, removing: ledger.toRemove, scope: target.scope, region: target.region,
            v4Set: try target.ipv4Set.map(AWSApply.set), v6Set: try target.ipv6Set.map(AWSApply.set))
        let skippedIDs = Set(plan.skipped.map(\.id))
        let puts = ledger.inForce.filter { !skippedIDs.contains($0.id) }
        var texts: [(name: String, text: String, mode: mode_t)] = [(AWSApply.script, plan.script, 0o755)]
        if let set = plan.v4Set { texts.append(("tourniquet-aws-ipv4.json", plan.updateInput(set, addresses: plan.ipv4), 0o644)) }
        if let set = plan.v6Set { texts.append(("tourniquet-aws-ipv6.json", plan.updateInput(set, addresses: plan.ipv6), 0o644)) }
        let files = texts.map { (target.outDir as NSString).appendingPathComponent($0.name) }
        let intent = try record(
            .containmentApplying,
            [
                "target": GatewayTarget.aws(target).details,
                "gateway": "aws", "out": .string(target.outDir), "puts": .array(puts.map { .int($0.id) }),
                "removes": .array(ledger.toRemove.map { .int($0.id) }),
                "artifacts": .fields(Dictionary(uniqueKeysWithValues: texts.map { ($0.name, JSONValue.string($0.text)) })),
            ])
        var report = ApplyReport(
            gateway: "aws", intent: intent, outcome: intent, verification: nil, puts: puts, removes: ledger.toRemove, files: files,
            problem: nil, checks: [], skipped: plan.skipped)
        do {
            for (text, path) in zip(texts, files) { try AtomicFile.write(text.text, to: path, mode: text.mode) }
        } catch {
            report.problem = "cannot write the files: \(error)"
            report.outcome = try record(.containmentFailed, ["apply": .int(intent.id), "phase": "write", "error": .string(report.problem!)])
            return report
        }
        report.outcome = try record(
            .containmentApplied, ["apply": .int(intent.id), "files": .array(files.map { .string($0) }), "run_by": "the responder, with the aws CLI"])
        return report
    }

    static func set(_ text: String) throws -> AWSPlan.IPSet {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw RefusedRequest("an IP set is NAME:ID, as `aws wafv2 list-ip-sets` shows them, not '\(text)'") }
        return AWSPlan.IPSet(name: parts[0], id: parts[1])
    }

    private func record(_ kind: ActionKind, _ details: [String: JSONValue]) throws -> Action {
        try engine.recordApplyStep(kind, gateway: "aws", details, reason: reason)
    }
}
