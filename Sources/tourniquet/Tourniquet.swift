import ArgumentParser
import Foundation
import TourniquetCore

/// The `tourniquet` command: every console action is also a subcommand here.
@main
struct Tourniquet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tourniquet",
        abstract: "Incident-response console for APIs under attack.",
        discussion: "Every change to a case is recorded in its action log with a UTC time, the actor and the reason.",
        version: "0.1.0",
        subcommands: [Open.self, New.self, Ingest.self, Scope.self, Simulate.self, FindingCommand.self, AllowlistCommand.self, Note.self, Timeline.self, Verify.self, Demo.self, KeyBindings.self]
    )

    /// Runs the command; problems with the case file itself print one line and exit with 2, never a trace.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ResponderFacingError {
            FileHandle.standardError.write(Data("tourniquet: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
