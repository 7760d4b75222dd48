import TourniquetModel

/// 8 Review: the API-hardening checklist as the last run decided it, each item with its state,
/// reference, evidence and fix; manual and unknown items are answered here with a reason. The
/// same as `tourniquet review` and `tourniquet review answer`.
struct ReviewScreen: ConsoleScreen {
    let title = "Review"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        let busy = state.busy != nil ? "wait for the running task to finish" : nil
        let result = data.review.results[safe: state.selected(on: state.screen)]
        let unanswerable: String? =
            result == nil
            ? "run the review first (r)"
            : (result!.state == .manual || result!.state == .unknown ? nil : "the evidence decided this item: fix it and run the review again")
        return [
            KeyBinding(
                [.character("r")], .runReview, "run the review over the gateway state, the spec and the logs (recorded)", short: "run",
                disabledReason: busy),
            KeyBinding(
                [.character("p")], .answerReview(.pass), "answer the selected manual or unknown item: pass (asks what you checked)", short: "pass",
                disabledReason: unanswerable),
            KeyBinding([.character("f")], .answerReview(.fail), "answer it: fail (asks what you found)", short: "fail", disabledReason: unanswerable),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int { data.review.results.count }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        let review = data.review
        guard let run = review.run else {
            grid.put(
                "The hardening review has not been run. Press r to check the checklist against the gateway state, the spec and the logs.",
                row: area.top + 1, column: area.left + 2, width: area.width - 2, role: .normal)
            return
        }
        let counts = review.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: " · ")
        grid.put(
            "run #\(run.id) at \(Format.shortTime(run.atMs)): \(counts)", row: area.top, column: area.left, width: area.width,
            role: .header)
        let selected = state.selected(on: state.screen)
        let detail = ReviewScreen.detail(review, review.results[safe: selected], width: area.width)
        let detailHeight = area.height >= 14 ? min(detail.count, area.height / 2) : 0
        let visible = max(0, area.height - 2 - detailHeight)
        let first = ScrollWindow.first(selected: selected, count: review.results.count, visible: visible)
        for (offset, result) in review.results.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 2 + offset
            let shownState = review.state(of: result)
            let answered = review.answers[result.id] != nil && (result.state == .manual || result.state == .unknown) ? "*" : " "
            var text = ("[" + shownState.rawValue + "]").padded(10) + answered + shown(result.id).padded(24) + " "
            text += area.width >= 100 ? shown(result.reference).padded(27) + " " + shown(result.title) : shown(result.title)
            let isSelected = first + offset == selected
            grid.put(text, row: row, column: area.left, width: area.width, role: isSelected ? .selected : ReviewScreen.role(shownState))
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
        for (offset, line) in detail.prefix(detailHeight).enumerated() {
            grid.put(
                line, row: area.top + area.height - detailHeight + offset, column: area.left, width: area.width, role: offset == 0 ? .header : .normal
            )
        }
    }

    static func role(_ state: ReviewState) -> StyleRole {
        switch state {
        case .fail: return .high
        case .pass: return .dim
        case .unknown: return .medium
        case .manual: return .normal
        }
    }

    /// The selected item: title and reference, its evidence, the answer or what to check, the fix.
    static func detail(_ review: ReviewLedger, _ result: ReviewResult?, width: Int) -> [String] {
        guard let result else { return [] }
        var lines = ["\(shown(result.id)) [\(shown(result.reference))]: \(shown(result.title))"]
        for line in result.evidence { lines.append("  · " + shown(line)) }
        if let answer = review.answers[result.id], result.state == .manual || result.state == .unknown {
            lines.append("  answered \(answer.state.rawValue) by \(shown(answer.actor)): \(shown(answer.reason))")
        } else if !result.guidance.isEmpty {
            lines.append("  check: " + shown(result.guidance))
        }
        if review.state(of: result) != .pass { lines.append("  fix: " + shown(result.fix)) }
        // Long lines wrap under their own indent, so the fix is read whole.
        return lines.flatMap { line -> [String] in
            guard width > 20, DisplayWidth.of(line) > width else { return [line] }
            let indented = line.hasPrefix("  ")
            let text = indented ? String(line.dropFirst(2)) : line
            let first = indented ? "  " : ""
            let rest = indented ? "      " : "  "
            return ConsoleRenderer.wrap(text, width: width - rest.count, maxLines: 6).enumerated().map {
                ($0.offset == 0 ? first : rest) + $0.element
            }
        }
    }
}
