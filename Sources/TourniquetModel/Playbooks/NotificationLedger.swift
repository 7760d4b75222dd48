/// The moments a notification clock can start at; the responder records each once it happens.
public enum NotificationClocks {
    public static let names = ["awareness", "classification", "determination", "discovery", "suspicion"]
}

/// The case's notification clocks and obligations, read from its actions.
public struct NotificationLedger: Sendable {
    public enum State: String, CaseIterable, Sendable {
        case todo, drafted, sent
        case notRequired = "not-required"

        /// Sent, or found not to be required: nothing is owed any more.
        public var isMet: Bool { self == .sent || self == .notRequired }
    }

    public struct Obligation: Sendable {
        public var regime: String
        public var openedBy: Int64
        public var openedAt: String
        public var state: State
        /// The reason given with the latest state (why it is not required, how it was sent).
        public var reason: String
        public var changedAt: String
    }

    /// When each clock started (ms), by name; a later action for the same clock corrects it.
    public private(set) var clocks: [String: Int64] = [:]
    public private(set) var obligations: [Obligation] = []

    public init(actions: [Action]) {
        for action in actions {
            guard let kind = ActionKind(rawValue: action.kind), case .success(let details) = JSONLineReader.parse(action.details) else { continue }
            switch kind {
            case .notificationClock:
                if let name = details["clock"]?.stringValue, let at = details["at_ms"]?.int64Value { clocks[name] = at }
            case .notificationOpened:
                guard let regime = details["regime"]?.stringValue, obligation(regime) == nil else { continue }
                obligations.append(
                    Obligation(regime: regime, openedBy: action.id, openedAt: action.at, state: .todo, reason: action.rationale, changedAt: action.at)
                )
            case .notificationState:
                guard let regime = details["regime"]?.stringValue, let state = details["state"]?.stringValue.flatMap(State.init),
                    let i = obligations.firstIndex(where: { $0.regime == regime })
                else { continue }
                obligations[i].state = state
                obligations[i].reason = action.rationale
                obligations[i].changedAt = action.at
            default:
                continue
            }
        }
    }

    public func obligation(_ regime: String) -> Obligation? { obligations.first { $0.regime == regime } }

    /// Obligations still to meet.
    public var open: [Obligation] { obligations.filter { !$0.state.isMet } }
}
