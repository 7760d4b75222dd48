import TourniquetDetection
import TourniquetModel

/// The report's sections, in the order a reader wants them: what happened, what was hit, what
/// was done, who must be told, what is left, and what it all rests on.
extension IncidentReport {
    /// Long lists stop here in the Markdown and HTML reports; the JSON export has them all.
    static let listLimit = 200
    static let rowLimit = 500

    public var outline: [ReportSection] {
        var sections = [summarySection, scopeSection, containmentSection, notificationSection]
        if !playbooks.isEmpty { sections.append(playbookSection) }
        sections.append(reviewSection)
        sections.append(openItemsSection)
        sections.append(evidenceSection)
        if header.isDrill { sections.append(drillSection) }
        sections.append(timelineSection)
        sections.append(integritySection)
        return sections
    }

    static func time(_ ms: Int64?) -> String { ms.map { UTCTime.format(ms: $0) } ?? "-" }

    /// `3 d 4 h`, `2 h 05 min`, `4 min 10 s`.
    static func spoken(_ ms: Int64) -> String {
        let s = max(0, ms) / 1000
        if s >= 86_400 { return "\(s / 86_400) d \(s % 86_400 / 3600) h" }
        let minutes = s % 3600 / 60
        if s >= 3600 { return "\(s / 3600) h \(minutes < 10 ? "0" : "")\(minutes) min" }
        if s >= 60 { return "\(s / 60) min \(s % 60) s" }
        return "\(s) s"
    }

    private func sinceDetection(_ ms: Int64) -> String {
        ms >= header.detectedAtMs ? "\(IncidentReport.spoken(ms - header.detectedAtMs)) after detection" : "before detection"
    }

    private func timeOf(_ action: Action?) -> [Span] {
        guard let action, let ms = action.atMs else { return [.plain("not yet")] }
        return [.plain("\(action.at) (\(sinceDetection(ms)), action #\(action.id))")]
    }

