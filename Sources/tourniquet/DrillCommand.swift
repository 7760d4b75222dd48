import ArgumentParser
import Foundation
import TourniquetConsoleRuntime
import TourniquetEngine
import TourniquetModel
import TourniquetResponse
import TourniquetSimulation
import TourniquetStore

extension Tourniquet {
    struct DrillCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "drill", abstract: "Rehearse a playbook on a simulated incident, and score the response against the simulation's truth.",
            subcommands: [Start.self, Score.self, Replay.self])

        struct Replay: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Replay a closed real case as a drill: the same evidence and settings, a fresh timeline, and the original responders' answers as the key.",
                discussion: """
                    The evidence is read again from the files the original imported, each checked against its recorded \
                    SHA-256. The answer key (NEW.incident/truth.json) holds the addresses, clients and accounts the \
                    original responders confirmed or contained; `tourniquet drill score NEW` judges the new response by \
                    it. Keys are fingerprinted with each case's own key, so they are not in the answer key.
                    """)
            @Argument(help: "The closed case.") var casePath: String
            @Option(name: .customLong("as-drill"), help: "The new drill case (a new file).") var newPath: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let outcome = try DrillReplay.replay(original: casePath, as: newPath, context: actorOptions.context)
                print("drill case: \(DisplayText.sanitize(newPath).text), \(outcome.evidence) evidence files replayed")
                print(
                    "  answer key: \(outcome.named.networks.count) blocked or confirmed address ranges, \(outcome.named.clients.count) clients, "
                        + "\(outcome.named.accounts.count) accounts (\(DisplayText.sanitize(outcome.answerKeyPath).text))")
                print("  score it with: tourniquet drill score \(DisplayText.sanitize(newPath).text)")
            }
        }

        struct Start: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Simulate an incident that fits a playbook, build a DRILL case from it, start the playbook and open the console.",
                discussion: """
                    The case gets the simulated access log and OpenAPI document as evidence, the simulated decK file as \
                    gateway state, a scope run, and the playbook started. The simulated files and the truth stay beside \
                    it in CASE.incident/; `tourniquet drill score CASE` scores the response against that truth. A drill \
                    never touches a real gateway: applies write files only.
                    """)
            @Argument(help: "The playbook's id or file.") var playbook: String
            @Option(help: "The simulation's seed: the same seed gives the same incident.") var seed: UInt64 = 1
            @Option(name: .customLong("case"), help: "Where to write the drill case (a new file).") var casePath: String
            @Flag(help: "Print where the drill stands instead of opening the console.") var noConsole = false
            @Option(help: "Run the drill's clock this many times as fast as the wall clock (1 to 1,000), to rehearse deadlines in minutes.")
            var speed: Int = 1
            @OptionGroup var dirs: PlaybookDirectories
            @OptionGroup var actorOptions: ActorOptions

            func run() throws {
                let loaded = try dirs.library.playbook(playbook)
                let context = actorOptions.context
                guard (1...1_000).contains(speed) else { throw ValidationError("--speed: 1 to 1,000") }
                let engine = try DrillSetup.build(loaded, seed: seed, at: casePath, context: context, speed: speed)
                print("drill case: \(DisplayText.sanitize(casePath).text) (\(loaded.playbook.id), seed \(seed))")
                if !noConsole && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 {
                    try ConsoleRunner(path: casePath, context: context, playbookDirectories: dirs.directories).run()
                    return
                }
                try PlaybookText.print(try CaseEngine.progress(of: loaded.playbook, in: engine.caseFile), caseFile: engine.caseFile)
            }
        }

        struct Score: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Score a drill against its simulation's truth, and record the score on the case.",
                discussion: """
                    Precision and recall of the addresses, clients, keys and accounts confirmed or contained; leakage \
                    (attack requests the measures in force would still let through) and collateral (others' requests \
                    and identities they stop), by replaying the evidence; time to the first measure and to contained; \
                    obligations met before their first deadline; playbook steps done and skipped. The overall score \
                    is the mean of the precisions, the recalls and the share of attack requests stopped.
                    """)
            @Argument(help: "The drill case.") var casePath: String
            @Option(help: "The simulation's truth.json (default: CASE.incident/truth.json).") var truth: String?
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var dirs: PlaybookDirectories
            @OptionGroup var actorOptions: ActorOptions

            func run() throws {
                let truthPath = truth ?? casePath + ".incident/truth.json"
                guard let text = try? String(contentsOfFile: truthPath, encoding: .utf8) else {
                    throw RefusedRequest("cannot read the truth from \(truthPath) (give --truth FILE)")
                }
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                let ledger = try CaseEngine.notifications(of: engine.caseFile)
                let library = dirs.library
                var deadlines: [String: Int64?] = [:]
                for obligation in ledger.obligations {
                    // The earliest, as the countdowns show it.
                    let regime = try? library.regime(obligation.regime)
                    deadlines[obligation.regime] = regime.flatMap { Deadlines.due($0, clocks: ledger.clocks).compactMap(\.atMs).min() }
                }
                guard case .scored(let score, let action) = try engine.execute(.scoreDrill(truthJSON: text, deadlines: deadlines)) else { return }
                if json {
                    print(score.json.canonicalJSON)
                    return
                }
                print(DrillText.render(score, action: action))
            }
        }
    }
}

