import ArgumentParser
import Foundation
import TourniquetCore
import TourniquetEngine
import TourniquetStore

extension Tourniquet {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a drill case from the built-in demo incident and show it.",
            discussion: "The case is written to a new file (in the temporary directory unless --case is given) and is yours to explore.")

        @Option(name: .customLong("case"), help: "Where to write the demo case (default: a new file in the temporary directory).")
        var casePath: String?

        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            let path = casePath ?? DemoIncident.defaultCasePath(now: Date())
            let context = actorOptions.context
            let engine = try CaseEngine.createCase(
                at: path, title: DemoIncident.title, severity: .high,
                detectedAtMs: context.clock.nowMs() - DemoIncident.detectedMinutesAgo * 60_000, isDrill: true, context: context)
            for step in DemoIncident.responderNotes {
                try engine.execute(.note(text: step, corrects: nil))
            }
            let file = try CaseFile.open(at: path, forWriting: false)
            print("demo case: \(path)")
            print("")
            print(TimelineText.render(try file.actions()), terminator: "")
            print("")
            print("next: tourniquet timeline \(path)   |   tourniquet verify \(path)")
        }
    }
}
