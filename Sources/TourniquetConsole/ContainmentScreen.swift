import TourniquetModel

/// 5 Containment: every measure planned on the case, its state on the gateway, and undo. Measures
/// are planned from the Scope screen (b, k, x) and put on a gateway by `tourniquet apply`, which
/// `A` then repeats from here the same way.
struct ContainmentScreen: ConsoleScreen {
    let title = "Containment"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        let none = data.containment.isEmpty ? "no measure is planned yet (b, k and x on the Scope screen plan them)" : nil
        return [
            KeyBinding(
                [.character("u")], .undoMeasure, "undo the selected measure (asks for a reason); the next apply removes it", disabledReason: none),
            KeyBinding(
                [.character("A")], .reapply,
                "apply every measure in force to \(data.lastApply?.name ?? "the gateway") the way the last apply did (asks for a reason)",
                short: "apply",
                disabledReason: data.lastApply == nil ? "no apply yet: run `tourniquet apply CASE --gateway …` once; A then repeats it" : nil),
            KeyBinding(
                [.character("S")], .markContained,
                data.metadata.status == .open ? "mark the case contained (asks for a reason)" : "mark the case closed (asks for a reason)",
                short: data.metadata.status == .open ? "contained" : "close",
                disabledReason: data.metadata.status == .closed ? "the case is closed" : nil),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { data.containment.count }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        let pending = data.containment.filter { [.pending, .failed, .outcomeUnknown].contains($0.state) }.count
        let stale = data.containment.filter { ($0.state == .undone || $0.state == .expired) && $0.onGateway != false }.count
        var header = "case \(data.metadata.status.rawValue) · \(Format.plural(data.containment.count, "measure"))"
        if pending + stale > 0 {
            header +=
                " · \(pending + stale) waiting for " + (data.lastApply.map { "an apply to \($0.name) (A)" } ?? "`tourniquet apply CASE --gateway …`")
        }
        grid.put(header, row: area.top, column: area.left, width: area.width, role: pending + stale > 0 ? .medium : .header)
        grid.put(
            "    #  state            gateway   measure / reason", row: area.top + 1, column: area.left, width: area.width, role: .header)
        // The selected measure in full below the list: reasons and notes are cut in its row.
        let detail = ContainmentScreen.detail(data.containment[safe: state.selected(on: state.screen)])
        let detailHeight = area.height >= 12 ? detail.count : 0
        let visible = max(0, area.height - 2 - detailHeight)
        let selected = state.selected(on: state.screen)
        let first = ScrollWindow.first(selected: selected, count: data.containment.count, visible: visible)
        for (offset, entry) in data.containment.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 2 + offset
            let gateway = entry.onGateway.map { $0 ? "on" : "off" } ?? "unknown"
            var text =
                String(entry.id).leftPad(5, " ") + "  " + entry.state.rawValue.padded(16) + " " + gateway.padded(9) + " "
                + shown(entry.measure.summary) + " — " + shown(entry.reason)
            if !entry.note.isEmpty { text += " [" + shown(entry.note) + "]" }
            let isSelected = first + offset == selected
            let role: StyleRole =
                isSelected ? .selected : (entry.state == .failed || entry.state == .outcomeUnknown ? .high : .normal)
            grid.put(text, row: row, column: area.left, width: area.width, role: role)
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
        for (offset, line) in detail.prefix(detailHeight).enumerated() {
            grid.put(
                line, row: area.top + area.height - detailHeight + offset, column: area.left, width: area.width, role: offset == 0 ? .header : .normal
            )
        }
        if data.containment.isEmpty && area.height > 3 {
            grid.put(
                "No measures yet. On the Scope screen, b blocks the selected source, k a key, x a route.", row: area.top + 3,
                column: area.left + 2, width: area.width - 2, role: .normal)
        }
    }

    /// The selected measure's lines: what it does, who decided it and why, and what became of it.
    static func detail(_ entry: ContainmentEntry?) -> [String] {
        guard let entry else { return [] }
        var lines = [
            "#\(entry.id) \(shown(entry.measure.summary))",
            "  by \(shown(entry.actor)) at \(entry.plannedAt): \(shown(entry.reason))",
        ]
        if let forced = entry.forced { lines.append("  guards overridden: \(shown(forced))") }
        var fate = "  \(entry.state.rawValue)"
        if let apply = entry.lastApply { fate += " (apply #\(apply))" }
        if let undone = entry.undoneBy { fate += ", undone by action #\(undone)" }
        if !entry.note.isEmpty { fate += ": " + shown(entry.note) }
        lines.append(fate)
        return lines
    }
}