/// Builds a drill case from a playbook: the scenarios that fit it, simulated, ingested and scoped.
enum DrillSetup {
    static func scenarios(for playbook: Playbook) -> [SimulatedScenario] {
        switch playbook.id {
        case "credential-stuffing": return [.credentialStuffing]
        case "bola-data-exposure": return [.bola]
        case "leaked-api-key": return [.scraping]
        case "authz-bypass-endpoint": return [.adminProbing, .shadowEndpoints]
        default: return []  // every scenario
        }
    }

    static func build(_ loaded: LoadedPlaybook, seed: UInt64, at path: String, context: CommandContext, speed: Int = 1) throws -> CaseEngine {
        var info = stat()
        if lstat(path, &info) == 0 { throw CaseFileError.alreadyExists(path) }
        let spec = SimulationSpec(seed: seed, scenarios: scenarios(for: loaded.playbook), format: "combined", lines: 20_000)
        let folder = path + ".incident"
        try IncidentFiles.refuseExisting(IncidentFiles.paths(for: spec, in: folder))
        let written = try IncidentFiles.write(spec, to: folder, overwrite: false)
        let engine = try CaseEngine.createCase(
            at: path, title: "Drill: \(loaded.playbook.title) (seed \(seed))", severity: .high, detectedAtMs: context.clock.nowMs(), isDrill: true,
            context: context)
        try engine.execute(.ingest(path: written.log, format: nil, openAPISpec: written.openAPI, rationale: "the drill's simulated access log"))
        try engine.execute(.importGateway(path: written.deck, kind: "kong", rationale: "the drill's simulated gateway state"))
        try engine.execute(.runScope(fromMs: nil, toMs: nil))
        try engine.execute(.startPlaybook(loaded.playbook, digest: loaded.digest, reason: "drill"))
        // Last: this engine keeps the wall clock, so everything before the speed-up is stamped in it.
        if speed > 1 { try engine.execute(.setDrillSpeed(speed)) }
        return engine
    }
}

/// How a score prints.
enum DrillText {
    static func percent(_ value: Double?) -> String { value.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }

    static func render(_ score: DrillScore, action: Action) -> String {
        var lines = ["drill score \(percent(score.overall)) (recorded as action #\(action.id))", ""]
        for kind in score.kinds {
            var line =
                "  \(kind.name.padding(toLength: 9, withPad: " ", startingAt: 0)) recall \(percent(kind.recall)), precision \(percent(kind.precision))"
            line += " (\(kind.correct) of \(kind.named) named were attackers'; \(kind.truth) in the truth)"
            lines.append(line)
            if !kind.missed.isEmpty {
                lines.append("            missed: " + kind.missed.prefix(10).map { DisplayText.sanitize($0).text }.joined(separator: ", "))
            }
            if !kind.wrong.isEmpty {
                lines.append("            not attackers': " + kind.wrong.prefix(10).map { DisplayText.sanitize($0).text }.joined(separator: ", "))
            }
        }
        lines.append(
            "  leakage   \(score.attackRequests - score.attackStopped) of \(score.attackRequests) attack requests would still get through (\(percent(score.attackStoppedShare)) stopped)"
        )
        lines.append(
            "  collateral \(score.benignStopped) others' requests, \(score.benignIdentities) identities"
                + (score.decoysHit.isEmpty ? "" : "; decoys hit: " + score.decoysHit.joined(separator: ", ")))
        func time(_ seconds: Int64?) -> String { seconds.map { "\($0 / 60)m \($0 % 60)s" } ?? "not yet" }
        lines.append("  time      first measure \(time(score.firstContainmentSeconds)) after detection; contained \(time(score.containedSeconds))")
        lines.append("  notices   \(score.obligationsOnTime) of \(score.obligations) obligations met before their first deadline")
        lines.append(
            "  playbooks \(score.playbooksFinished) of \(score.playbooksStarted) finished; \(score.stepsDone) steps done, \(score.stepsSkipped) skipped"
        )
        return lines.joined(separator: "\n")
    }
}
