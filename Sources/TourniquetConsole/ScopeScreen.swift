import TourniquetModel

/// 3 Scope: findings by severity with their states, the answers of the last scope run, and a
/// drill-down from a finding to its requests (Enter), filterable with `/`.
struct ScopeScreen: ConsoleScreen {
    let title = "Scope"

    func bindings(_ state: ConsoleState, _ data: ConsoleData) -> [KeyBinding] {
        if state.drillDown != nil {
            return [
                KeyBinding([.escape, .left], .back, "back to the findings"),
                KeyBinding(
                    [.character("/")], .filter,
                    "filter all the requests: status=401, status=4xx, method=POST, path~/admin, ip=…, ua~curl, or any text"),
                KeyBinding(
                    [.character("]")], .nextPage, "the next \(Format.count(Int64(ConsoleReducer.requestPageSize))) requests", short: "next page"),
                KeyBinding([.character("[")], .previousPage, "the previous page", short: "prev page"),
            ]
        }
        let rows = rowCount(state, data)
        let none =
            state.scopeShowsSubjects ? "select a finding first (s shows the findings)" : (data.findings.isEmpty ? "no finding is selected" : nil)
        let busy = state.busy != nil ? "wait for the running task to finish" : nil
        let listOnly = state.scopeShowsSubjects ? "this works on the findings (s shows them)" : nil
        return [
            KeyBinding(
                [.enter, .right], .open, "show the selected finding's or subject's requests", short: "requests",
                disabledReason: rows == 0 ? "nothing is selected" : nil),
            KeyBinding([.character("c")], .confirmFinding, "confirm the finding (asks for a rationale)", disabledReason: none),
            KeyBinding([.character("d")], .dismissFinding, "dismiss the finding (asks for a rationale)", disabledReason: none),
            KeyBinding(
                [.character("i")], .toggleDetail, "show the selected finding's evidence, confidence and rule, or the run's summary",
                short: state.scopeShowsDetail ? "summary" : "details", disabledReason: none),
            KeyBinding(
                [.character("s")], .toggleSubjects, "list findings, or the sources, clients, accounts, keys and routes they name",
                short: state.scopeShowsSubjects ? "findings" : "subjects"),
            KeyBinding([.character("r")], .rerunScope, "run scope again", short: "rescope", disabledReason: busy),
            KeyBinding(
                [.character("o")], .cycleOrder, "sort the findings by severity, detector, state, confidence or time", disabledReason: listOnly),
            KeyBinding(
                [.character("f")], .filterFindings, "filter the findings: state=new detector=… confidence=weak severity=high, or text",
                disabledReason: listOnly),
            KeyBinding([.character(" ")], .toggleMark, "mark or unmark the finding for a verdict in bulk", disabledReason: none),
            KeyBinding([.character("C")], .confirmMarked, "confirm every marked finding with one rationale", disabledReason: listOnly),
            KeyBinding([.character("D")], .dismissMarked, "dismiss every marked finding with one rationale", disabledReason: listOnly),
            KeyBinding(
                [.character("b")], .blockSource, "block the selected source (preview, then a reason)",
                short: "block", disabledReason: rows == 0 ? "nothing is selected" : nil),
            KeyBinding(
                [.character("k")], .blockKey, "block the selected key (preview, then a reason)", short: "block key",
                disabledReason: rows == 0 ? "nothing is selected" : nil, inFooter: false),
            KeyBinding(
                [.character("t")], .revokeTokens, "revoke the selected account's tokens issued until now", short: "revoke",
                disabledReason: rows == 0 ? "nothing is selected" : nil, inFooter: false),
            KeyBinding(
                [.character("x")], .disableRoute, "disable the selected route, 503 (preview, reason)", short: "disable",
                disabledReason: rows == 0 ? "nothing is selected" : nil, inFooter: false),
        ]
    }

    func rowCount(_ state: ConsoleState, _ data: ConsoleData) -> Int {
        if let drill = state.drillDown { return drill.visible.count }
        return state.scopeShowsSubjects ? Self.subjects(data).count : FindingList.visible(state, data).count
    }

    /// Everything the last scope run named, each a subject to drill into.
    static func subjects(_ data: ConsoleData) -> [(role: String, subject: FindingSubject)] {
        guard let s = data.scope else { return [] }
        return s.attackerIPs.map { ("attacker source", FindingSubject(kind: .ip, value: $0)) }
            + s.attackerClients.map { ("attacker client", FindingSubject(kind: .client, value: $0)) }
            + s.compromisedAccounts.map { ("compromised account", FindingSubject(kind: .account, value: $0)) }
            + s.compromisedKeys.map { ("compromised key", FindingSubject(kind: .key, value: $0)) }
            + s.targetedEndpoints.map { ("targeted endpoint", FindingSubject(kind: .route, value: $0.route)) }
    }

