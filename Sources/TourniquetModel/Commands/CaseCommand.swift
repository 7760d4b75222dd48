/// A change a responder asks for. The console's keys, CLI subcommands and playbook steps all
/// build these and hand them to the one engine, which executes and records them.
public enum CaseCommand: Equatable, Sendable {
    /// A free-text note on the timeline; `corrects` names an earlier action this note corrects.
    case note(text: String, corrects: Int64?)
    /// A responder's verdict on a finding, with the rationale the timeline keeps.
    case setFindingState(id: String, state: FindingState, rationale: String)
    /// Adds (or removes) a benign source or client; its findings are suppressed from then on.
    case changeAllowlist(add: Bool, entry: Allowlist.Entry, rationale: String)
}

/// Who is acting and what time it is, for every command in one session.
public struct CommandContext: Sendable {
    public var actor: String
    public var clock: WallClock

    public init(actor: String, clock: WallClock) {
        self.actor = actor
        self.clock = clock
    }
}

extension CaseCommand {
    /// The action a command records.
    public var draft: ActionDraft {
        switch self {
        case .note(let text, let corrects):
            return ActionDraft(kind: corrects == nil ? .note : .correction, target: corrects.map { "action:\($0)" } ?? "case",
                               details: .object([:]), rationale: text, corrects: corrects)
        case .setFindingState(let id, let state, let rationale):
            return ActionDraft(kind: state == .dismissed ? .findingDismissed : .findingConfirmed, target: id, rationale: rationale)
        case .changeAllowlist(let add, let entry, let rationale):
            return ActionDraft(kind: .allowlistChanged, target: entry.value, details: ["change": .string(add ? "add" : "remove")], rationale: rationale)
        }
    }
}
