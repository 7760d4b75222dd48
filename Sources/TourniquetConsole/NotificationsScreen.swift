import TourniquetModel

/// 7 Notifications: the clocks, and each obligation's deadlines counting down (a warning under 12
/// hours, an alarm once passed), with its state. The same as `tourniquet notify list|clock|mark`.
struct NotificationsScreen: ConsoleScreen {
    let title = "Notifications"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        let none = data.response.obligations.isEmpty ? "no obligation yet: a playbook's notify step, or `tourniquet notify open`, takes one on" : nil
        return [
            KeyBinding(
                [.character("a")], .startClock,
                "start a clock now: awareness, classification, determination, discovery or suspicion (asks which and why)", short: "clock"),
            KeyBinding(
                [.character("d")], .markObligation(.drafted), "mark the selected obligation drafted (asks for a reason)", short: "drafted",
                disabledReason: none),
            KeyBinding([.character("s")], .markObligation(.sent), "mark it sent (say how and to whom)", short: "sent", disabledReason: none),
            KeyBinding([.character("n")], .markObligation(.notRequired), "mark it not required (say why)", short: "n/a", disabledReason: none),
            KeyBinding([.character("t")], .markObligation(.todo), "back to todo (say why)", short: "todo", disabledReason: none, inFooter: false),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { data.response.obligations.count }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        let response = data.response
        let clocks = NotificationClocks.names.map { name in
            "\(name) " + (response.clocks[name].map { Format.shortTime($0) } ?? "—")
        }
        grid.put("clocks: " + clocks.joined(separator: " · "), row: area.top, column: area.left, width: area.width, role: .header)
        guard !response.obligations.isEmpty else {
            grid.put(
                "No obligations yet. A playbook's notify step takes one on (6 Respond), or `tourniquet notify open CASE REGIME`.",
                row: area.top + 2, column: area.left + 2, width: area.width - 2, role: .normal)
            return
        }
        let selected = state.selected(on: state.screen)
        let detail = NotificationsScreen.detail(response.obligations[safe: selected], nowMs: state.nowMs)
        let detailHeight = area.height >= 12 ? detail.count : 0
        let visible = max(0, area.height - 2 - detailHeight)
        let first = ScrollWindow.first(selected: selected, count: response.obligations.count, visible: visible)
        for (offset, obligation) in response.obligations.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 2 + offset
            let (countdown, role) = NotificationsScreen.countdown(obligation, nowMs: state.nowMs)
            var text = obligation.regime.padded(16) + " " + ("[" + obligation.state.rawValue + "]").padded(15) + " " + countdown.padded(36)
            // Narrow screens leave the title to the detail below rather than cut it to a word.
            if area.width >= 100 { text += " " + shown(obligation.title) }
            let isSelected = first + offset == selected
            grid.put(text, row: row, column: area.left, width: area.width, role: isSelected ? .selected : role)
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
        for (offset, line) in detail.prefix(detailHeight).enumerated() {
            grid.put(
                line, row: area.top + area.height - detailHeight + offset, column: area.left, width: area.width, role: offset == 0 ? .header : .normal
            )
        }
    }

    /// The obligation's next deadline as a countdown, and how loud to show it.
    static func countdown(_ obligation: ResponseData.ObligationEntry, nowMs: Int64) -> (String, StyleRole) {
        if obligation.met { return (obligation.state.rawValue, .dim) }
        if !obligation.inForce { return ("not in force", .dim) }
        guard let deadline = obligation.next, let at = deadline.atMs else {
            let waiting = obligation.deadlines.first?.waitingFor ?? []
            return (waiting.isEmpty ? (obligation.deadlines.first?.rule ?? "no deadline") : "start the \(waiting[0]) clock", .medium)
        }
        let urgency = Countdown.urgency(at, nowMs: nowMs)
        let prefix = urgency == .overdue ? "!! " : urgency == .soon ? "! " : ""
        return (
            prefix + deadline.name + " " + Countdown.remaining(at, nowMs: nowMs), urgency == .overdue ? .critical : urgency == .soon ? .high : .normal
        )
    }

    static func detail(_ obligation: ResponseData.ObligationEntry?, nowMs: Int64) -> [String] {
        guard let obligation else { return [] }
        var lines = ["\(obligation.regime): \(shown(obligation.title))"]
        for deadline in obligation.deadlines {
            if deadline.atMs != nil {
                lines.append("  \(deadline.name): \(deadline.shown) (\(shown(deadline.rule)))")
            } else {
                let waiting = deadline.waitingFor.isEmpty ? "" : " — waiting for the \(deadline.waitingFor.joined(separator: " or ")) clock"
                lines.append("  \(deadline.name): \(shown(deadline.rule))\(waiting)")
            }
        }
        lines.append("  \(obligation.state.rawValue): \(shown(obligation.reason))")
        return lines
    }
}
