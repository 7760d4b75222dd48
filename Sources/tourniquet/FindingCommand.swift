import ArgumentParser
import TourniquetEngine
import TourniquetExport
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct FindingCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "finding", abstract: "List findings, or confirm or dismiss one with a rationale.",
            subcommands: [List.self, Confirm.self, Dismiss.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the stored findings and their states.")
            @Argument(help: "The case file.") var casePath: String
            @Flag(help: "Print the findings as JSON (`tourniquet.findings`, docs/schemas/export.schema.json).") var json = false

            func run() throws {
                let file = try CaseFile.openReadOnly(at: casePath)
                let findings = try file.findings()
                if json {
                    print(InertJSON.pretty(ExportDocument.findings(findings)), terminator: "")
                    return
                }
                if findings.isEmpty { print("no findings yet: run `tourniquet scope \(DisplayText.escaped(casePath))`") }
                for f in findings {
                    let subject = DisplayText.sanitize(f.subject.value).text
                    print(
                        "\(f.id)  \(f.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(f.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.detector): \(f.subject.kind.rawValue) \(subject)"
                    )
                }
            }
        }

        struct Confirm: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Confirm a finding (recorded with your rationale).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The finding id (F-…).") var id: String
            @Option(help: "Why you confirm it.") var reason: String
            @OptionGroup var actorOptions: ActorOptions

            func run() throws { try setFindingState(casePath, id, .confirmed, reason, actorOptions) }
        }

        struct Dismiss: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Dismiss a finding (recorded with your rationale).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The finding id (F-…).") var id: String
            @Option(help: "Why you dismiss it.") var reason: String
            @OptionGroup var actorOptions: ActorOptions

            func run() throws { try setFindingState(casePath, id, .dismissed, reason, actorOptions) }
        }
    }
}

/// Confirming and dismissing are one command with a different verdict.
private func setFindingState(_ casePath: String, _ id: String, _ state: FindingState, _ reason: String, _ actor: ActorOptions) throws {
    let engine = try CaseEngine.open(path: casePath, context: actor.context)
    guard case .recorded(let action) = try engine.execute(.setFindingState(id: id, state: state, rationale: reason)) else { return }
    print("\(state.rawValue) \(DisplayText.escaped(id)) (action #\(action.id))")
}
