import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetExport
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct ReviewCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review", abstract: "Review and harden: the API-hardening checklist, checked against the evidence.",
            discussion: """
                Each item is pass or fail where the Kong state, the OpenAPI document or the logs decide \
                it, unknown where they cannot tell, and manual where only a person can answer; each \
                carries the evidence it was decided on, the fix and its OWASP API Top 10 2023 or NIST \
                SP 800-63B reference. A run is recorded on the timeline; `review answer` records a \
                person's answer to a manual or unknown item.
                """,
            subcommands: [Run.self, Answer.self], defaultSubcommand: Run.self)

        struct Run: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Run the review, record it, and print every item.")
            @Argument(help: "The case file.") var casePath: String
            @Flag(help: "Print the items as JSON (each with id, title, reference, state, evidence, fix, guidance).") var json = false
            @OptionGroup var actorOptions: ActorOptions

            func run() throws {
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard case .reviewed(_, let action) = try engine.execute(.runReview) else { return }
                let ledger = ReviewLedger(actions: try engine.caseFile.actions(ofKinds: [.reviewRun, .reviewAnswered]))
                if json {
                    print(InertJSON.pretty(ReviewText.json(ledger)), terminator: "")
                    return
                }
                print(ReviewText.render(ledger), terminator: "")
                let counts = ledger.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: ", ")
                print("\nrecorded as action #\(action.id): \(counts)")
            }
        }

        struct Answer: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Answer a manual or unknown item: pass or fail, with your reason.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The item's id (from `tourniquet review CASE`).") var item: String
            @Argument(help: "pass or fail.") var state: String
            @Option(help: "What you checked, and what you found.") var reason: String
            @OptionGroup var actorOptions: ActorOptions

            func run() throws {
                guard let value = ReviewState(rawValue: state), value == .pass || value == .fail else {
                    throw ValidationError("'\(DisplayText.escaped(state))' is not pass or fail")
                }
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard case .recorded(let action) = try engine.execute(.answerReview(item: item, state: value, reason: reason)) else { return }
                print("\(DisplayText.escaped(item)): \(value.rawValue) (action #\(action.id))")
            }
        }
    }
}

/// The review as text and JSON, one shape for `review` and the reports.
enum ReviewText {
    /// Every item; all text from the case (the run is stored in it) is escaped.
    static func render(_ ledger: ReviewLedger) -> String {
        func e(_ text: String) -> String { DisplayText.escaped(text) }
        var out = ""
        for result in ledger.results {
            let state = ledger.state(of: result)
            out += "\(state.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(e(result.id))  [\(e(result.reference))]\n"
            out += "         \(e(result.title))\n"
            for line in result.evidence { out += "         - \(e(line))\n" }
            if let answer = ledger.answers[result.id], result.state == .manual || result.state == .unknown {
                out += "         answered \(answer.state.rawValue) by \(e(answer.actor)): \(e(answer.reason))\n"
            } else if !result.guidance.isEmpty {
                out += "         check: \(e(result.guidance))\n"
            }
            if state == .fail || state == .unknown { out += "         fix: \(e(result.fix))\n" }
        }
        return out
    }

    /// `tourniquet.review`: the same shape as the JSON export's `review` member.
    static func json(_ ledger: ReviewLedger) -> JSONValue {
        var document = ExportDocument.reviewJSON(ledger)
        if case .object(var object) = document {
            object.members += [(key: "document", value: "tourniquet.review"), (key: "version", value: 1)]
            document = .object(object)
        }
        return document
    }
}
