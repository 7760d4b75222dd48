import ArgumentParser
import TourniquetEngine

extension Tourniquet {
    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a free-text note on the case timeline.",
            discussion: "Actions are never edited. To correct one, add a note with --corrects ID.")

        @Argument(help: "The case file.")
        var casePath: String

        @Argument(help: "The note.")
        var text: String

        @Option(help: "The id of an earlier action this note corrects.")
        var corrects: Int64?

        @OptionGroup var actorOptions: ActorOptions

        func validate() throws {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the note is empty") }
        }

        func run() throws {
            let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
            guard case .recorded(let action) = try engine.execute(.note(text: text, corrects: corrects)) else { return }
            print("recorded action #\(action.id) at \(action.at)")
        }
    }
}
