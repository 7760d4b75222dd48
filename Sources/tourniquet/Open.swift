import ArgumentParser
import Foundation
import TourniquetConsoleRuntime
import TourniquetStore

extension Tourniquet {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open the console on a case (press ? on any screen for its keys).",
            discussion: "Every change made in the console is the same command the CLI runs, recorded the same way.")

        @Argument(help: "The case file.")
        var casePath: String

        @OptionGroup var dirs: PlaybookDirectories
        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw ValidationErrorMessage("the console needs a terminal; use the CLI commands (tourniquet --help) in scripts")
            }
            let runner = try ConsoleRunner(path: casePath, context: actorOptions.context, playbookDirectories: dirs.directories)
            runner.run()
        }
    }
}
