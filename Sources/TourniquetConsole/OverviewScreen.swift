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
        line("LATEST ACTIONS", .header)
        for action in data.timeline {
            guard row < area.top + area.height else { break }
            let narrow = area.width < 100
            let text =
                Format.rowTime(ActionTime.ms(action.at), narrow: narrow) + "  " + ScopeScreen.fit(shown(action.actor), narrow ? 10 : 12) + " "
                + action.kind.padded(18) + " " + shown(action.rationale.isEmpty ? action.target : action.rationale)
            line(text, indent: 2)
        }
    }
}

/// Reads an action's stored time back to milliseconds.
enum ActionTime {
    static func ms(_ at: String) -> Int64? { Timestamps.parseRFC3339(at)?.ms }
}
