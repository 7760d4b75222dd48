import ArgumentParser
import Foundation
import TourniquetConsoleRuntime
import TourniquetEngine
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a drill case from the built-in demo incident and open the console on it.",
            discussion: """
                The demo incident is simulated with a fixed seed: credential stuffing with account takeovers, \
                an object-id walk, admin probing, scraping with a leaked partner key and shadow endpoints, among \
                normal traffic. The case is written to a new file (in the temporary directory unless --case is \
                given), with the simulated files beside it in CASE.incident/, and is yours to explore. Without a terminal, the scope report and timeline are printed instead.
                """)

        @Option(name: .customLong("case"), help: "Where to write the demo case (default: a new file in the temporary directory).")
        var casePath: String?

        @Flag(help: "Print the report instead of opening the console, even on a terminal.")
        var noConsole = false

        @Flag(help: "Overwrite the simulated files in CASE.incident/ (an existing case is never overwritten).")
        var force = false

        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            let path = casePath ?? DemoIncident.defaultCasePath(now: Date())
            let context = actorOptions.context
            let shown = DisplayText.escaped(path)
            let interactive = !noConsole && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            if !interactive { print("building the demo incident…") }
            let report = try DemoIncident.build(at: path, context: context, overwrite: force)
            if interactive {
                try ConsoleRunner(path: path, context: context).run()
                print("demo case: \(shown)")
                return
            }
            print("demo case: \(shown)\n")
            print(report.text)
            let file = try CaseFile.openReadOnly(at: path)
            print(TimelineText.render(try file.actions()), terminator: "")
            print("\nnext: tourniquet open \(shown)   |   tourniquet scope \(shown) --json   |   tourniquet verify \(shown)")
        }
    }
}
