/// 2 Evidence: imported files with their hashes, formats and counts; ingest from a path.
struct EvidenceScreen: ConsoleScreen {
    let title = "Evidence"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        [
            KeyBinding(
                [.character("i")], .ingestFile, "ingest a log file (asks for its path)", short: "ingest",
                disabledReason: state.busy != nil ? "wait for the running task to finish" : nil)
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { data.evidence.count }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        grid.put(
            " #  format     lines      parsed     malformed  sha256        path", row: area.top, column: area.left, width: area.width, role: .header)
        if data.evidence.isEmpty {
            grid.put("no evidence yet: press i and give the path of an access log", row: area.top + 2, column: area.left + 1, role: .dim)
            return
        }
        let visible = max(0, area.height - 2)
        let selected = state.selected(on: state.screen)
        let first = ScrollWindow.first(selected: selected, count: data.evidence.count, visible: visible)
        for (offset, e) in data.evidence.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 1 + offset
            let text =
                String(e.id).leftPad(2, " ") + "  " + e.format.padded(10) + " " + Format.count(e.lines).padded(10) + " "
                + Format.count(e.parsed).padded(10) + " " + Format.count(e.malformed).padded(10) + " " + String(e.sha256.prefix(12)) + "  "
                + shown(e.path)
            let isSelected = first + offset == selected
            grid.put(text, row: row, column: area.left, width: area.width, role: isSelected ? .selected : (e.malformed > 0 ? .warning : .normal))
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
        if let e = data.evidence[safe: selected], area.height > 3 {
            let detail = "sha256 \(e.sha256)   \(Format.time(e.firstMs)) to \(Format.time(e.lastMs))"
            grid.put(detail, row: area.top + area.height - 1, column: area.left, width: area.width, role: .dim)
        }
    }
}

/// Which row to show first so the selection stays visible.
enum ScrollWindow {
    static func first(selected: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        return min(max(0, selected - visible / 2), count - visible)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
