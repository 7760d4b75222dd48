import TourniquetModel

/// 1 Overview: the case, the clock since detection, evidence, findings and the latest actions.
struct OverviewScreen: ConsoleScreen {
    let title = "Overview"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        [
            KeyBinding([.character("r")], .rerunScope, "run scope now", short: "scope"),
            KeyBinding([.character("n")], .addNote, "add a note to the timeline", short: "note"),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { 0 }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        let m = data.metadata
        var row = area.top
        func line(_ text: String, _ role: StyleRole = .normal, indent: Int = 0) {
            guard row < area.top + area.height else { return }
            grid.put(text, row: row, column: area.left + indent, width: area.width - indent, role: role)
            row += 1
        }
        line(shown(m.title), .title)
        line("severity \(m.severity.rawValue)   status \(m.status.rawValue)\(m.isDrill ? "   DRILL" : "")   case \(m.id)")
        line("detected \(Format.time(m.detectedAtMs))   elapsed \(Format.elapsed(state.nowMs - m.detectedAtMs))")
        row += 1
        line("EVIDENCE", .header)
        let malformed = data.evidence.reduce(0) { $0 + $1.malformed }
        line(
            "\(data.evidence.count) file\(data.evidence.count == 1 ? "" : "s"), \(Format.count(data.requestCount)) requests, \(Format.count(malformed)) malformed lines",
            indent: 2)
        if let first = data.evidence.compactMap(\.firstMs).min(), let last = data.evidence.compactMap(\.lastMs).max() {
            line("traffic from \(Format.time(first)) to \(Format.time(last))", indent: 2)
        }
        row += 1
        line("FINDINGS", .header)
        let byState = Dictionary(grouping: data.findings, by: \.state)
        line(
            "\(data.findings.count) in all: \(byState[.new]?.count ?? 0) new, \(byState[.confirmed]?.count ?? 0) confirmed, \(byState[.dismissed]?.count ?? 0) dismissed",
            indent: 2)
        var column = area.left + 2
        if row < area.top + area.height {
            for severity in Severity.mostSevereFirst {
                let n = data.findings.filter { $0.severity == severity && $0.state != .dismissed }.count
                column += grid.put(
                    "\(severity.rawValue) \(n)   ", row: row, column: column, width: area.left + area.width - column,
                    role: n > 0 ? Format.severityRole(severity.rawValue) : .dim)
            }
            row += 1
        }
        if let scope = data.scope {
            line(
                "\(Format.plural(scope.attackerIPs.count, "attacker source")), \(Format.plural(scope.compromisedAccounts.count, "compromised account")), \(Format.plural(scope.compromisedKeys.count, "compromised key"))",
                indent: 2)
        } else {
            line("scope has not run yet: press r", .dim, indent: 2)
        }
        row += 1
        line("RESPONSE", .header)
        for text in OverviewScreen.response(data, nowMs: state.nowMs) { line(text.text, text.role, indent: 2) }
        row += 1
        // A heading with no room for a row under it would only look broken.
        guard row + 1 < area.top + area.height else { return }
        line("LATEST ACTIONS", .header)
        for action in data.timeline {
            guard row < area.top + area.height else { break }
            let narrow = area.width < 100
            let text =
                Format.rowTime(action.atMs, narrow: narrow) + "  " + ScopeScreen.fit(shown(action.actor), narrow ? 10 : 12) + " "
                + action.kind.padded(19) + " " + shown(action.rationale.isEmpty ? action.target : action.rationale)
            line(text, indent: 2)
        }
    }
}

extension OverviewScreen {
    /// Where the response stands: the playbooks' next steps, what is contained, and the nearest
    /// notification deadline (a warning under 12 hours, an alarm once passed).
    static func response(_ data: ConsoleData, nowMs: Int64) -> [(text: String, role: StyleRole)] {
        var lines: [(String, StyleRole)] = []
        let started = data.response.playbooks.filter(\.started)
        for entry in started {
            let walked = entry.progress.records.count
            if let step = entry.currentStep {
                lines.append(("\(entry.playbook.id): \(walked) of \(entry.playbook.steps.count) steps — next: \(shown(step.title)) (6)", .normal))
            } else {
                lines.append(("\(entry.playbook.id): finished", .low))
            }
        }
        if started.isEmpty {
            if let best = data.response.playbooks.first, best.fits > 0 {
                lines.append(("no playbook started: \(best.playbook.id) fits \(Format.plural(best.fits, "finding")) (6 Respond)", .medium))
            } else {
                lines.append(("no playbook started (6 Respond)", .dim))
            }
        }
        let inForce = data.containment.filter(\.isInForce)
        let counts = MeasureCounts(inForce.map(\.measure))
        var kinds: [String] = []
        if counts.addresses > 0 { kinds.append("\(Format.plural(counts.addresses, "source")) blocked") }
        if counts.keys > 0 { kinds.append("\(Format.plural(counts.keys, "key")) blocked") }
        if counts.tokens > 0 { kinds.append("tokens of \(Format.plural(counts.tokens, "subject")) revoked") }
        if !counts.endpoints.isEmpty { kinds.append("\(Format.plural(counts.endpoints.count, "endpoint")) disabled") }
        let waiting = inForce.filter { [.pending, .failed, .outcomeUnknown].contains($0.state) }.count
        if kinds.isEmpty {
            lines.append(("nothing contained yet", .dim))
        } else {
            lines.append(
                (kinds.joined(separator: ", ") + (waiting > 0 ? " — \(waiting) not yet on a gateway (5)" : ""), waiting > 0 ? .medium : .normal))
        }
        let open = data.response.obligations.filter { !$0.met && $0.inForce }
        if let (obligation, deadline) = data.response.nextDeadline(nowMs: nowMs), let at = deadline.atMs {
            let urgency = Countdown.urgency(at, nowMs: nowMs)
            let role: StyleRole = urgency == .overdue ? .critical : urgency == .soon ? .high : .normal
            let flag = urgency == .overdue ? "OVERDUE: " : urgency == .soon ? "under 12 h: " : ""
            lines.append(
                (
                    "\(Format.plural(open.count, "open obligation")); \(flag)\(obligation.regime) \(deadline.name) \(Countdown.remaining(at, nowMs: nowMs)) (7)",
                    role
                ))
        } else if !open.isEmpty {
            lines.append(("\(Format.plural(open.count, "open obligation")); no deadline counting yet: start the awareness clock (7)", .medium))
        }
        let review = data.review
        if review.run != nil {
            let failing = review.results.filter { review.state(of: $0) == .fail }.count
            let waiting = review.results.filter { [.manual, .unknown].contains(review.state(of: $0)) }.count
            lines.append(
                ("review: \(failing) failing, \(waiting) waiting for an answer, of \(review.results.count) items (8)", failing > 0 ? .high : .normal))
        }
        return lines
    }
}
