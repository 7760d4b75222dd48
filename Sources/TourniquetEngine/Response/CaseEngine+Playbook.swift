import Foundation
import TourniquetDetection
import TourniquetModel
import TourniquetResponse
import TourniquetStore

/// What one playbook step did.
public struct PlaybookStepReport: Sendable {
    /// The `playbook.step` action.
    public var action: Action
    /// Measures the step planned (contain steps), each its own `containment.planned` action.
    public var planned: [Action]
    /// Values a guard refused, with why; nothing was planned for them.
    public var refused: [(value: String, why: String)]
    /// Values already under a measure in force.
    public var alreadyInForce: [String]
    /// The obligation a notify step took on, if it was not already open.
    public var opened: Action?
}

extension CaseEngine {
    static let playbookKinds: [ActionKind] = [.playbookStarted, .playbookStep]

    public static func progress(of playbook: Playbook, in caseFile: CaseFile) throws -> PlaybookProgress {
        PlaybookProgress(playbook: playbook, actions: try caseFile.actions(ofKinds: playbookKinds))
    }

    func startPlaybook(_ playbook: Playbook, digest: String, reason: String) throws -> Action {
        try CaseEngine.requireReason(reason, to: "start a playbook")
        if let started = try CaseEngine.progress(of: playbook, in: caseFile).started {
            throw RefusedRequest("playbook \(playbook.id) was started on this case by action #\(started.id)")
        }
        let details: JSONValue = .fields([
            "playbook": .string(playbook.id), "title": .string(playbook.title), "version": .string(playbook.version), "digest": .string(digest),
            "steps": .int(Int64(playbook.steps.count)),
        ])
        return try caseFile.record(
            ActionDraft(kind: .playbookStarted, target: "playbook:\(playbook.id)", details: details, rationale: reason), actor: context.actor,
            clock: context.clock)
    }

    func recordPlaybookStep(
        _ playbook: Playbook, step id: String, outcome: PlaybookProgress.Outcome, reason: String, force: String?
    ) throws -> PlaybookStepReport {
        let progress = try CaseEngine.progress(of: playbook, in: caseFile)
        guard progress.started != nil else { throw RefusedRequest("playbook \(playbook.id) has not been started on this case") }
        guard let current = progress.current else { throw RefusedRequest("playbook \(playbook.id) is finished on this case") }
        guard id == current, let step = playbook.step(id) else {
            throw RefusedRequest("the current step of \(playbook.id) is '\(current)', not '\(id)'")
        }
        try CaseEngine.requireReason(reason, to: "record a playbook step")
        var details: [String: JSONValue] = ["playbook": .string(playbook.id), "step": .string(id), "kind": .string(step.kindName)]
        var report = PlaybookStepReport(action: progress.started!, planned: [], refused: [], alreadyInForce: [], opened: nil)
        let next: String
        switch (outcome, step.kind) {
        case (.chosen(let label), .decision(let options)):
            guard let option = options.first(where: { $0.label == label }) else {
                throw RefusedRequest("'\(label)' is not an option of step '\(id)': \(options.map(\.label).joined(separator: ", "))")
            }
            next = option.next
            details["outcome"] = "chosen"
            details["option"] = .string(label)
        case (.chosen, _):
            throw RefusedRequest("step '\(id)' is a \(step.kindName) step, not a decision: complete or skip it")
        case (_, .decision(let options)) where outcome == .done:
            throw RefusedRequest("step '\(id)' is a decision: choose one of \(options.map(\.label).joined(separator: ", "))")
        case (.skipped, _):
            next = step.successors.first ?? Playbook.end
            details["outcome"] = "skipped"
            if case .decision = step.kind { throw RefusedRequest("a decision cannot be skipped: choose an option") }
        case (.done, .contain(let contain, let after)):
            next = after
            details["outcome"] = "done"
            try runContainStep(contain, reason: reason, force: force, into: &report)
            details["measures"] = .array(report.planned.map { .int($0.id) })
            details["refused"] = .array(report.refused.map { .fields(["value": .string($0.value), "why": .string($0.why)]) })
            details["already_in_force"] = .array(report.alreadyInForce.map { .string($0) })
        case (.done, .notify(let obligation, let after)):
            next = after
            details["outcome"] = "done"
            details["obligation"] = .string(obligation)
            if try CaseEngine.notifications(of: caseFile).obligation(obligation) == nil {
                report.opened = try openObligation(obligation, reason: reason)
            }
        case (.done, .question(let question, let after)):
            next = after
            details["outcome"] = "done"
            details["answer"] = .array(try CaseEngine.answer(question, in: caseFile).map { .string($0) })
        case (.done, _):
            next = step.successors.first ?? Playbook.end
            details["outcome"] = "done"
        }
        details["next"] = .string(next)
        report.action = try caseFile.record(
            ActionDraft(kind: .playbookStep, target: "playbook:\(playbook.id)", details: .fields(details), rationale: reason), actor: context.actor,
            clock: context.clock)
        return report
    }

