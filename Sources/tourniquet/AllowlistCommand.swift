import ArgumentParser
import TourniquetEngine
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct AllowlistCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allowlist", abstract: "Sources and clients known to be benign; their findings are suppressed.",
            discussion: "Entries are an address (203.0.113.7), a network (10.0.0.0/8) or a client (client:svc-billing).",
            subcommands: [List.self, Add.self, Remove.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the allowlist.")
            @Argument(help: "The case file.") var casePath: String
            func run() throws {
                let entries = try CaseFile.openReadOnly(at: casePath).allowlist().entries
                if entries.isEmpty { print("the allowlist is empty") }
                for entry in entries { print("\(entry.kind.rawValue)\t\(DisplayText.sanitize(entry.value).text)") }
            }
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add an entry (recorded with your rationale).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "An address, a CIDR, or client:NAME.") var entry: String
            @Option(help: "Why this is benign.") var reason: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws { try change(add: true, casePath, entry, reason, actorOptions) }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove an entry (recorded with your rationale).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "An address, a CIDR, or client:NAME.") var entry: String
            @Option(help: "Why it no longer is.") var reason: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws { try change(add: false, casePath, entry, reason, actorOptions) }
        }
    }
}

private func change(add: Bool, _ casePath: String, _ text: String, _ reason: String, _ actor: ActorOptions) throws {
    guard let entry = Allowlist.Entry.parse(text) else {
        throw ValidationError("'\(text)' is not an address, a CIDR or client:NAME")
    }
    let engine = try CaseEngine.open(path: casePath, context: actor.context)
    guard case .recorded(let action) = try engine.execute(.changeAllowlist(add: add, entry: entry, rationale: reason)) else { return }
    print("\(add ? "added" : "removed") \(entry.kind.rawValue) \(DisplayText.sanitize(entry.value).text) (action #\(action.id))")
}
