import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetModel
import TourniquetResponse
import TourniquetStore

/// How playbooks and their progress print.
enum PlaybookText {
    static func line(_ step: Playbook.Step) -> String {
        "\(step.id) [\(step.kindName)] \(DisplayText.sanitize(step.title).text)"
    }

    static func print(_ progress: PlaybookProgress, caseFile: CaseFile) throws {
        let playbook = progress.playbook
        Swift.print("\(playbook.id): \(DisplayText.sanitize(playbook.title).text) (v\(playbook.version))")
        for step in playbook.steps {
            let state = progress.state(of: step.id)
            let mark = state == "current" ? "▶" : state == "ahead" ? " " : "✓"
            Swift.print(" \(mark) \(line(step))  — \(state)")
        }
        guard let current = progress.current.flatMap(playbook.step) else {
            Swift.print("finished")
            return
        }
        Swift.print("")
        Swift.print("next: \(line(current))")
        if !current.detail.isEmpty { Swift.print("  \(DisplayText.sanitize(current.detail).text)") }
        for text in try answerLines(current, caseFile: caseFile) { Swift.print("  \(text)") }
        Swift.print("  record it: tourniquet playbook step CASE \(playbook.id) \(current.id) " + usage(current))
    }

    static func usage(_ step: Playbook.Step) -> String {
        if case .decision(let options) = step.kind {
            return "--choose " + options.map { "'\($0.label)'" }.joined(separator: "|") + " --reason R"
        }
        return "--done|--skip --reason R"
    }

    /// What the case already answers for the step.
    static func answerLines(_ step: Playbook.Step, caseFile: CaseFile) throws -> [String] {
        switch step.kind {
        case .question(let question, _):
            return try answer(question, caseFile)
        case .contain(let contain, _):
            let values = try CaseEngine.answer(contain.from, in: caseFile)
            return ["would \(contain.action.rawValue) \(values.count) values from \(contain.from.rawValue)"]
                + values.prefix(10).map {
                    "  " + DisplayText.sanitize($0).text
                } + (values.count > 10 ? ["  … \(values.count - 10) more"] : [])
        case .notify(let obligation, _):
            let open = try CaseEngine.notifications(of: caseFile).obligation(obligation)
            return [open.map { "the obligation \(obligation) is \($0.state.rawValue)" } ?? "takes on the obligation \(obligation)"]
        case .decision(let options):
            return ["options: " + options.map { "\($0.label) → \($0.next)" }.joined(separator: "; ")]
        case .checklist:
            return []
        }
    }

    static func answer(_ question: ScopeQuestion, _ caseFile: CaseFile) throws -> [String] {
        guard let latest = try caseFile.latestScopeReport() else { return ["\(question.wording) No scope run yet: `tourniquet scope CASE`."] }
        let values = question.answer(from: try ScopeReportDocument.decode(latest.json))
        return ["\(question.wording) \(values.count) in the latest scope report:"] + values.prefix(20).map { "  " + DisplayText.sanitize($0).text }
            + (values.count > 20 ? ["  … \(values.count - 20) more"] : [])
    }

    static func json(_ progress: PlaybookProgress, caseFile: CaseFile) throws -> JSONValue {
        .fields([
            "playbook": .string(progress.playbook.id), "version": .string(progress.playbook.version),
            "started": progress.started.map { .int($0.id) } ?? .null, "current": progress.current.map { .string($0) } ?? .null,
            "finished": .bool(progress.finished),
            "steps": .array(
                progress.playbook.steps.map { step in
                    .fields([
                        "id": .string(step.id), "kind": .string(step.kindName), "title": .string(step.title),
                        "state": .string(progress.state(of: step.id)), "action": progress.records[step.id].map { .int($0.action) } ?? .null,
                    ])
                }),
        ])
    }
}
