/// Where a planned measure stands.
public enum ContainmentState: String, CaseIterable, Codable, Sendable {
    /// Recorded, not yet put on a gateway.
    case pending
    /// An apply started to put it on a gateway and never recorded how that ended (the process was
    /// killed, the machine went down). Run apply again: it puts the whole state again.
    case outcomeUnknown = "outcome-unknown"
    case applied
    /// Applied, and the gateway was checked to serve it.
    case verified
    /// The last apply that included it failed; the gateway kept its previous configuration.
    case failed
    /// Its time ran out; the next apply removes it.
    case expired
    /// Taken back; the next apply removes it.
    case undone
}

/// One planned measure and what became of it.
public struct ContainmentEntry: Equatable, Sendable {
    /// The id of the `containment.planned` action: how a responder names the measure.
    public var id: Int64
    public var measure: ContainmentMeasure
    public var reason: String
    public var actor: String
    public var plannedAt: String
    /// The responder's reason for overriding a guard, when one refused the measure.
    public var forced: String?
    public var state: ContainmentState
    /// Whether the gateway holds it: `nil` while an apply's outcome is unknown. Expired and undone
    /// measures stay there until an apply removes them.
    public var onGateway: Bool?
    /// What `onGateway` and `state` were before the apply in progress, restored when that apply
    /// fails: a measure already in force stays in force when a later apply fails.
    var onGatewayBefore: Bool?
    var stateBefore: ContainmentState = .pending
    /// The apply that last included or removed it.
    public var lastApply: Int64?
    /// Why the last apply failed, or what its check found.
    public var note: String
    public var undoneBy: Int64?

    public init(
        id: Int64, measure: ContainmentMeasure, reason: String, actor: String, plannedAt: String, forced: String?, state: ContainmentState,
        onGateway: Bool?, lastApply: Int64?, note: String, undoneBy: Int64?
    ) {
        self.id = id
        self.measure = measure
        self.reason = reason
        self.actor = actor
        self.plannedAt = plannedAt
        self.forced = forced
        self.state = state
        self.onGateway = onGateway
        self.onGatewayBefore = onGateway
        self.lastApply = lastApply
        self.note = note
        self.undoneBy = undoneBy
    }
}

extension ContainmentEntry {
    /// Neither undone nor expired: the next apply puts it on the gateway, or keeps it there.
    public var isInForce: Bool { state != .undone && state != .expired }
}

/// Measures counted by kind, as a notice and the Overview say them.
public struct MeasureCounts: Sendable {
    public var addresses = 0
    public var keys = 0
    /// Subjects and clients whose tokens are revoked.
    public var tokens = 0
    /// `METHOD route` of each disabled endpoint.
    public var endpoints: [String] = []

    public init(_ measures: [ContainmentMeasure]) {
        for measure in measures {
            switch measure {
            case .blockAddress: addresses += 1
            case .blockKey: keys += 1
            case .revokeTokens: tokens += 1
            case .disableEndpoint(let method, let route, _, _): endpoints.append("\(method) \(route)")
            }
        }
    }
}

/// Every containment measure of a case, read from the action log: the measures are planned,
/// undone, applied and verified only as actions, so the log is the one record of them and a
/// crash can never leave a measure missing.
public struct ContainmentLedger: Sendable {
    public private(set) var entries: [ContainmentEntry] = []
    /// How the latest apply that recorded its target reached its gateway: what the console's `A` repeats.
    public private(set) var lastApplyTarget: GatewayTarget?
    private var applies: [Int64: (puts: [Int64], removes: [Int64])] = [:]

    public init() {}

    /// Folds the containment actions, oldest first; other actions are ignored.
    public init(actions: [Action], nowMs: Int64) {
        for action in actions { fold(action) }
        settle(nowMs: nowMs)
    }

    private func index(_ id: Int64) -> Int? { entries.firstIndex { $0.id == id } }

    public subscript(id: Int64) -> ContainmentEntry? { index(id).map { entries[$0] } }

    private mutating func fold(_ action: Action) {
        guard let kind = ActionKind(rawValue: action.kind), case .success(let details) = JSONLineReader.parse(action.details) else { return }
        let apply = details["apply"]?.int64Value
        switch kind {
        case .containmentPlanned:
            guard let measure = ContainmentMeasure(details: details) else { return }
            entries.append(
                ContainmentEntry(
                    id: action.id, measure: measure, reason: action.rationale, actor: action.actor, plannedAt: action.at,
                    forced: details["forced"]?.stringValue, state: .pending, onGateway: false, lastApply: nil, note: "", undoneBy: nil))
        case .containmentUndone:
            if let id = details["measure_id"]?.int64Value, let i = index(id) { entries[i].undoneBy = action.id }
        case .containmentApplying:
            if let target = details["target"].flatMap(GatewayTarget.init(details:)) { lastApplyTarget = target }
            let puts = ContainmentLedger.ids(details["puts"])
            let removes = ContainmentLedger.ids(details["removes"])
            applies[action.id] = (puts, removes)
            for id in puts + removes {
                guard let i = index(id) else { continue }
                entries[i].lastApply = action.id
                entries[i].onGatewayBefore = entries[i].onGateway
                entries[i].stateBefore = entries[i].state
                entries[i].state = .outcomeUnknown
                entries[i].onGateway = nil
                entries[i].note = ""
            }
        case .containmentApplied, .containmentFailed, .containmentVerified:
            guard let apply, let ids = applies[apply] else { return }
            for (id, put) in ids.puts.map({ ($0, true) }) + ids.removes.map({ ($0, false) }) {
                guard let i = index(id), entries[i].lastApply == apply else { continue }
                switch kind {
                case .containmentApplied:
                    entries[i].onGateway = put
                    entries[i].state = .applied
                case .containmentFailed:
                    // A failed check leaves the applied change in place; a failed change was undone,
                    // and what was in force before it still is.
                    let error = details["error"]?.stringValue ?? "failed"
                    if details["phase"]?.stringValue == "verify" {
                        entries[i].state = .failed
                        entries[i].note = error
                    } else {
                        entries[i].onGateway = entries[i].onGatewayBefore
                        let held = entries[i].onGatewayBefore == true && [.applied, .verified].contains(entries[i].stateBefore)
                        entries[i].state = held ? entries[i].stateBefore : .failed
                        entries[i].note = held ? "still in force; apply #\(apply) failed: \(error)" : error
                    }
                default:
                    if put && entries[i].state == .applied { entries[i].state = .verified }
                }
            }
        default:
            return
        }
    }

    /// Undone and expired measures say so, whatever their last apply did.
    private mutating func settle(nowMs: Int64) {
        for i in entries.indices {
            if entries[i].undoneBy != nil {
                entries[i].state = .undone
            } else if let expires = entries[i].measure.expiresAtMs, expires <= nowMs {
                entries[i].state = .expired
            }
        }
    }

    /// The measures an apply at this moment puts in force: every one neither undone nor expired.
    public var inForce: [ContainmentEntry] { entries.filter(\.isInForce) }

    /// Measures a gateway may still hold that are no longer in force: the next apply removes them
    /// and records the removal.
    public var toRemove: [ContainmentEntry] {
        entries.filter { ($0.state == .undone || $0.state == .expired) && $0.onGateway != false }
    }

    private static func ids(_ value: JSONValue?) -> [Int64] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.int64Value)
    }
}