    func render(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        if let drill = state.drillDown {
            renderDrillDown(drill, state, into: &grid, area: area)
            return
        }
        let listHeight = data.scope == nil ? area.height : max(4, area.height - summaryHeight(area))
        if state.scopeShowsSubjects {
            renderSubjects(state, data, into: &grid, area: Area(top: area.top, left: area.left, height: listHeight, width: area.width))
            if let scope = data.scope {
                renderSummary(
                    scope, into: &grid, area: Area(top: area.top + listHeight, left: area.left, height: area.height - listHeight, width: area.width))
            }
            return
        }
        let findings = FindingList.visible(state, data)
        var arranged: [String] = []
        if state.findingOrder != .severity { arranged.append("by \(state.findingOrder.rawValue)") }
        if !state.findingFilter.isEmpty { arranged.append("\(findings.count) of \(data.findings.count) matching \(shown(state.findingFilter))") }
        if !state.marked.isEmpty { arranged.append("\(state.marked.count) marked") }
        grid.put(
            " id            state      severity  detector              subject"
                + (arranged.isEmpty ? "" : "   (" + arranged.joined(separator: ", ") + ")"),
            row: area.top, column: area.left, width: area.width, role: .header)
        if findings.isEmpty && !data.findings.isEmpty {
            grid.put("no finding matches the filter (f changes it)", row: area.top + 2, column: area.left + 1, role: .dim)
        }
        if data.findings.isEmpty {
            grid.put(
                data.scopeProblem ?? (data.scope == nil ? "scope has not run yet: press r" : "no findings"), row: area.top + 2, column: area.left + 1,
                role: .dim)
        }
        let visible = max(0, listHeight - 1)
        let selected = state.selected(on: state.screen)
        let first = ScrollWindow.first(selected: selected, count: findings.count, visible: visible)
        for (offset, f) in findings.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 1 + offset
            let isSelected = first + offset == selected
            let columns: [String] = [f.id.padded(13), f.state.rawValue.padded(10), f.severity.rawValue.padded(9), f.detector.rawValue.padded(21)]
            // A weak finding says so before its subject: it names nobody on the attacker lists.
            let weak = f.confidence == .weak ? "(weak) " : ""
            let mark = state.marked.contains(f.id) ? "*" : " "
            let text = mark + columns.joined(separator: " ") + " " + weak + f.subject.kind.rawValue + " " + shown(f.subject.value)
            grid.put(text, row: row, column: area.left, width: area.width, role: isSelected ? .selected : Format.severityRole(f.severity.rawValue))
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
        let below = Area(top: area.top + listHeight, left: area.left, height: area.height - listHeight, width: area.width)
        if state.scopeShowsDetail, let finding = findings[safe: selected] {
            renderDetail(finding, into: &grid, area: below)
        } else if let scope = data.scope {
            renderSummary(scope, into: &grid, area: below)
        }
    }

    /// The selected finding in full: what it is, how sure, the rule that fired, and its evidence
    /// (which names the campaign, the sources that got in, the sources and counts it rests on).
    private func renderDetail(_ f: Finding, into grid: inout Grid, area: Area) {
        var lines: [(text: String, role: StyleRole)] = []
        func line(_ text: String, _ role: StyleRole = .normal) { lines.append((text, role)) }
        defer { grid.putLines(lines, in: area) }
        line(" \(f.id)  \(f.detector)  \(f.severity.rawValue)  \(f.state.rawValue)  \(f.confidence.rawValue)", .header)
        line(
            " \(f.subject.kind.rawValue) \(shown(f.subject.value)): \(Format.count(f.requests)) requests, "
                + "\(Format.time(f.firstMs)) to \(Format.time(f.lastMs))")
        if f.confidence == .weak { line(" weak: \(shown(f.confidenceReason))", .warning) }
        line(" rule: \(f.detector.rule)", .dim)
        // Evidence as key=value pairs, wrapped to the pane's width.
        var current = " evidence:"
        for pair in Self.pairs(f.evidence) {
            let piece = " " + shown(pair)
            if DisplayWidth.of(current + piece) > area.width && current != " evidence:" {
                line(current)
                current = "          "
            }
            current += piece
        }
        line(current == " evidence:" ? current + " none" : current)
    }

    /// `key=value` for each member of an evidence object, in key order.
    static func pairs(_ evidence: JSONValue) -> [String] {
        guard case .object(let object) = evidence else { return [DetailText.keyValues(fromCanonicalJSON: evidence.canonicalJSON)] }
        let fields = object.fields
        return fields.keys.sorted().map { key in
            DetailText.keyValues(fromCanonicalJSON: JSONValue.object(JSONObject([(key: key, value: fields[key]!)])).canonicalJSON)
        }
    }

    private func summaryHeight(_ area: Area) -> Int { area.height >= 30 ? 12 : 6 }

    private func renderSubjects(_ state: ConsoleState, _ data: ConsoleData, into grid: inout Grid, area: Area) {
        let subjects = Self.subjects(data)
        grid.put(" named by the last scope run          kind      value", row: area.top, column: area.left, width: area.width, role: .header)
        if subjects.isEmpty { grid.put("scope has not named anything yet", row: area.top + 2, column: area.left + 1, role: .dim) }
        let visible = max(0, area.height - 1)
        let selected = state.selected(on: state.screen)
        let first = ScrollWindow.first(selected: selected, count: subjects.count, visible: visible)
        for (offset, entry) in subjects.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 1 + offset
            let isSelected = first + offset == selected
            let text = " " + entry.role.padded(36) + " " + entry.subject.kind.rawValue.padded(9) + " " + shown(entry.subject.value)
            grid.put(
                text, row: row, column: area.left, width: area.width,
                role: isSelected ? .selected : (entry.role.hasPrefix("compromised") ? .critical : .normal))
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
    }

