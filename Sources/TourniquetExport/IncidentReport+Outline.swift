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
}
