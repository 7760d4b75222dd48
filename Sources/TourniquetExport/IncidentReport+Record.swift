import TourniquetModel

/// The report's later sections: how the response was run (playbooks, the review), what is left,
/// and what it all rests on (the evidence, the drill's score, the timeline, the chain).
extension IncidentReport {
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
