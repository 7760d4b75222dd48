import TourniquetModel

/// What the report says about the case as a whole, derived from the report's parts.
extension IncidentReport {
    /// When the attack was seen, from the findings a responder confirmed, else from those not
    /// dismissed; nil when there are none.
    public var attackWindow: (firstMs: Int64, lastMs: Int64)? {
        let confirmed = findings.filter { $0.state == .confirmed }
        let basis = confirmed.isEmpty ? findings.filter { $0.state != .dismissed } : confirmed
        guard let first = basis.map(\.firstMs).min(), let last = basis.map(\.lastMs).max() else { return nil }
        return (first, last)
    }

    /// When the case was first marked contained, and first closed.
    public func firstStatusChange(to status: CaseStatus) -> Action? {
        actions.first { action in
            action.kind == ActionKind.caseStatusChanged.rawValue && JSONValue(parsing: action.details)?["to"]?.stringValue == status.rawValue
        }
    }

    /// The first apply that put measures on a gateway.
    public var firstContainment: Action? {
        actions.first { $0.kind == ActionKind.containmentApplied.rawValue || $0.kind == ActionKind.containmentVerified.rawValue }
    }

    /// Findings by state, in `FindingState` order.
    public var findingCounts: [(state: FindingState, count: Int)] {
        FindingState.allCases.map { state in (state, findings.filter { $0.state == state }.count) }
    }

    /// Whether a deadline of an unmet obligation had passed by the report's time.
    func isOverdue(_ deadline: Deadline, of obligation: Obligation) -> Bool {
        guard let at = deadline.atMs else { return false }
        return at < asOfMs && !obligation.state.isMet
    }

    /// The earliest deadline an obligation has, the one it counts down to.
    public static func earliest(_ deadlines: [Deadline]) -> Deadline? {
        deadlines.filter { $0.atMs != nil }.min { $0.atMs! < $1.atMs! }
    }

    /// What is still to do, as of the report's time: the list a responder hands over. Values
    /// from the case are spans of their own, so each format fences them.
    public var openItems: [[Span]] {
        var items: [[Span]] = []
        if !chain.intact { items.append([.plain("The case failed verification (\(chain.problems.count) problem(s)); see Integrity.")]) }
        if scope == nil { items.append([.plain("Scope has not been run on the evidence.")]) }
        let undecided = findings.filter { $0.state == .new }
        if !undecided.isEmpty {
            let serious = undecided.filter { $0.severity == .critical || $0.severity == .high }.count
            items.append([.plain("\(undecided.count) finding(s) neither confirmed nor dismissed, \(serious) of them high or critical.")])
        }
        for entry in containment where entry.isInForce && entry.state != .verified {
            var item: [Span] = [
                .plain("Measure #\(entry.id) ("), .value(entry.measure.summary), .plain(") is \(entry.state.rawValue), not verified on a gateway"),
            ]
            if !entry.note.isEmpty { item += [.plain(": "), .value(entry.note)] }
            items.append(item + [.plain(".")])
        }
        for entry in containment where !entry.isInForce && entry.onGateway != false {
            items.append([
                .plain("Measure #\(entry.id) ("), .value(entry.measure.summary),
                .plain(") is \(entry.state.rawValue) but still on the gateway until the next apply."),
            ])
        }
        for obligation in obligations where !obligation.state.isMet {
            var item: [Span] = [.plain("Notification "), .value(obligation.regime), .plain(" is \(obligation.state.rawValue)")]
            if let due = IncidentReport.earliest(obligation.deadlines), let at = due.atMs {
                item.append(
                    .plain(
                        isOverdue(due, of: obligation)
                            ? "; its \(due.name) deadline passed at \(UTCTime.format(ms: at))." : "; \(due.name) due \(UTCTime.format(ms: at))."))
            } else if let waiting = obligation.deadlines.first(where: { !$0.waitingFor.isEmpty }) {
                item.append(.plain("; its clock has not started (waiting for \(waiting.waitingFor.joined(separator: ", ")))."))
            } else {
                item.append(.plain("."))
            }
            items.append(item)
        }
        for run in playbooks where !run.finished {
            let current = run.steps.first { $0.outcome == "current" }
            var item: [Span] = [.plain("Playbook "), .value(run.id), .plain(" is at step ")]
            item += current.map { [.value($0.id), .plain(" ("), .value($0.title), .plain(").")] } ?? [.plain("?.")]
            items.append(item)
        }
        let ledger = review
        let failing = ledger.results.filter { ledger.state(of: $0) == .fail }
        if !failing.isEmpty {
            items.append([.plain("\(failing.count) review item(s) fail: ")] + Span.values(failing.map(\.id), limit: 20, more: ""))
        }
        let unanswered = ledger.results.filter { [.manual, .unknown].contains(ledger.state(of: $0)) }.count
        if unanswered > 0 { items.append([.plain("\(unanswered) review item(s) the evidence could not decide wait for a person's answer.")]) }
        switch status {
        case .open: items.append([.plain("The case is open: not yet marked contained.")])
        case .contained: items.append([.plain("The case is contained, not closed.")])
        case .closed: break
        }
        return items
    }
}

extension Span {
    /// The span's text as it stands, for formats that escape whole strings (JSON).
    var text: String {
        switch self {
        case .plain(let t), .strong(let t), .value(let t): return t
        }
    }
}
