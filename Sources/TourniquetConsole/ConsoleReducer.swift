import TourniquetModel

/// Work the run loop must do for the console; the reducer never does it itself.
public enum ConsoleEffect: Equatable, Sendable {
    /// A change to the case: the same command the CLI runs, recorded the same way. Long ones
    /// (ingest, scope) run as jobs and report progress.
    case execute(CaseCommand)
    case verify
    /// A page of a subject's requests, the filter run over all of them in the database.
    case loadRequests(FindingSubject, filter: String, skip: Int)
    /// What a measure would stop in the evidence, and the guards' verdict, before asking for a reason.
    case previewContainment(ContainmentMeasure)
    case quit
}

/// Things that happen to the console besides keys.
public enum ConsoleEvent: Sendable {
    case key(Key)
    case tick(nowMs: Int64)
    case requestsLoaded(FindingSubject, RequestLinesPage)
    /// A page could not be read (a malformed filter, a damaged case): the page on screen stays.
    case requestsFailed(FindingSubject, String)
    case progress(label: String, fraction: Double?)
    /// A measure's preview: what it would stop, and why the guards refuse it (empty: they do not).
    case containmentPreviewed(ContainmentMeasure, whatIf: String, refusals: [String])
    case finished(message: String, isError: Bool)
}

/// Turns events into state changes and effects: `reduce(&state, event) -> effects`.
public enum ConsoleReducer {
    /// Requests per drill-down page.
    public static let requestPageSize = 5_000

    public static func reduce(_ state: inout ConsoleState, _ event: ConsoleEvent, _ data: ConsoleData) -> [ConsoleEffect] {
        switch event {
        case .tick(let now):
            state.nowMs = now
            return []
        case .requestsLoaded(let subject, let page):
            if state.drillDown?.subject == subject {
                state.drillDown?.lines = page.lines
                state.drillDown?.page = page
                state.drillDown?.filter = ""
                state.drillDown?.loading = false
                state.drillSelection = 0
            }
            return []
        case .requestsFailed(let subject, let message):
            if state.drillDown?.subject == subject {
                state.drillDown?.loading = false
                state.status = message
                state.statusIsError = true
            }
            return []
        case .progress(let label, let fraction):
            state.busy = (label, fraction)
            return []
        case .containmentPreviewed(let measure, let whatIf, let refusals):
            guard state.previewing == measure, state.mode == .browsing else { return [] }
            state.previewing = nil
            let ask =
                refusals.isEmpty
                ? " Reason"
                : " REFUSED by the guards: " + refusals.joined(separator: "; ") + ". To go ahead anyway, give your reason for overriding them"
            state.status = ""
            state.mode = .prompt(.init(purpose: .containmentReason(measure, refusals: refusals), label: "\(measure.summary): \(whatIf).\(ask)"))
            return []
        case .finished(let message, let isError):
            state.busy = nil
            state.status = message
            state.statusIsError = isError
            return []
        case .key(let key):
            return handle(key, &state, data)
        }
    }

    static func handle(_ key: Key, _ state: inout ConsoleState, _ data: ConsoleData) -> [ConsoleEffect] {
        if key == .resize { return [] }
        if key == .control("c") { return quit(&state) }
        switch state.mode {
        case .prompt(var prompt):
            switch key {
            case .escape:
                state.mode = .browsing
                state.status = "cancelled"
                state.statusIsError = false
            case .enter:
                state.mode = .browsing
                return submit(prompt, &state, findings: FindingList.visible(state, data).count)
            case .backspace:
                if !prompt.text.isEmpty { prompt.text.removeLast() }
                state.mode = .prompt(prompt)
                live(prompt, &state)
            case .character(let c):
                prompt.text.append(c)
                state.mode = .prompt(prompt)
                live(prompt, &state)
            default:
                break
            }
            return []
        case .help:
            if key == .escape || key == .character("?") || key == .character("q") { state.mode = .browsing }
            return []
        case .browsing:
            let screens = ScreenRegistry.screens
            let screen = screens[state.screen]
            let bindings = screen.bindings(state, data) + GlobalBindings.table(screenCount: screens.count)
            if case .character(let c) = key, let n = Int(String(c)), n >= 1, n <= screens.count {
                return switchScreen(to: n - 1, &state)
            }
            guard let binding = bindings.first(where: { $0.keys.contains(key) }) else { return [] }
            if let reason = binding.disabledReason {
                state.status = reason
                state.statusIsError = true
                return []
            }
            return run(binding.command, &state, data)
        }
    }