    var summarySection: ReportSection {
        let detected = header.detectedAtMs
        var facts: [(String, [Span])] = [
            ("Case", [.value(header.id)]),
            ("Title", [.value(header.title)]),
            ("Severity", [.strong(header.severity.rawValue)]),
            ("Status", [.strong(status.rawValue)]),
            ("Detected", [.plain(IncidentReport.time(detected))]),
        ]
        if header.isDrill { facts.insert(("Drill", [.strong("yes: a simulated incident, scored rather than reported")]), at: 2) }
        if let window = attackWindow {
            facts.append(
                (
                    "Attack seen",
                    [
                        .plain(
                            "\(IncidentReport.time(window.firstMs)) to \(IncidentReport.time(window.lastMs)) (\(IncidentReport.spoken(window.lastMs - window.firstMs)))"
                        )
                    ]
                ))
        } else {
            facts.append(("Attack seen", [.plain("no findings")]))
        }
        facts.append(("First containment", timeOf(firstContainment)))
        facts.append(("Contained", timeOf(firstStatusChange(to: .contained))))
        facts.append(("Closed", timeOf(firstStatusChange(to: .closed))))
        facts.append(("Report as of", [.plain("\(IncidentReport.time(asOfMs)), the case's last action (#\(chain.actions))")]))
        if sinceMs != nil || untilMs != nil {
            facts.append(("Timeline window", [.plain("\(IncidentReport.time(sinceMs)) to \(IncidentReport.time(untilMs))")]))
        }
        var words: [Span] = []
        let requests = evidence.reduce(Int64(0)) { $0 + $1.parsed }
        words.append(.plain("The evidence is \(evidence.count) file(s) holding \(requests) requests. "))
        if let scope {
            let d = scope.document
            words.append(
                .plain(
                    "Scope named \(d.attackers.ips.count) attacker address(es), \(d.attackers.clients.count) client(s), \(d.keys.compromised.count) compromised key(s) and \(d.accounts.compromised.count) compromised account(s). "
                ))
        }
        let counts = findingCounts.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: ", ")
        words.append(.plain("There are \(findings.count) finding(s): \(counts). "))
        let verified = containment.filter { $0.isInForce && $0.state == .verified }.count
        words.append(.plain("\(containment.count) containment measure(s) were planned; \(verified) are in force and verified. "))
        let met = obligations.filter(\.state.isMet).count
        words.append(.plain("\(obligations.count) notification obligation(s) were taken on; \(met) are met."))
        return ReportSection(id: "summary", title: "Summary", blocks: [.facts(facts), .paragraph(words)])
    }

    var scopeSection: ReportSection {
        guard let scope else {
            return ReportSection(id: "scope", title: "Scope", blocks: [.paragraph([.plain("Scope was never run on this case.")])])
        }
        let d = scope.document
        let limit = IncidentReport.listLimit
        var blocks: [ReportBlock] = [
            .paragraph([
                .plain("From the scope run at \(scope.ranAt) over \(d.requests) requests (\(d.window.from ?? "-") to \(d.window.to ?? "-")).")
            ])
        ]
        blocks.append(.subheading("Endpoints targeted"))
        let endpoints = d.targetedEndpoints.sorted { ($0.attackerRequests, $1.route) > ($1.attackerRequests, $0.route) }
        blocks.append(
            .table(
                header: ["Method", "Route", "Requests", "From attackers"],
                rows: endpoints.prefix(limit).map {
                    [[.value($0.method)], [.value($0.route)], [.plain("\($0.requests)")], [.plain("\($0.attackerRequests)")]]
                }))
        if endpoints.count > limit { blocks.append(.paragraph([.plain("\(endpoints.count - limit) more endpoints are in the JSON export.")])) }
        blocks.append(.subheading("Attackers"))
        blocks.append(
            .list([
                [.strong("Addresses:"), .plain(" ")] + Span.values(d.attackers.ips, limit: limit, more: "(see the JSON export)"),
                [.strong("Clients:"), .plain(" ")] + Span.values(d.attackers.clients, limit: limit, more: "(see the JSON export)"),
                [.strong("Compromised keys (fingerprints):"), .plain(" ")]
                    + Span.values(d.keys.compromised, limit: limit, more: "(see the JSON export)"),
            ]))
        blocks.append(.subheading("Accounts"))
        let targeted =
            d.accounts.targeted.map { "\($0) account(s) were tried." }
            ?? "The logins were logged without their accounts: how many were tried is unknown."
        blocks.append(
            .list([
                [.strong("Compromised:"), .plain(" ")] + Span.values(d.accounts.compromised, limit: limit, more: "(see the JSON export)"),
                [.strong("Credentials to revoke:"), .plain(" ")]
                    + Span.values(d.credentials.compromised.map(\.credential), limit: limit, more: "(see the JSON export)"),
                [.plain(targeted)],
            ]))
        blocks.append(.subheading("Data touched"))
        if d.dataAccessed.isEmpty {
            blocks.append(.paragraph([.plain("No object reads by attackers were found.")]))
        } else {
            blocks.append(
                .table(
                    header: ["Route", "Objects read", "Bytes"],
                    rows: d.dataAccessed.prefix(limit).map { [[.value($0.route)], [.plain("\($0.objects.count)")], [.plain("\($0.bytes)")]] }))
        }
        if !d.shadowEndpoints.isEmpty {
            blocks.append(.subheading("Endpoints missing from the spec"))
            blocks.append(
                .table(
                    header: ["Method", "Path", "Requests"],
                    rows: d.shadowEndpoints.prefix(limit).map { [[.value($0.method)], [.value($0.path)], [.plain("\($0.requests)")]] }))
        }
        blocks.append(.subheading("Findings"))
        let ordered = findings.sorted(by: Finding.mostSevereFirst)
        blocks.append(
            .table(
                header: ["ID", "Severity", "Detector", "Subject", "State", "Confidence", "First seen", "Last seen", "Requests"],
                rows: ordered.prefix(IncidentReport.rowLimit).map { f in
                    [
                        [.value(f.id)], [.plain(f.severity.rawValue)], [.plain(f.detector.rawValue)],
                        [.plain("\(f.subject.kind.rawValue) "), .value(f.subject.value)],
                        [.plain(f.state.rawValue)], [.plain(f.confidence.rawValue)], [.plain(IncidentReport.time(f.firstMs))],
                        [.plain(IncidentReport.time(f.lastMs))], [.plain("\(f.requests)")],
                    ]
                }))
        if ordered.count > IncidentReport.rowLimit {
            blocks.append(.paragraph([.plain("\(ordered.count - IncidentReport.rowLimit) more findings are in the JSON export.")]))
        }
        return ReportSection(id: "scope", title: "Scope", blocks: blocks)
    }

    var containmentSection: ReportSection {
        guard !containment.isEmpty else {
            return ReportSection(id: "containment", title: "Containment", blocks: [.paragraph([.plain("No containment measure was planned.")])])
        }
        let rows: [[[Span]]] = containment.map { entry in
            var reason: [Span] = [.value(entry.reason)]
            if let forced = entry.forced { reason += [.plain(" (a guard was overridden: "), .value(forced), .plain(")")] }
            let gateway: String
            switch entry.onGateway {
            case true?: gateway = "yes"
            case false?: gateway = "no"
            case nil: gateway = "unknown"
            }
            return [
                [.plain("\(entry.id)")], [.value(entry.measure.summary)], [.plain(entry.plannedAt)], [.value(entry.actor)], reason,
                [.strong(entry.state.rawValue)], [.plain(gateway)], entry.note.isEmpty ? [.plain("")] : [.value(entry.note)],
            ]
        }
        var blocks: [ReportBlock] = [
            .table(header: ["#", "Measure", "Planned", "Actor", "Rationale", "State", "On gateway", "Note"], rows: rows)
        ]
        let applies = actions.filter {
            [ActionKind.containmentApplied, .containmentFailed, .containmentVerified, .containmentUndone].map(\.rawValue).contains($0.kind)
        }
        if !applies.isEmpty {
            blocks.append(.subheading("Changes to gateways"))
            blocks.append(
                .table(
                    header: ["#", "Time", "Actor", "Event", "Target", "Rationale"],
                    rows: applies.map { a in
                        [
                            [.plain("\(a.id)")], [.plain(a.at)], [.value(a.actor)], [.plain(TimelineEvent.label(a.kind))], [.value(a.target)],
                            [.value(a.rationale)],
                        ]
                    }))
        }
        return ReportSection(id: "containment", title: "Containment", blocks: blocks)
    }

    var notificationSection: ReportSection {
        var blocks: [ReportBlock] = []
        let started = clocks.sorted { $0.key < $1.key }
        blocks.append(
            .paragraph(
                started.isEmpty
                    ? [.plain("No notification clock was started.")]
                    : [.plain("Clocks: " + started.map { "\($0.key) at \(IncidentReport.time($0.value))" }.joined(separator: "; ") + ".")]))
        if obligations.isEmpty {
            blocks.append(.paragraph([.plain("No notification obligation was taken on.")]))
        } else {
            blocks.append(
                .table(
                    header: ["Regime", "Obligation", "State", "Deadlines", "Reason"],
                    rows: obligations.map { o in
                        let deadlines = o.deadlines.map { d -> String in
                            guard let at = d.atMs else { return "\(d.name): waiting for \(d.waitingFor.joined(separator: ", "))" }
                            return "\(d.name): \(IncidentReport.time(at))\(isOverdue(d, of: o) ? " (passed)" : "")"
                        }
                        return [
                            [.value(o.regime)], [.value(o.title)], [.strong(o.state.rawValue)],
                            [.plain(deadlines.isEmpty ? "-" : deadlines.joined(separator: "; "))],
                            o.reason.isEmpty ? [.plain("")] : [.value(o.reason)],
                        ]
                    }))
        }
        return ReportSection(id: "notifications", title: "Notifications", blocks: blocks)
    }

    var playbookSection: ReportSection {
        var blocks: [ReportBlock] = []
        for run in playbooks {
            blocks.append(.subheading("\(run.id)"))
            blocks.append(
                .paragraph([.value(run.title), .plain(", started \(run.startedAt)\(run.finished ? ", finished" : ", in progress").")]))
            blocks.append(
                .table(
                    header: ["Step", "Outcome", "Time", "Actor", "Reason"],
                    rows: run.steps.map { s in
                        [
                            [.value(s.id), .plain(" "), .value(s.title)], [.strong(s.outcome)], [.plain(s.at ?? "-")],
                            s.actor.map { [.value($0)] } ?? [.plain("-")],
                            s.reason.isEmpty ? [.plain("")] : [.value(s.reason)],
                        ]
                    }))
        }
        return ReportSection(id: "playbooks", title: "Playbooks", blocks: blocks)
    }

    var reviewSection: ReportSection {
        let ledger = review
        guard let run = ledger.run else {
            return ReportSection(
                id: "review", title: "Review",
                blocks: [.paragraph([.plain("The hardening review has not been run ("), .value("tourniquet review CASE"), .plain(").")])])
        }
        let counts = ledger.counts.filter { $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: ", ")
        var blocks: [ReportBlock] = [
            .paragraph([.plain("The API-hardening checklist, checked against the evidence at \(run.at) (action #\(run.id)): \(counts).")])
        ]
        blocks.append(
            .table(
                header: ["Item", "Reference", "State", "Evidence", "Fix"],
                rows: ledger.results.map { result in
                    var evidence = Span.values(result.evidence, limit: 12, more: "")
                    if result.evidence.isEmpty { evidence = [.plain(result.guidance.isEmpty ? "-" : "to check: "), .value(result.guidance)] }
                    if let answer = ledger.answers[result.id], result.state == .manual || result.state == .unknown {
                        evidence += [
                            .plain("; answered \(answer.state.rawValue) by "), .value(answer.actor), .plain(" at \(answer.at): "),
                            .value(answer.reason),
                        ]
                    }
                    let state = ledger.state(of: result)
                    return [
                        [.value(result.id), .plain(" "), .value(result.title)], [.plain(result.reference)], [.strong(state.rawValue)], evidence,
                        state == .pass ? [.plain("-")] : [.value(result.fix)],
                    ]
                }))
        return ReportSection(id: "review", title: "Review", blocks: blocks)
    }

    var openItemsSection: ReportSection {
        let items = openItems
        return ReportSection(
            id: "open-items", title: "Open items",
            blocks: [items.isEmpty ? .paragraph([.plain("Nothing is left open.")]) : .list(items)])
    }

    var evidenceSection: ReportSection {
        guard !evidence.isEmpty else {
            return ReportSection(id: "evidence", title: "Evidence", blocks: [.paragraph([.plain("No evidence was ingested.")])])
        }
        return ReportSection(
            id: "evidence", title: "Evidence",
            blocks: [
                .table(
                    header: ["#", "File", "Format", "SHA-256", "Bytes", "Lines", "Parsed", "Malformed", "First request", "Last request"],
                    rows: evidence.map { e in
                        [
                            [.plain("\(e.id)")], [.value(e.path)], [.value(e.format)], [.value(e.sha256)], [.plain("\(e.bytes)")],
                            [.plain("\(e.lines)")],
                            [.plain("\(e.parsed)")], [.plain("\(e.malformed)")], [.plain(IncidentReport.time(e.firstMs))],
                            [.plain(IncidentReport.time(e.lastMs))],
                        ]
                    })
            ])
    }

    var drillSection: ReportSection {
        guard let drill else {
            return ReportSection(id: "drill-score", title: "Drill score", blocks: [.paragraph([.plain("The drill has not been scored.")])])
        }
        let s = drill.score
        func text(_ value: JSONValue?) -> String { value?.scalarText ?? "-" }
        var blocks: [ReportBlock] = [
            .paragraph([.plain("Scored at \(drill.scoredAt) (action #\(drill.action)): overall "), .strong(text(s["overall"])), .plain(".")])
        ]
        let kinds = s["kinds"]?.arrayValue ?? []
        blocks.append(
            .table(
                header: ["Named", "In truth", "Named by the response", "Correct", "Recall", "Precision", "Missed", "Wrong"],
                rows: kinds.map { k in
                    let missed = (k["missed"]?.arrayValue ?? []).compactMap(\.stringValue)
                    let wrong = (k["wrong"]?.arrayValue ?? []).compactMap(\.stringValue)
                    return [
                        [.plain(text(k["name"]))], [.plain(text(k["truth"]))], [.plain(text(k["named"]))], [.plain(text(k["correct"]))],
                        [.plain(text(k["recall"]))], [.plain(text(k["precision"]))], Span.values(missed, limit: 20, more: ""),
                        Span.values(wrong, limit: 20, more: ""),
                    ]
                }))
        blocks.append(
            .facts([
                (
                    "Attack requests stopped",
                    [
                        .plain(
                            "\(text(s.lookup("leakage.stopped"))) of \(text(s.lookup("leakage.attack_requests"))) (\(text(s.lookup("leakage.stopped_share"))))"
                        )
                    ]
                ),
                (
                    "Benign requests stopped",
                    [.plain("\(text(s.lookup("collateral.benign_requests"))) from \(text(s.lookup("collateral.benign_identities"))) identities")]
                ),
                ("First containment", [.plain("\(text(s.lookup("time.first_containment_seconds"))) s after detection")]),
                ("Contained", [.plain("\(text(s.lookup("time.contained_seconds"))) s after detection")]),
                ("Obligations met in time", [.plain("\(text(s.lookup("obligations.on_time"))) of \(text(s.lookup("obligations.total")))")]),
                ("Playbook steps", [.plain("\(text(s.lookup("playbooks.steps_done"))) done, \(text(s.lookup("playbooks.steps_skipped"))) skipped")]),
            ]))
        return ReportSection(id: "drill-score", title: "Drill score", blocks: blocks)
    }

    var timelineSection: ReportSection {
        // Every action, and the activity of the findings the Scope section lists; a case with
        // thousands of findings keeps the rest in the timeline exports, not in a document to read.
        let listed = Set(findings.sorted(by: Finding.mostSevereFirst).prefix(IncidentReport.rowLimit).map(\.id))
        let events = self.events.filter { $0.findingID.map(listed.contains) ?? true }
        var blocks: [ReportBlock] = []
        if findings.count > listed.count {
            blocks.append(
                .paragraph([
                    .plain("The activity of \(findings.count - listed.count) more findings is in the CSV, JSON, Timesketch and DFIR-IRIS exports.")
                ]))
        }
        if sinceMs != nil || untilMs != nil {
            blocks.append(.paragraph([.plain("Events from \(IncidentReport.time(sinceMs)) to \(IncidentReport.time(untilMs)).")]))
        }
        blocks.append(
            .table(
                header: ["Time", "#", "Actor", "Event", "Text"],
                rows: events.map { e in
                    [
                        [.plain(IncidentReport.time(e.atMs))], [.plain(e.actionID.map(String.init) ?? e.findingID ?? "")],
                        e.actor.isEmpty ? [.plain("")] : [.value(e.actor)],
                        [.value(e.title)], e.content.isEmpty ? [.plain("")] : [.value(e.content)],
                    ]
                }))
        return ReportSection(id: "timeline", title: "Timeline", blocks: blocks)
    }

    var integritySection: ReportSection {
        var blocks: [ReportBlock] = [
            .paragraph([
                .plain("The action log holds \(chain.actions) actions, chained with SHA-256. Its head is "), .value(chain.head),
                .plain(". Keep this hash elsewhere; "), .value("tourniquet verify CASE --expect-head HASH"),
                .plain(" proves the log still ends there."),
            ])
        ]
        if chain.intact {
            blocks.append(
                .paragraph([.strong("Verification: intact."), .plain(" The chain, the case header, the evidence and the findings agree.")]))
        } else {
            blocks.append(.paragraph([.strong("Verification: TAMPERED."), .plain(" \(chain.problems.count) problem(s):")]))
            blocks.append(.list(chain.problems.map { [.value($0)] }))
        }
        return ReportSection(id: "integrity", title: "Integrity", blocks: blocks)
    }
}