    /// The latest scope report's answer to a question; empty before any scope run.
    public static func answer(_ question: ScopeQuestion, in caseFile: CaseFile) throws -> [String] {
        guard let latest = try caseFile.latestScopeReport() else { return [] }
        return question.answer(from: try ScopeReportDocument.decode(latest.json))
    }

    /// Plans one measure per value of the step's answer, through the same guards as `contain`:
    /// a refusal is reported and the rest go ahead; values already under a measure are passed by.
    private func runContainStep(_ step: Playbook.ContainStep, reason: String, force: String?, into report: inout PlaybookStepReport) throws {
        let now = context.clock.nowMs()
        let inForce = try CaseEngine.ledger(of: caseFile, nowMs: now).inForce
        var measures: [(value: String, measure: ContainmentMeasure)] = []
        for value in try CaseEngine.answer(step.from, in: caseFile) {
            guard let measure = CaseEngine.measure(step, value: value, nowMs: now) else {
                report.refused.append((value, "not something \(step.action.rawValue) can act on"))
                continue
            }
            if inForce.contains(where: { $0.measure.sameTarget(as: measure) }) || measures.contains(where: { $0.measure.sameTarget(as: measure) }) {
                report.alreadyInForce.append(value)
                continue
            }
            measures.append((value, measure))
        }
        // One pass over the evidence for every measure of the step, not one pass each.
        let figures = try CaseEngine.whatIf(caseFile, measures: measures.map(\.measure))
        let allowlist = try caseFile.allowlist()
        for ((value, measure), figures) in zip(measures, figures) {
            do {
                // Nothing planned in this loop repeats another, so the measures in force read before it still hold.
                report.planned.append(
                    try planContainment(measure, reason: reason, force: force, figures: figures, inForce: inForce, allowlist: allowlist))
            } catch let refusal as GuardRefusal {
                report.refused.append((value, refusal.reasons.joined(separator: "; ")))
            } catch let refusal as RefusedRequest {
                report.refused.append((value, refusal.description))
            }
        }
    }

    static func measure(_ step: Playbook.ContainStep, value: String, nowMs: Int64) -> ContainmentMeasure? {
        switch step.action {
        case .blockIP:
            guard let network = CIDR(value) else { return nil }
            return .blockAddress(network: network.masked, expiresAtMs: step.durationMs.map { nowMs + $0 })
        case .blockKey:
            return .blockKey(fingerprint: value, consumer: nil)
        case .revokeToken:
            let until = nowMs + (step.durationMs ?? 86_400_000)
            return step.from == .attackerClients
                ? .revokeTokens(.client(value), untilMs: until) : .revokeTokens(.subject(value, issuedBeforeMs: nowMs), untilMs: until)
        case .disableEndpoint:
            let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return .disableEndpoint(method: parts[0], route: parts[1], status: step.status, message: nil)
        }
    }
}
