import TourniquetModel

/// 4 Timeline: every action, newest first, with actor and rationale; notes and verification.
struct TimelineScreen: ConsoleScreen {
    let title = "Timeline"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        [
            KeyBinding([.character("n")], .addNote, "add a note", short: "note"),
            KeyBinding(
                [.character("v")], .verifyChain, "verify the hash chain and evidence",
                disabledReason: state.busy != nil ? "wait for the running task to finish" : nil),
            KeyBinding(
                [.character("e")], .exportCase, "export the report or timeline to a file (.md .html .json .csv .jsonl .iris.csv)",
                short: "export", disabledReason: state.busy != nil ? "wait for the running task to finish" : nil),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { data.timeline.count }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        // Below 100 columns the time drops its date and the actor column narrows, so a note keeps ~30 columns.
        let narrow = area.width < 100
        let timeWidth = narrow ? 8 : 15
        let actorWidth = narrow ? 10 : 12
        grid.put(
            "    #  " + (narrow ? "UTC time" : "time (UTC)").padded(timeWidth) + " " + "actor".padded(actorWidth)
                + " kind               target / rationale",
            row: area.top, column: area.left, width: area.width, role: .header)
        let visible = max(0, area.height - 1)
        let selected = state.selected(on: state.screen)
        let first = ScrollWindow.first(selected: selected, count: data.timeline.count, visible: visible)
        for (offset, a) in data.timeline.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 1 + offset
            let rationale = DisplayText.sanitize(a.rationale)
            let target = DisplayText.sanitize(a.target)
            var text =
                String(a.id).leftPad(5, " ") + "  " + Format.rowTime(a.atMs, narrow: narrow).padded(timeWidth) + " "
                + ScopeScreen.fit(shown(a.actor), actorWidth) + " "
                + a.kind.padded(18) + " "
            // A note on the case is its text; other actions name what they acted on first.
            if a.target == "case" && !rationale.text.isEmpty {
                text += rationale.text
            } else {
                text += target.text + (rationale.text.isEmpty ? "" : " — " + rationale.text)
            }
            let isSelected = first + offset == selected
            let role: StyleRole = isSelected ? .selected : (rationale.escaped || target.escaped ? .escaped : .normal)
            grid.put(text, row: row, column: area.left, width: area.width, role: role)
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
    }
}