    /// Pads or cuts (with …) to exactly `width` display columns.
    static func fit(_ text: String, _ width: Int) -> String {
        if DisplayWidth.of(text) <= width { return text.padded(width) }
        var out = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return (out + "…").padded(width)
    }

    private func renderSummary(_ s: ConsoleData.ScopeSummary, into grid: inout Grid, area: Area) {
        var lines: [(text: String, role: StyleRole)] = []
        func line(_ text: String, _ role: StyleRole = .normal) { lines.append((text, role)) }
        defer { grid.putLines(lines, in: area) }
        line("SCOPE of \(Format.count(s.requests)) requests, run \(Format.time(s.ranAtMs))", .header)
        line(
            "attackers: \(s.attackerIPs.count) sources (\(s.attackerIPs.prefix(6).map(shown).joined(separator: ", "))\(s.attackerIPs.count > 6 ? ", …" : ""))  clients: \(s.attackerClients.map(shown).joined(separator: ", "))"
        )
        line(
            "compromised: accounts \(s.compromisedAccounts.map(shown).joined(separator: ", ")) (of \(s.accountsTargeted.map(String.init) ?? "an unknown number") targeted)  keys \(s.compromisedKeys.map(shown).joined(separator: ", "))",
            s.compromisedAccounts.isEmpty && s.compromisedKeys.isEmpty ? .normal : .critical)
        line(
            "targeted: "
                + s.targetedEndpoints.prefix(4).map { "\(shown($0.method)) \(shown($0.route)) \($0.attackerRequests)/\($0.requests)" }.joined(
                    separator: "; "))
        line(
            "data accessed: "
                + s.dataAccessed.prefix(4).map { "\(shown($0.route)) \($0.objects) objects \(Format.count($0.bytes)) B" }.joined(separator: "; "))
        line(
            "shadow endpoints: " + s.shadowEndpoints.prefix(5).map { "\(shown($0.method)) \(shown($0.path)) ×\($0.requests)" }.joined(separator: "; ")
        )
    }

    private func renderDrillDown(_ drill: ConsoleState.DrillDown, _ state: ConsoleState, into grid: inout Grid, area: Area) {
        let lines = drill.visible
        let page = drill.page
        let span = page.lines.isEmpty ? "none" : "\(Format.count(Int64(page.first + 1)))–\(Format.count(Int64(page.first + page.lines.count)))"
        let filtered = page.filter.isEmpty ? "" : " matching \(shown(page.filter)) (\(Format.count(Int64(page.total))) in all)"
        let narrowed = drill.filter.isEmpty ? "" : "; \(lines.count) on this page contain \(shown(drill.filter))"
        let heading =
            "REQUESTS of \(drill.subject.kind.rawValue) \(shown(drill.subject.value)): \(span) of \(Format.count(Int64(page.matching)))"
            + filtered + narrowed + ", oldest first"
        grid.put(heading, row: area.top, column: area.left, width: area.width, role: .header)
        // Below 100 columns the client column goes (the heading names the subject); the target takes
        // what the fixed columns leave, so status and bytes always fit.
        let showClient = area.width >= 100
        let fixed = showClient ? 71 : 58
        let targetWidth = max(12, min(60, area.width - fixed))
        grid.put(
            " time (UTC)      source           " + (showClient ? "client       " : "") + "method " + "target".padded(targetWidth)
                + " status   bytes  agent",
            row: area.top + 1, column: area.left, width: area.width, role: .dim)
        if drill.loading {
            grid.put("loading…", row: area.top + 3, column: area.left + 1, role: .dim)
            return
        }
        let visible = max(0, area.height - 2)
        let first = ScrollWindow.first(selected: state.drillSelection, count: lines.count, visible: visible)
        for (offset, r) in lines.dropFirst(first).prefix(visible).enumerated() {
            let row = area.top + 2 + offset
            let client = showClient ? Self.fit(shown(r.client ?? "-"), 12) + " " : ""
            let text =
                " " + Format.shortTime(r.timestampMs).padded(15) + " " + Self.fit(shown(r.ip), 16) + " " + client
                + shown(r.method).padded(6) + " " + Self.fit(shown(r.target), targetWidth) + " " + String(r.status).padded(6) + " "
                + Format.count(r.bytes).leftPad(7, " ") + "  " + shown(r.userAgent ?? "-")
            let isSelected = first + offset == state.drillSelection
            grid.put(text, row: row, column: area.left, width: area.width, role: isSelected ? .selected : (r.status >= 400 ? .warning : .normal))
            if isSelected { grid.fill(row: row, from: area.left, width: area.width, role: .selected) }
        }
    }
}
