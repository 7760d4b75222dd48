import ArgumentParser
import Foundation
import TourniquetModel

/// The `tourniquet` command: every console action is also a subcommand here.
@main
struct Tourniquet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tourniquet",
        abstract: "Incident-response console for APIs under attack.",
        discussion: "Every change to a case is recorded in its action log with a UTC time, the actor and the reason.",
        version: "0.1.0",
        subcommands: [
            Open.self, New.self, Ingest.self, Scope.self, Simulate.self, FindingCommand.self, AllowlistCommand.self, Note.self, Timeline.self,
            Verify.self, Demo.self, KeyBindings.self, Fingerprint.self, Contain.self, Apply.self, CaseCommandGroup.self, GatewayCommand.self,
            PlaybookCommand.self, NotifyCommand.self, DrillCommand.self, Export.self, ReviewCommand.self,
        ]
    )

    /// Runs the command. Problems print one line (outside text escaped) and exit non-zero, never a
    /// trace; output that could not be written fails the command too.
    static func main() {
        StandardStreams.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ResponderFacingError {
            StandardStreams.fail(error.description, exitCode: error.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = StandardStreams.message(for: error, command: self)
            if code.rawValue == 0 {
                // --help and --version: their text is the output.
                if !message.isEmpty { print(message) }
                StandardStreams.finishOrExit()
            }
            // Usage messages start with "Error: "; after the program's name that word is noise.
            StandardStreams.fail(message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message, exitCode: code.rawValue)
        }
        StandardStreams.finishOrExit()
    }
}
