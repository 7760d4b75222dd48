import ArgumentParser
import TourniquetEngine
import TourniquetModel
import TourniquetSimulation

extension Tourniquet {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a simulated API incident with ground truth, for drills and tests.",
            discussion: """
                Writes the access log, openapi.yaml, kong.yaml (a decK file) and truth.json (the attackers, \
                victims, keys, objects and shadow endpoints) into OUT_DIR. The same seed always writes the same bytes. \
                An existing file there is never overwritten without --force; nothing is written then.
                """)

        @Argument(help: "Folder to write into (created if needed).")
        var outDir: String

        @Option(help: "Random seed.")
        var seed: UInt64 = 1

        @Option(parsing: .upToNextOption, help: "Scenarios (default all): \(SimulatedScenario.allCases.map(\.rawValue).joined(separator: ", ")).")
        var scenario: [String] = []

        @Option(help: "Log format: \(SimulationSpec.formats.joined(separator: ", ")).")
        var format: String = "combined"

        @Option(help: "Approximate number of log lines.")
        var lines: Int = 20_000

        @Flag(help: "Log the account on login lines too (most gateways do not: it is in the request body).")
        var identifiedLogins = false

        @Flag(help: "A day without attacks: the users, services and their innocent oddities only.")
        var benignOnly = false

        @Flag(help: "Overwrite the simulated files if OUT_DIR already has them.")
        var force = false

        func validate() throws {
            guard SimulationSpec.formats.contains(format) else {
                throw ValidationError("--format must be one of \(SimulationSpec.formats.joined(separator: ", "))")
            }
            for name in scenario where SimulatedScenario(rawValue: name) == nil {
                throw ValidationError("unknown scenario '\(name)': use \(SimulatedScenario.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1_000...50_000_000).contains(lines) else { throw ValidationError("--lines must be 1000 to 50000000") }
        }

        func run() throws {
            let spec = SimulationSpec(
                seed: seed, scenarios: scenario.compactMap(SimulatedScenario.init(rawValue:)), format: format, lines: lines,
                identifiedLogins: identifiedLogins, benignOnly: benignOnly)
            let written = try IncidentFiles.write(spec, to: outDir, overwrite: force)
            let truth = written.incident.truth
            print("wrote \(written.lines) lines of \(format) to \(DisplayText.escaped(written.log))")
            print([written.openAPI, written.deck, written.truth].map { "  " + DisplayText.escaped($0) }.joined(separator: "\n"))
            print(
                "truth: \(truth.attackers.ips.count) attacker sources, \(truth.accounts.compromised.count) compromised accounts, "
                    + "\(truth.keys.compromised.count) compromised keys, \(truth.objects.reduce(0) { $0 + $1.ids.count }) objects, "
                    + "\(truth.shadowEndpoints.count) shadow endpoints")
        }
    }
}
