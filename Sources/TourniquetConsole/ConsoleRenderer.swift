/// Draws the whole console for a state: a pure function from (state, data, size) to a grid.
public enum ConsoleRenderer {
    public static func render(_ state: ConsoleState, _ data: ConsoleData, rows: Int, columns: Int) -> Grid {
        var grid = Grid(rows: rows, columns: columns)
        let screens = ScreenRegistry.screens
        let screen = screens[min(max(state.screen, 0), screens.count - 1)]
        // Row 0: the screens, by number.
        var column = 0
        column += grid.put(" Tourniquet ", row: 0, column: column, role: .title)
        // Every title when they fit beside the DRILL mark; else only the current screen's, the others by number.
        let full = screens.reduce(12) { $0 + $1.title.count + 4 } + (data.metadata.isDrill ? 8 : 0) <= columns
        for (index, s) in screens.enumerated() {
            let label = full || index == state.screen ? " \(index + 1) \(s.title) " : " \(index + 1) "
            column += grid.put(label, row: 0, column: column, role: index == state.screen ? .selected : .normal)
        }
        if data.metadata.isDrill { grid.put(" DRILL ", row: 0, column: max(column + 1, columns - 7), role: .warning) }

        let bodyTop = 2
        let bodyHeight = max(1, rows - bodyTop - 3)
        if state.mode == .help {
            renderHelp(screen, state, data, into: &grid, area: Area(top: bodyTop, left: 1, height: bodyHeight, width: columns - 2))
        } else {
            screen.render(state, data, into: &grid, area: Area(top: bodyTop, left: 1, height: bodyHeight, width: columns - 2))
        }
        renderStatus(state, into: &grid, row: rows - 2)
        renderFooter(screen, state, data, into: &grid, row: rows - 1)
        return grid
    }

    /// The line above the footer: a prompt being typed, long work in progress, or the last message.
    static func renderStatus(_ state: ConsoleState, into grid: inout Grid, row: Int) {
        if case .prompt(let prompt) = state.mode {
            // A long label (a containment preview and the guards' verdict) wraps upwards over the
            // body, so none of it is cut off; the typing stays on the status line.
            let lines = wrap(prompt.label + ": ", width: max(10, grid.columns - 12), maxLines: max(1, min(6, row - 2)))
            for (offset, line) in lines.dropLast().enumerated() {
                let above = row - (lines.count - 1) + offset
                grid.fill(row: above, role: .normal)
                grid.put(line, row: above, column: 0, role: .key)
            }
            let used = grid.put(lines.last ?? "", row: row, column: 0, role: .key)
            grid.put(shown(prompt.text) + "▏", row: row, column: used)
            return
        }
        if let busy = state.busy {
            let label = busy.label + " "
            let used = grid.put(label, row: row, column: 0, role: .warning)
            let width = max(10, grid.columns - used - 8)
            if let fraction = busy.fraction {
                let filled = Int(Double(width) * min(1, max(0, fraction)))
                grid.put(
                    String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " \(Int(fraction * 100))%",
                    row: row, column: used, role: .good)
            } else {
                grid.put("working… (the console stays usable)", row: row, column: used, role: .dim)
            }
            return
        }
        grid.put(shown(state.status), row: row, column: 0, role: state.statusIsError ? .critical : .good)
    }

    /// The footer: this screen's keys and the global ones, from the binding tables.
    static func renderFooter(_ screen: ConsoleScreen, _ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, row: Int) {
        if case .prompt = state.mode {
            grid.put(" Enter: save   Esc: cancel   Bksp: delete", row: row, column: 0, role: .footer)
            grid.fill(row: row, role: .footer)
            return
        }
        let all = screen.bindings(state, data) + GlobalBindings.table(screenCount: ScreenRegistry.screens.count)
        // "? help" always fits: it is the way to every other key.
        let help = all.first { $0.command == .help }
        let helpText = help.map { " \($0.keyLabel) \($0.short) " } ?? ""
        var column = 0
        for binding in all where binding.inFooter && binding.command != .help {
            let text = " \(binding.keyLabel) \(binding.short) "
            guard column + DisplayWidth.of(text) + DisplayWidth.of(helpText) <= grid.columns else { break }
            column += grid.put(text, row: row, column: column, role: binding.disabledReason == nil ? .footer : .dim)
        }
        column += grid.put(helpText, row: row, column: column, role: .footer)
        grid.fill(row: row, from: column, role: .footer)
    }

    /// Words into lines of at most `width` columns; the last line keeps its trailing space.
    static func wrap(_ text: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if DisplayWidth.of(candidate) > width && !line.isEmpty {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        lines.append(line)
        if lines.count > maxLines { lines = Array(lines.suffix(maxLines)) }
        return lines
    }

    static func renderHelp(_ screen: ConsoleScreen, _ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        var row = area.top
        grid.put("HELP: \(screen.title) (Esc or ? to close)", row: row, column: area.left, width: area.width, role: .header)
        row += 2
        for binding in screen.bindings(state, data) + GlobalBindings.table(screenCount: ScreenRegistry.screens.count) {
            guard row < area.top + area.height else { break }
            let used = grid.put(binding.keyLabel.padded(18), row: row, column: area.left + 1, width: area.width - 1, role: .key)
            var text = binding.description
            if let reason = binding.disabledReason { text += "  (now: \(reason))" }
            grid.put(text, row: row, column: area.left + 1 + used, width: area.width - 1 - used)
            row += 1
        }
    }
}

extension String {
    func trimmingCharacters(in set: [Character]) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