    static func run(_ command: ConsoleCommand, _ state: inout ConsoleState, _ data: ConsoleData) -> [ConsoleEffect] {
        let screens = ScreenRegistry.screens
        let rows = screens[state.screen].rowCount(state, data)
        switch command {
        case .quit: return quit(&state)
        case .help: state.mode = .help
        case .nextScreen: return switchScreen(to: (state.screen + 1) % screens.count, &state)
        case .previousScreen: return switchScreen(to: (state.screen + screens.count - 1) % screens.count, &state)
        case .goToScreen(let n): return switchScreen(to: n, &state)
        case .moveUp: move(by: -1, rows: rows, &state)
        case .moveDown: move(by: 1, rows: rows, &state)
        case .pageUp: move(by: -15, rows: rows, &state)
        case .pageDown: move(by: 15, rows: rows, &state)
        case .top: move(by: -Int.max / 2, rows: rows, &state)
        case .bottom: move(by: Int.max / 2, rows: rows, &state)
        case .open:
            let title: String
            var subject: FindingSubject
            if state.scopeShowsSubjects {
                guard let entry = ScopeScreen.subjects(data)[safe: state.selected(on: state.screen)] else { return [] }
                (title, subject) = (entry.role, entry.subject)
            } else {
                guard let finding = FindingList.visible(state, data)[safe: state.selected(on: state.screen)] else { return [] }
                (title, subject) = (finding.detector.rawValue, finding.subject)
            }
            if subject.kind == .account { subject = FindingSubject(kind: .client, value: subject.value) }
            state.drillDown = ConsoleState.DrillDown(title: title, subject: subject)
            state.drillSelection = 0
            return [.loadRequests(subject, filter: "", skip: 0)]
        case .back:
            state.drillDown = nil
            state.mode = .browsing
        case .nextPage, .previousPage:
            guard let drill = state.drillDown, !drill.loading else { return [] }
            let size = ConsoleReducer.requestPageSize
            let skip = command == .nextPage ? drill.page.first + size : max(0, drill.page.first - size)
            guard skip != drill.page.first, skip < drill.page.matching else { return [] }
            state.drillDown?.loading = true
            return [.loadRequests(drill.subject, filter: drill.page.filter, skip: skip)]
        case .filter:
            state.mode = .prompt(.init(purpose: .filter, label: "filter requests", text: state.drillDown?.page.filter ?? ""))
        case .cycleOrder:
            state.findingOrder = state.findingOrder.next
            state.selection[state.screen] = 0
            state.status = "findings sorted by \(state.findingOrder.rawValue)"
            state.statusIsError = false
        case .filterFindings:
            state.mode = .prompt(
                .init(
                    purpose: .findingFilter, label: "filter findings (state=new detector=… confidence=weak severity=high, or text)",
                    text: state.findingFilter))
        case .toggleMark:
            let visible = FindingList.visible(state, data)
            guard let finding = visible[safe: state.selected(on: state.screen)] else { return [] }
            if state.marked.remove(finding.id) == nil { state.marked.insert(finding.id) }
            move(by: 1, rows: visible.count, &state)
        case .confirmMarked, .dismissMarked:
            let confirm = command == .confirmMarked
            guard !state.marked.isEmpty else { return refuse("mark findings with Space first, then \(confirm ? "C" : "D")", &state) }
            state.mode = .prompt(
                .init(
                    purpose: .bulkVerdict(findingIDs: state.marked.sorted(), confirm: confirm),
                    label: "\(confirm ? "confirm" : "dismiss") \(state.marked.count) marked findings because"))
        case .confirmFinding, .dismissFinding:
            guard let finding = FindingList.visible(state, data)[safe: state.selected(on: state.screen)] else { return [] }
            let confirm = command == .confirmFinding
            state.mode = .prompt(
                .init(
                    purpose: confirm ? .confirmRationale(findingID: finding.id) : .dismissRationale(findingID: finding.id),
                    label: "\(confirm ? "confirm" : "dismiss") \(finding.detector) on \(finding.subject.kind.rawValue) "
                        + "\(ConsoleReducer.shortened(finding.subject.value)) (\(finding.id)) because"))
        case .toggleDetail:
            state.scopeShowsDetail.toggle()
        case .toggleSubjects:
            state.scopeShowsSubjects.toggle()
            state.selection[state.screen] = 0
        case .rerunScope:
            state.busy = ("running scope", nil)
            return [.execute(.runScope(fromMs: nil, toMs: nil))]
        case .addNote:
            state.mode = .prompt(.init(purpose: .note, label: "note"))
        case .verifyChain:
            state.busy = ("verifying", nil)
            return [.verify]
        case .runReview:
            state.busy = ("running the review", nil)
            return [.execute(.runReview)]
        case .answerReview(let answer):
            guard let result = data.review.results[safe: state.selected(on: state.screen)] else { return refuse("run the review first (r)", &state) }
            state.mode = .prompt(.init(purpose: .reviewAnswer(item: result.id, state: answer), label: "\(result.id) \(answer.rawValue) because"))
        case .exportCase:
            state.mode = .prompt(.init(purpose: .exportPath, label: "export to file (.md .html .json .csv .jsonl .iris.csv)"))
        case .ingestFile:
            state.mode = .prompt(.init(purpose: .ingestPath, label: "ingest file (path)"))
        case .blockSource, .blockKey, .disableRoute, .revokeTokens:
            guard let subject = ContainmentChoice.selectedSubject(state, data) else { return refuse("nothing is selected", &state) }
            switch ContainmentChoice.measure(for: command, subject: subject, nowMs: state.nowMs) {
            case .failure(let refusal): return refuse(refusal.message, &state)
            case .success(let measure):
                state.previewing = measure
                state.status = "\(measure.summary): replaying the evidence…"
                state.statusIsError = false
                return [.previewContainment(measure)]
            }
        case .undoMeasure:
            guard let entry = data.containment[safe: state.selected(on: state.screen)] else { return refuse("no measure is selected", &state) }
            state.mode = .prompt(.init(purpose: .undoReason(measureID: entry.id), label: "undo #\(entry.id) \(entry.measure.summary) because"))
        case .reapply:
            guard let target = data.lastApply else { return refuse("no apply yet", &state) }
            state.mode = .prompt(.init(purpose: .reapplyReason(target), label: "apply to \(target.name) as last time because"))
        case .markContained:
            let next: CaseStatus = data.metadata.status == .open ? .contained : .closed
            state.mode = .prompt(.init(purpose: .statusReason(next), label: "mark the case \(next.rawValue) because"))
        case .startPlaybook, .completeStep, .skipStep, .nextOption:
            return respond(command, &state, data)
        case .startClock:
            state.mode = .prompt(
                .init(
                    purpose: .clockName, label: "start which clock (\(NotificationClocks.names.joined(separator: ", "))), now or at an RFC 3339 time")
            )
        case .markObligation(let next):
            guard let obligation = data.response.obligations[safe: state.selected(on: state.screen)] else {
                return refuse("no obligation is selected", &state)
            }
            state.mode = .prompt(
                .init(purpose: .obligationReason(regime: obligation.regime, state: next), label: "mark \(obligation.regime) \(next.rawValue) because")
            )
        }
        return []
    }

