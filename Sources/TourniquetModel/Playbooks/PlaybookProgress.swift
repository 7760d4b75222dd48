/// Where a case stands in a playbook, read from its actions: the path walked so far, each step's
/// outcome, and the step to do next (nil once the path reached `end`).
public struct PlaybookProgress: Sendable {
    public enum Outcome: Equatable, Sendable {
        case done
        case skipped(reason: String)
        case chosen(option: String)
    }

    public struct Record: Sendable {
        public var action: Int64
        public var at: String
        public var actor: String
        public var outcome: Outcome
        public var next: String
        public var reason: String
        public var details: JSONValue
    }

    public let playbook: Playbook
    /// The `playbook.started` action, nil while the playbook has not begun on this case.
    public private(set) var started: Action?
    public private(set) var records: [String: Record] = [:]
    /// Steps in the order they were walked.
    public private(set) var path: [String] = []
    public private(set) var current: String?

    public init(playbook: Playbook, actions: [Action]) {
        self.playbook = playbook
        for action in actions {
            guard let kind = ActionKind(rawValue: action.kind), kind == .playbookStarted || kind == .playbookStep,
                case .success(let details) = JSONLineReader.parse(action.details), details["playbook"]?.stringValue == playbook.id
            else { continue }
            switch kind {
            case .playbookStarted where started == nil:
                started = action
            case .playbookStep:
                guard let step = details["step"]?.stringValue, let next = details["next"]?.stringValue, records[step] == nil else { continue }
                let outcome: Outcome
                switch details["outcome"]?.stringValue {
                case "skipped": outcome = .skipped(reason: action.rationale)
                case "chosen": outcome = .chosen(option: details["option"]?.stringValue ?? "")
                default: outcome = .done
                }
                records[step] = Record(
                    action: action.id, at: action.at, actor: action.actor, outcome: outcome, next: next, reason: action.rationale,
                    details: details)
            default:
                continue
            }
        }
        guard started != nil else { return }
        var step = playbook.steps.first?.id
        var seen = Set<String>()
        while let id = step, id != Playbook.end, seen.insert(id).inserted {
            path.append(id)
            guard let record = records[id] else {
                current = id
                return
            }
            step = record.next
        }
        current = nil
    }

    public var finished: Bool { started != nil && current == nil }

    /// The state of each step for display: done, skipped, chosen, current, or ahead/off the path.
    public func state(of step: String) -> String {
        if step == current { return "current" }
        switch records[step]?.outcome {
        case .done?: return "done"
        case .skipped?: return "skipped"
        case .chosen(let option)?: return "chose \(option)"
        case nil: return "ahead"
        }
    }
}
