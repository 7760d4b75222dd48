import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetResponse
import TourniquetStore

/// `--tz ZONE`: where deadlines are shown (they are counted in UTC).
struct ZoneOption: ParsableArguments {
    @Option(help: "Show times in this zone, such as Europe/Berlin (default: $TZ, else UTC).") var tz: String?

    func zone() throws -> TimeZone {
        let name = tz ?? ProcessInfo.processInfo.environment["TZ"].flatMap { $0.isEmpty ? nil : $0 } ?? "UTC"
        guard let zone = TimeZone(identifier: name) else { throw ValidationError("'\(name)' is not a time zone such as Europe/Berlin") }
        return zone
    }
}

extension Tourniquet {
    struct NotifyCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify", abstract: "Notification obligations: their clocks, deadlines, drafts and recipients.",
            discussion: """
                Regimes are data (playbooks/notifications/*.yaml, and notifications/ in each --playbooks DIR). A \
                deadline counts from a clock the responder starts (awareness, classification, determination, \
                discovery, suspicion); each clock, obligation and state change is an action on the case.
                """,
            subcommands: [Regimes.self, Clock.self, Open.self, Mark.self, List.self, Draft.self, Recipients.self])

        struct Regimes: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The notification regimes known, and their deadlines.")
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                for regime in dirs.library.regimes.sorted(by: { $0.id < $1.id }) {
                    let flags = (regime.inForce ? [] : ["not in force"]) + (regime.voluntary ? ["voluntary"] : [])
                    print("\(regime.id)  \(DisplayText.sanitize(regime.title).text)" + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"))
                    for due in Deadlines.due(regime, clocks: [:]) { print("    \(due.name): \(DisplayText.sanitize(due.rule).text)") }
                }
            }
        }

        struct Clock: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Start (or correct) a clock: awareness, classification, determination, discovery or suspicion.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The clock.") var clock: String
            @Option(help: "When it started, RFC 3339 (default: now).") var at: String?
            @Option(help: "Why, and how you know.") var reason: String
            @OptionGroup var zone: ZoneOption
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let atMs = try at.map { try parseCommandLineTime($0, option: "--at") }
                let action = try recordOne(.setNotificationClock(name: clock, atMs: atMs, reason: reason), on: casePath, actorOptions)
                let started = (try? JSONLineReader.parse(action.details).get())?["at_ms"]?.int64Value ?? atMs ?? 0
                print("the \(clock) clock started at \(Deadlines.format(started, in: try zone.zone())) (action #\(action.id))")
            }
        }

        struct Open: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Take on a regime's obligation for this incident.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The regime's id (`tourniquet notify regimes`).") var regime: String
            @Option(help: "Why it applies.") var reason: String
            @OptionGroup var dirs: PlaybookDirectories
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                _ = try dirs.library.regime(regime)
                let action = try recordOne(.openObligation(regime: regime, reason: reason), on: casePath, actorOptions)
                print("took on \(regime) (action #\(action.id))")
            }
        }

        struct Mark: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set an obligation's state: todo, drafted, sent, or not-required (say why).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The regime's id.") var regime: String
            @Argument(help: "todo, drafted, sent or not-required.") var state: String
            @Option(help: "Why (for sent: how and to whom).") var reason: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                guard let value = NotificationLedger.State(rawValue: state) else {
                    throw ValidationError("'\(state)' is not todo, drafted, sent or not-required")
                }
                let action = try recordOne(.markObligation(regime: regime, state: value, reason: reason), on: casePath, actorOptions)
                print("\(regime) is \(value.rawValue) (action #\(action.id))")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The clocks, and each obligation's deadlines counting down.")
            @Argument(help: "The case file.") var casePath: String
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var zone: ZoneOption
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                let file = try CaseFile.openReadOnly(at: casePath)
                let ledger = try CaseEngine.notifications(of: file)
                let library = dirs.library
                let now = try CaseEngine.clock(for: file).nowMs()
                let zone = try zone.zone()
                var rows: [JSONValue] = []
                if !json {
                    print("clocks:")
                    for name in NotificationClocks.names {
                        print("  \(name): " + (ledger.clocks[name].map { Deadlines.format($0, in: zone) } ?? "not started"))
                    }
                    if ledger.obligations.isEmpty { print("no obligations yet (`tourniquet notify open CASE REGIME`, or a playbook's notify step)") }
                }
                for obligation in ledger.obligations {
                    let regime = try? library.regime(obligation.regime)
                    let dues = regime.map { Deadlines.due($0, clocks: ledger.clocks) } ?? []
                    let met = obligation.state.isMet
                    if json {
                        rows.append(
                            .fields([
                                "regime": .string(obligation.regime), "state": .string(obligation.state.rawValue),
                                "reason": .string(obligation.reason),
                                "in_force": .bool(regime?.inForce ?? true),
                                "deadlines": .array(
                                    dues.map { due in
                                        .fields([
                                            "name": .string(due.name), "rule": .string(due.rule),
                                            "due": due.atMs.map { .string(UTCTime.format(ms: $0)) } ?? .null,
                                            "urgency": due.atMs.map { .string(met ? "met" : Countdown.urgency($0, nowMs: now).rawValue) } ?? .null,
                                            "waiting_for": .array(due.waitingFor.map { .string($0) }),
                                        ])
                                    }),
                            ]))
                        continue
                    }
                    let title = regime.map { DisplayText.sanitize($0.title).text } ?? "(no such regime in the playbooks read)"
                    let flag = regime?.inForce == false ? " — not in force" : ""
                    print("\(obligation.regime) [\(obligation.state.rawValue)] \(title)\(flag)")
                    for due in dues {
                        guard let at = due.atMs else {
                            let waiting = due.waitingFor.isEmpty ? "" : " — start the \(due.waitingFor.joined(separator: " or ")) clock"
                            print("    \(due.name): \(DisplayText.sanitize(due.rule).text)\(waiting)")
                            continue
                        }
                        let urgency: String
                        switch met ? nil : Countdown.urgency(at, nowMs: now) {
                        case .overdue?: urgency = "  !! OVERDUE"
                        case .soon?: urgency = "  ! under 12 h"
                        default: urgency = ""
                        }
                        let left = met ? obligation.state.rawValue : Countdown.remaining(at, nowMs: now)
                        print("    \(due.name): \(Deadlines.format(at, in: zone)), \(left)\(urgency)  (\(DisplayText.sanitize(due.rule).text))")
                    }
                }
                if json {
                    print(
                        JSONValue.fields([
                            "clocks": .fields(ledger.clocks.mapValues { .string(UTCTime.format(ms: $0)) }), "obligations": .array(rows),
                        ]).canonicalJSON)
                }
            }
        }

        struct Draft: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "The regime's notice, filled in from the case: what happened, the window, the data, the numbers, the actions taken.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The regime's id.") var regime: String
            @OptionGroup var zone: ZoneOption
            @OptionGroup var dirs: PlaybookDirectories
            func run() throws {
                let definition = try dirs.library.regime(regime)
                let file = try CaseFile.openReadOnly(at: casePath)
                let facts = try CaseEngine.noticeFacts(of: file, nowMs: CaseEngine.clock(for: file).nowMs(), zone: try zone.zone())
                print(facts.fill(definition.draft), terminator: definition.draft.hasSuffix("\n") ? "" : "\n")
                if !definition.contents.isEmpty {
                    print("\nThe notice must hold:")
                    for item in definition.contents { print("  - \(DisplayText.sanitize(item).text)") }
                }
            }
        }

        struct Recipients: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "The recipients as CSV: compromised accounts, or blocked keys' consumers and their contacts. Cells that look like formulas are neutralised."
            )
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "accounts or keys.") var who: String
            @Option(help: "Write to this file (default: standard output).") var out: String?
            func run() throws {
                let file = try CaseFile.openReadOnly(at: casePath)
                let csv: String
                switch who {
                case "accounts": csv = RecipientCSV.render(header: ["account", "why"], rows: try CaseEngine.accountRecipients(of: file))
                case "keys":
                    csv = RecipientCSV.render(
                        header: ["key", "consumer", "custom_id", "contacts"],
                        rows: try CaseEngine.keyRecipients(of: file, nowMs: CaseEngine.clock(for: file).nowMs()))
                default: throw ValidationError("'\(who)' is not accounts or keys")
                }
                try writeNew(csv, to: out)
                if let out { print("wrote \(DisplayText.sanitize(out).text)") }
            }
        }
    }
}