    /// A subject from the evidence as a prompt names it: escaped, and cut to fit beside the rationale.
    static func shortened(_ value: String) -> String {
        let text = DisplayText.sanitize(value).text
        return text.count > 40 ? String(text.prefix(39)) + "…" : text
    }

    /// After a verdict the cursor moves on to the next finding, as in a triage queue.
    static func advance(_ state: inout ConsoleState, findings: Int) {
        state.selection[state.screen] = min(state.selected(on: state.screen) + 1, max(findings - 1, 0))
    }

    /// A filter narrows what is on screen as it is typed.
    static func live(_ prompt: ConsoleState.Prompt, _ state: inout ConsoleState) {
        switch prompt.purpose {
        case .filter:
            state.drillDown?.filter = prompt.text
            state.drillSelection = 0
        case .findingFilter:
            state.findingFilter = prompt.text
            state.selection[state.screen] = 0
        default:
            break
        }
    }

    static func submit(_ prompt: ConsoleState.Prompt, _ state: inout ConsoleState, findings: Int) -> [ConsoleEffect] {
        let text = prompt.text.trimmingCharacters(in: [" "])
        switch prompt.purpose {
        case .filter:
            // Run over every request of the subject, in the database, from the first page.
            guard let drill = state.drillDown, text != drill.page.filter else { return [] }
            state.drillDown?.loading = true
            return [.loadRequests(drill.subject, filter: text, skip: 0)]
        case .findingFilter:
            state.findingFilter = text
            return []
        case .bulkVerdict(let ids, let confirm):
            guard !text.isEmpty else { return refuse("a rationale is required: nothing was changed", &state) }
            state.marked = []
            return ids.map { .execute(.setFindingState(id: $0, state: confirm ? .confirmed : .dismissed, rationale: text)) }
        case .note:
            guard !text.isEmpty else { return refuse("a note cannot be empty", &state) }
            return [.execute(.note(text: text, corrects: nil))]
        case .reviewAnswer(let item, let answer):
            guard !text.isEmpty else { return refuse("a reason is required: nothing was recorded", &state) }
            return [.execute(.answerReview(item: item, state: answer, reason: text))]
        case .exportPath:
            guard !text.isEmpty else { return refuse("no file was named: nothing was exported", &state) }
            guard let format = ExportFileName.format(forPath: text) else {
                return refuse("name the file .md, .html, .json, .csv, .jsonl (Timesketch) or .iris.csv (DFIR-IRIS)", &state)
            }
            state.busy = ("exporting", nil)
            return [
                .execute(.export(format: format, path: text, sinceMs: nil, untilMs: nil, force: false, reason: "exported from the console"))
            ]
        case .confirmRationale(let id):
            guard !text.isEmpty else { return refuse("a rationale is required: nothing was changed", &state) }
            advance(&state, findings: findings)
            return [.execute(.setFindingState(id: id, state: .confirmed, rationale: text))]
        case .dismissRationale(let id):
            guard !text.isEmpty else { return refuse("a rationale is required: nothing was changed", &state) }
            advance(&state, findings: findings)
            return [.execute(.setFindingState(id: id, state: .dismissed, rationale: text))]
        case .containmentReason(let measure, let refusals):
            guard !text.isEmpty else { return refuse("a reason is required: nothing was planned", &state) }
            return [.execute(.planContainment(measure, reason: text, force: refusals.isEmpty ? nil : text))]
        case .reapplyReason(let target):
            guard !text.isEmpty else { return refuse("a reason is required: nothing was applied", &state) }
            state.busy = ("applying to \(target.name)", nil)
            return [.execute(.applyContainment(target, reason: text))]
        case .undoReason(let id):
            guard !text.isEmpty else { return refuse("a reason is required: nothing was undone", &state) }
            return [.execute(.undoContainment(id: id, reason: text))]
        case .statusReason(let status):
            guard !text.isEmpty else { return refuse("a reason is required: the status did not change", &state) }
            return [.execute(.changeCaseStatus(status, reason: text))]
        case .startPlaybook(let playbook, let digest):
            guard !text.isEmpty else { return refuse("a reason is required: the playbook did not start", &state) }
            return [.execute(.startPlaybook(playbook, digest: digest, reason: text))]
        case .playbookStep(let playbook, let step, let outcome):
            guard !text.isEmpty else { return refuse("a reason is required: the step was not recorded", &state) }
            state.respondOption = 0
            let recorded: PlaybookProgress.Outcome = { if case .skipped = outcome { return .skipped(reason: text) } else { return outcome } }()
            return [.execute(.recordPlaybookStep(playbook, step: step, outcome: recorded, reason: text, force: nil))]
        case .clockName:
            let words = text.split(separator: " ").map(String.init)
            guard let name = words.first, NotificationClocks.names.contains(name) else {
                return refuse("'\(shortened(text))' is not a clock: \(NotificationClocks.names.joined(separator: ", "))", &state)
            }
            var at = state.nowMs
            if words.count > 1 {
                guard let parsed = Timestamps.parseRFC3339(words[1]) else {
                    return refuse("'\(shortened(words[1]))' is not an RFC 3339 time", &state)
                }
                at = parsed.ms
            }
            state.mode = .prompt(.init(purpose: .clockReason(name: name, atMs: at), label: "the \(name) clock starts at \(Format.time(at)) because"))
            return []
        case .clockReason(let name, let at):
            guard !text.isEmpty else { return refuse("a reason is required: no clock started", &state) }
            return [.execute(.setNotificationClock(name: name, atMs: at, reason: text))]
        case .obligationReason(let regime, let next):
            guard !text.isEmpty else { return refuse("a reason is required: nothing changed", &state) }
            return [.execute(.markObligation(regime: regime, state: next, reason: text))]
        case .ingestPath:
            guard !text.isEmpty else { return refuse("no path given", &state) }
            state.busy = ("ingesting \(text)", 0)
            return [.execute(.ingest(path: text, format: nil, openAPISpec: nil, rationale: ""))]
        }
    }

    static func refuse(_ message: String, _ state: inout ConsoleState) -> [ConsoleEffect] {
        state.status = message
        state.statusIsError = true
        return []
    }

    static func quit(_ state: inout ConsoleState) -> [ConsoleEffect] {
        state.quitRequested = true
        return [.quit]
    }

    static func switchScreen(to index: Int, _ state: inout ConsoleState) -> [ConsoleEffect] {
        state.screen = index
        state.drillDown = nil
        state.mode = .browsing
        return []
    }

    static func move(by delta: Int, rows: Int, _ state: inout ConsoleState) {
        guard rows > 0 else { return }
        if state.drillDown != nil {
            state.drillSelection = min(max(0, state.drillSelection + delta), rows - 1)
        } else {
            state.selection[state.screen] = min(max(0, state.selected(on: state.screen) + delta), rows - 1)
        }
    }
}
