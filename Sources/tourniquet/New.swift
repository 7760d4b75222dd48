import ArgumentParser
import TourniquetEngine
import TourniquetModel

extension Tourniquet {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a case file (mode 0600) for a new incident.")

        @Argument(help: "Path of the case file to create.")
        var casePath: String

        @Option(help: "What the incident is, in a few words.")
        var title: String

        @Option(help: "When the incident was detected, RFC 3339 (default: now). Deadlines count from here.")
        var detectedAt: String?

        @Option(help: "low, medium, high or critical.")
        var severity: Severity = .medium

        @Flag(help: "Mark the case as a drill on a simulated incident.")
        var drill = false

        @OptionGroup var actorOptions: ActorOptions

        func validate() throws {
            if title.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--title must not be empty") }
            if let detectedAt { _ = try parseCommandLineTime(detectedAt, option: "--detected-at") }
        }

        func run() throws {
            let detected = try detectedAt.map { try parseCommandLineTime($0, option: "--detected-at") }
            let engine = try CaseEngine.createCase(
                at: casePath, title: title, severity: severity, detectedAtMs: detected, isDrill: drill,
                context: actorOptions.context)
            let m = engine.caseFile.metadata
            print("created case \(m.id) at \(DisplayText.escaped(casePath))")
            print("detected at \(UTCTime.format(ms: m.detectedAtMs)), severity \(m.severity.rawValue)\(m.isDrill ? ", drill" : "")")
        }
    }
}

extension Severity: ExpressibleByArgument {}
