import ArgumentParser
import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetModel
import TourniquetResponse
import TourniquetStore

/// `--playbooks DIR`: playbooks (and `DIR/notifications`) of the user's own, after the shipped ones.
struct PlaybookDirectories: ParsableArguments {
    @Option(name: .customLong("playbooks"), help: "A directory of your own playbooks (and notifications/), read after the shipped ones.")
    var directories: [String] = []

    var library: ResponseLibrary { ResponseLibrary.load(extra: directories) }
}

extension Tourniquet {
    struct PlaybookCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "playbook", abstract: "Playbooks: check them, see which fit the case, and walk through one.",
            discussion: """
                A playbook is a YAML file of steps (docs/PLAYBOOKS.md): questions the scope report answers, \
                containment actions drawn from the findings, checklist items, decisions that branch, and \
                notification obligations. Each step completed, skipped or decided is an action on the case.
                """,
            subcommands: [Check.self, List.self, Show.self, Run.self, Step.self, Export.self, Import.self])

        struct Export: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a playbook as an OASIS CACAO v2.0 playbook (JSON), checked before it is written.",
                discussion: """
                    Questions, checklist items and notifications become action steps with manual commands; containment \
                    steps become action steps with http-api commands to the gateway's API; decisions become \
                    switch-condition steps. Each step also carries its exact Tourniquet form in a step extension, so \
                    `playbook import` gives the same playbook back.
                    """)
            @Argument(help: "The playbook's id or file.") var playbook: String
            @Option(help: "Write to this new file (default: standard output).") var out: String?
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                let loaded = try dirs.library.playbook(playbook)
                let document = CACAOExport.document(loaded.playbook, createdMs: WallClock.live.nowMs())
                let problems = CACAOCheck.problems(document)
                guard problems.isEmpty else { throw RefusedRequest("the export is not consistent: " + problems.joined(separator: "; ")) }
                try writeNew(document.canonicalJSON + "\n", to: out)
            }
        }

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Read an OASIS CACAO v2.0 playbook (JSON) into Tourniquet's YAML form, checked as `playbook check` does.",
                discussion: """
                    Steps exported by Tourniquet come back exactly. Other action steps become checklist items (their \
                    commands kept in the detail), switch- and if-conditions become decisions; parallel, while and \
                    playbook-action steps are refused.
                    """)
            @Argument(help: "The CACAO JSON file.") var file: String
            @Option(help: "The YAML file to write (a new file).") var out: String
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                let text = try BoundedYAML.readText(path: file, limits: .init(maxBytes: 4 << 20, maxDepth: 64, maxAliases: 0, maxNodes: 200_000))
                guard case .success(let document) = JSONLineReader.parse(text) else { throw RefusedRequest("\(file) is not JSON") }
                let playbook = try CACAOImport.playbook(document)
                try writeNew(PlaybookYAML.render(playbook), to: out)
                var library = dirs.library
                let problems = library.check([out])
                guard problems.isEmpty else {
                    try? FileManager.default.removeItem(atPath: out)
                    throw RefusedRequest(
                        "the imported playbook does not check, so it was not kept:\n" + problems.map(\.description).joined(separator: "\n"))
                }
                print("wrote \(DisplayText.sanitize(out).text): \(playbook.id), \(playbook.steps.count) steps")
            }
        }

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check playbook and notification files: each problem as file:line:column with what was expected.")
            @Argument(help: "The files.") var files: [String]
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                var library = dirs.library
                let problems = library.check(files)
                for problem in problems { print(problem.description) }
                guard problems.isEmpty else { throw RefusedRequest("\(problems.count) problems in \(Set(problems.map(\.path)).count) files") }
                print("\(files.count) files, no problems")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The playbooks; given a case, those that fit its findings first.")
            @Argument(help: "The case file (optional).") var casePath: String?
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                let library = dirs.library
                for problem in library.problems { FileHandle.standardError.write(Data("warning: \(problem.description)\n".utf8)) }
                var fits: [String: Int] = [:]
                if let casePath, let latest = try CaseFile.openReadOnly(at: casePath).latestScopeReport() {
                    // Only playbooks with findings of their detectors say they fit.
                    fits = library.fits(try ScopeReportDocument.decode(latest.json)).filter { $0.value > 0 }
                }
                let ordered = library.playbooks.sorted { (fits[$0.playbook.id] ?? 0, $1.playbook.id) > (fits[$1.playbook.id] ?? 0, $0.playbook.id) }
                for loaded in ordered {
                    let fit = fits[loaded.playbook.id].map { "  fits: \($0) findings" } ?? ""
                    print("\(loaded.playbook.id)  \(DisplayText.sanitize(loaded.playbook.title).text) (v\(loaded.playbook.version))\(fit)")
                }
                if casePath != nil && fits.isEmpty { print("(no finding of the latest scope run fits a playbook; `tourniquet scope` first?)") }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A playbook's steps.")
            @Argument(help: "The playbook's id or file.") var playbook: String
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                let loaded = try dirs.library.playbook(playbook)
                print("\(loaded.playbook.id): \(DisplayText.sanitize(loaded.playbook.title).text) (v\(loaded.playbook.version))")
                for step in loaded.playbook.steps { print("  " + PlaybookText.line(step)) }
            }
        }

        struct Run: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Start a playbook on the case (once) and show where the response stands: each step, and the next with what the case answers.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The playbook's id or file.") var playbook: String
            @Option(help: "Why this playbook (recorded when it starts).") var reason: String?
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var dirs: PlaybookDirectories
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let loaded = try dirs.library.playbook(playbook)
                let file = try CaseFile.openReadOnly(at: casePath)
                var progress = try CaseEngine.progress(of: loaded.playbook, in: file)
                if progress.started == nil {
                    let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                    let why = reason ?? "responding with the \(loaded.playbook.id) playbook"
                    guard case .recorded(let action) = try engine.execute(.startPlaybook(loaded.playbook, digest: loaded.digest, reason: why)) else {
                        return
                    }
                    if !json { print("started \(loaded.playbook.id) v\(loaded.playbook.version) (action #\(action.id))") }
                    progress = try CaseEngine.progress(of: loaded.playbook, in: file)
                }
                if json {
                    print(try PlaybookText.json(progress, caseFile: file).canonicalJSON)
                } else {
                    try PlaybookText.print(progress, caseFile: file)
                }
            }
        }

        struct Step: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record the current step: done, skipped (with why), or the option chosen.",
                discussion: """
                    Done on a contain step plans one measure for each value the scope report gives (the same guards \
                    as `contain`; refusals are listed and the rest go ahead; --force REASON overrides the guards). \
                    Done on a notify step takes on the obligation (`tourniquet notify list` counts it down).
                    """)
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The playbook's id or file.") var playbook: String
            @Argument(help: "The step's id (the current one).") var step: String
            @Flag(help: "The step is done.") var done = false
            @Flag(help: "Skip the step (say why with --reason).") var skip = false
            @Option(help: "The option chosen at a decision.") var choose: String?
            @Option(help: "Why.") var reason: String
            @Option(help: "Override the containment guards, saying why.") var force: String?
            @OptionGroup var dirs: PlaybookDirectories
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let outcomes = [done, skip, choose != nil].filter { $0 }.count
                guard outcomes == 1 else { throw ValidationError("give one of --done, --skip or --choose OPTION") }
                let outcome: PlaybookProgress.Outcome = done ? .done : skip ? .skipped(reason: reason) : .chosen(option: choose!)
                let loaded = try dirs.library.playbook(playbook)
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard
                    case .stepped(let report) = try engine.execute(
                        .recordPlaybookStep(loaded.playbook, step: step, outcome: outcome, reason: reason, force: force))
                else { return }
                print("step \(step): recorded (action #\(report.action.id))")
                for action in report.planned {
                    let summary = (try? JSONLineReader.parse(action.details).get()).flatMap(ContainmentMeasure.init(details:))?.summary ?? action.kind
                    print("  planned measure #\(action.id): \(DisplayText.sanitize(summary).text)")
                }
                for value in report.alreadyInForce { print("  already in force: \(DisplayText.sanitize(value).text)") }
                for (value, why) in report.refused { print("  refused \(DisplayText.sanitize(value).text): \(DisplayText.sanitize(why).text)") }
                if let opened = report.opened { print("  took on the obligation (action #\(opened.id)); `tourniquet notify list` counts it down") }
                let progress = try CaseEngine.progress(of: loaded.playbook, in: engine.caseFile)
                if let next = progress.current.flatMap(loaded.playbook.step) {
                    print("next: \(PlaybookText.line(next))")
                } else {
                    print("the playbook is finished")
                }
            }
        }
    }
}

/// Writes text to a new file (never over an existing one), or to standard output.
func writeNew(_ text: String, to path: String?) throws {
    guard let path else {
        print(text, terminator: "")
        return
    }
    guard !FileManager.default.fileExists(atPath: path) else { throw RefusedRequest("\(path) exists; give a new file") }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}
