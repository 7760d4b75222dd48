import TourniquetModel

/// 6 Respond: the playbooks that fit the findings, and the selected one's steps with what the case
/// already answers for the next. Starting, completing, skipping and deciding are actions, the same
/// as `tourniquet playbook run|step`.
struct RespondScreen: ConsoleScreen {
    let title = "Respond"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        let entry = data.response.playbooks[safe: state.selected(on: state.screen)]
        let notStarted = entry?.started == false ? "start the playbook first (Enter)" : nil
        let finished = entry.map { $0.started && $0.currentStep == nil } == true ? "the playbook is finished" : nil
        let isDecision: Bool = { if case .decision? = entry?.currentStep?.kind { return true } else { return false } }()
        let none = entry == nil ? "no playbooks were found (see docs/PLAYBOOKS.md)" : nil
        return [
            KeyBinding(
                [.enter], .startPlaybook, "start the selected playbook (asks for a reason)", short: "start",
                disabledReason: none ?? (entry?.started == true ? "already started" : nil)),
            KeyBinding(
                [.character("d")], .completeStep,
                isDecision ? "decide: the highlighted option (asks for a reason)" : "done: record the next step (asks for a reason)",
                short: isDecision ? "decide" : "done", disabledReason: none ?? notStarted ?? finished),
            KeyBinding(
                [.character("s")], .skipStep, "skip the next step (asks why)", short: "skip",
                disabledReason: none ?? notStarted ?? finished ?? (isDecision ? "a decision cannot be skipped: choose with o, then d" : nil)),
            KeyBinding(
                [.character("o")], .nextOption, "highlight the next option of a decision", short: "option",
                disabledReason: none ?? notStarted ?? finished ?? (isDecision ? nil : "the next step is not a decision")),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { data.response.playbooks.count }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        let playbooks = data.response.playbooks
        grid.put("Playbooks (those that fit the findings first)", row: area.top, column: area.left, width: area.width, role: .header)
        guard !playbooks.isEmpty else {
            grid.put(
                "No playbooks were found: give --playbooks DIR, or set TOURNIQUET_PLAYBOOKS to the playbooks directory.", row: area.top + 2,
                column: area.left + 2, width: area.width - 2, role: .medium)
            return
        }
        let selected = state.selected(on: state.screen)
        let listHeight = min(playbooks.count, max(1, area.height / 3))
        let first = ScrollWindow.first(selected: selected, count: playbooks.count, visible: listHeight)
        for (offset, entry) in playbooks.dropFirst(first).prefix(listHeight).enumerated() {
            let row = area.top + 1 + offset
            var text = (entry.started ? "▶ " : "  ") + entry.playbook.id.padded(24) + " " + shown(entry.playbook.title)
            if entry.started {
                text += entry.currentStep.map { " · step \(entry.progress.path.count) of \(entry.playbook.steps.count): \($0.id)" } ?? " · finished"
            } else if entry.fits > 0 {
                text += " · fits \(Format.plural(entry.fits, "finding"))"
            }
            let isSelected = first + offset == selected
            grid.put(
                text, row: row, column: area.left, width: area.width, role: isSelected ? .selected : entry.fits > 0 || entry.started ? .normal : .dim)
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
        guard let entry = playbooks[safe: selected] else { return }
        var row = area.top + 2 + listHeight
        let bottom = area.top + area.height
        func line(_ text: String, _ role: StyleRole = .normal, indent: Int = 0) {
            guard row < bottom else { return }
            grid.put(text, row: row, column: area.left + indent, width: area.width - indent, role: role)
            row += 1
        }
        line("\(entry.playbook.id) v\(entry.playbook.version): \(shown(entry.playbook.description))", .header)
        let detail = RespondScreen.currentDetail(entry, data, option: state.respondOption)
        // The steps around the current one, then the current step in full.
        let stepRoom = max(0, bottom - row - detail.count)
        let current = entry.progress.current.flatMap { id in entry.playbook.steps.firstIndex { $0.id == id } } ?? 0
        let start = max(0, min(current - stepRoom / 2, entry.playbook.steps.count - stepRoom))
        for step in entry.playbook.steps.dropFirst(start).prefix(stepRoom) {
            let state = entry.started ? entry.progress.state(of: step.id) : "ahead"
            let mark = state == "current" ? "▶" : state == "ahead" ? " " : "✓"
            line(
                " \(mark) \(step.id.padded(24)) \(step.kindName.padded(9)) \(shown(step.title))  \(state == "ahead" ? "" : state)",
                state == "current" ? .high : state == "ahead" ? .normal : .dim)
        }
        for text in detail { line(text.text, text.role, indent: 1) }
    }

    /// The next step in full: what it asks, what the case answers, and how to record it.
    static func currentDetail(_ entry: ResponseData.PlaybookEntry, _ data: ConsoleData, option: Int) -> [(text: String, role: StyleRole)] {
        guard entry.started else { return [("Enter starts this playbook; its steps then show what the case already answers.", .dim)] }
        guard let step = entry.currentStep else { return [("Finished: every step on its path is recorded.", .low)] }
        var out: [(String, StyleRole)] = [("NEXT: \(shown(step.title))", .header)]
        if !step.detail.isEmpty { out.append((shown(step.detail), .normal)) }
        func values(_ question: ScopeQuestion) -> [(String, StyleRole)] {
            guard let values = data.response.answers[question] else {
                return [("\(question.wording) No scope run yet (r on the Overview).", .medium)]
            }
            let shownValues = values.prefix(6).map { shown($0) }.joined(separator: ", ")
            return [("\(question.wording) \(values.count): \(shownValues)\(values.count > 6 ? ", …" : "")", .normal)]
        }
        switch step.kind {
        case .question(let question, _):
            out += values(question)
            out.append(("d records it as answered.", .dim))
        case .contain(let contain, _):
            out += values(contain.from)
            out.append(("d plans \(contain.action.rawValue) for each (the guards refuse shared and allowlisted addresses); s skips it.", .dim))
        case .checklist:
            out.append(("d when it is done; s skips it (say why).", .dim))
        case .notify(let obligation, _):
            let open = data.response.obligations.first { $0.regime == obligation }
            out.append(
                (
                    open.map { "the obligation \(obligation) is \($0.state.rawValue) (7 Notifications)" }
                        ?? "d takes on the obligation \(obligation) (7 Notifications counts it down)", .normal
                ))
        case .decision(let options):
            for (i, choice) in options.enumerated() {
                out.append(
                    (
                        (i == option % options.count ? "▶ " : "  ") + shown(choice.label) + " → " + choice.next,
                        i == option % options.count ? .high : .normal
                    ))
            }
            out.append(("o highlights the next option, d decides it.", .dim))
        }
        return out
    }
}
