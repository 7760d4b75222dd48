import TourniquetDetection
import TourniquetModel

/// The JSON export, `tourniquet.case-export` version 1, documented by
/// `docs/schemas/export.schema.json`. `timeline --json` and `finding list --json` print the same
/// shapes for a case's actions and findings (`tourniquet.timeline`, `tourniquet.findings`).
///
/// `actions` is always the whole log, so a reader can recompute the chain; `--since` and
/// `--until` limit `events`, the timeline.
public enum ExportDocument {
    public static let version = 1

    public static func json(_ report: IncidentReport) -> JSONValue {
        func time(_ ms: Int64?) -> JSONValue { ms.map { .string(UTCTime.format(ms: $0)) } ?? .null }
        var header = encoded(TimelineDocument(metadata: report.header, actions: []).case)
        if case .object(var object) = header {
            // The header's status is the one the case was created with; the actions decide it since.
            object.members.removeAll { $0.key == "status" }
            object.members.append((key: "status", value: .string(report.status.rawValue)))
            header = .object(object)
        }
        return .fields([
            "document": "tourniquet.case-export",
            "version": .int(Int64(version)),
            "case": header,
            "as_of": time(report.asOfMs),
            "window": .fields(["since": time(report.sinceMs), "until": time(report.untilMs)]),
            "chain": .fields([
                "head": .string(report.chain.head), "actions": .int(report.chain.actions), "intact": .bool(report.chain.intact),
                "problems": .array(report.chain.problems.map { .string($0) }),
            ]),
            "evidence": .array(
                report.evidence.map { e in
                    .fields([
                        "id": .int(e.id), "path": .string(e.path), "format": .string(e.format), "sha256": .string(e.sha256), "bytes": .int(e.bytes),
                        "lines": .int(e.lines), "parsed": .int(e.parsed), "malformed": .int(e.malformed), "first_request": time(e.firstMs),
                        "last_request": time(e.lastMs), "imported_at": time(e.importedAtMs),
                    ])
                }),
            "scope": report.scope.map { .fields(["ran_at": .string($0.ranAt), "report": encoded($0.document)]) } ?? .null,
            "findings": .array(report.findings.map(findingJSON)),
            "containment": .array(report.containment.map(containmentJSON)),
            "notifications": .fields([
                "clocks": .fields(report.clocks.mapValues { .string(UTCTime.format(ms: $0)) }),
                "obligations": .array(report.obligations.map(obligationJSON)),
            ]),
            "playbooks": .array(report.playbooks.map(playbookJSON)),
            "open_items": .array(report.openItems.map { .string($0.map(\.text).joined()) }),
            "review": reviewJSON(report.review),
            "drill": report.drill.map { .fields(["scored_at": .string($0.scoredAt), "action": .int($0.action), "score": $0.score]) } ?? .null,
            "actions": .array(report.actions.map(actionJSON)),
            "events": .array(report.events.map(eventJSON)),
        ])
    }

    /// What `timeline --json` prints: the case header and every action as stored and hashed.
    public static func timeline(metadata: CaseMetadata, actions: [Action]) -> JSONValue {
        var document = encoded(TimelineDocument(metadata: metadata, actions: actions))
        if case .object(var object) = document {
            object.members.append((key: "document", value: "tourniquet.timeline"))
            document = .object(object)
        }
        return document
    }

    /// What `finding list --json` prints.
    public static func findings(_ findings: [Finding]) -> JSONValue {
        .fields(["document": "tourniquet.findings", "version": .int(Int64(version)), "findings": .array(findings.map(findingJSON))])
    }

    /// A finding as the scope report writes one.
    public static func findingJSON(_ f: Finding) -> JSONValue {
        encoded(
            ScopeReportDocument.FindingEntry(
                id: f.id, detector: f.detector, severity: f.severity, subject: .init(kind: f.subject.kind, value: f.subject.value),
                firstSeen: UTCTime.format(ms: f.firstMs), lastSeen: UTCTime.format(ms: f.lastMs), requests: f.requests, evidence: f.evidence,
                state: f.state, confidence: f.confidence, confidenceReason: f.confidenceReason))
    }

    static func actionJSON(_ action: Action) -> JSONValue {
        encoded(TimelineDocument.Entry(action))
    }

    static func containmentJSON(_ e: ContainmentEntry) -> JSONValue {
        .fields([
            "id": .int(e.id), "measure": e.measure.details, "summary": .string(e.measure.summary), "reason": .string(e.reason),
            "actor": .string(e.actor), "planned_at": .string(e.plannedAt), "forced": e.forced.map { .string($0) } ?? .null,
            "state": .string(e.state.rawValue), "on_gateway": e.onGateway.map { .bool($0) } ?? .null,
            "last_apply": e.lastApply.map { .int($0) } ?? .null, "note": .string(e.note), "undone_by": e.undoneBy.map { .int($0) } ?? .null,
        ])
    }

    static func obligationJSON(_ o: IncidentReport.Obligation) -> JSONValue {
        .fields([
            "regime": .string(o.regime), "title": .string(o.title), "state": .string(o.state.rawValue), "reason": .string(o.reason),
            "opened_at": .string(o.openedAt), "changed_at": .string(o.changedAt),
            "deadlines": .array(
                o.deadlines.map { d in
                    .fields([
                        "name": .string(d.name), "at": d.atMs.map { .string(UTCTime.format(ms: $0)) } ?? .null, "rule": .string(d.rule),
                        "waiting_for": .array(d.waitingFor.map { .string($0) }),
                    ])
                }),
        ])
    }

    static func playbookJSON(_ run: IncidentReport.PlaybookRun) -> JSONValue {
        .fields([
            "id": .string(run.id), "title": .string(run.title), "started_at": .string(run.startedAt), "finished": .bool(run.finished),
            "steps": .array(
                run.steps.map { s in
                    .fields([
                        "id": .string(s.id), "title": .string(s.title), "outcome": .string(s.outcome), "at": s.at.map { .string($0) } ?? .null,
                        "actor": s.actor.map { .string($0) } ?? .null, "reason": .string(s.reason),
                    ])
                }),
        ])
    }

    /// The latest review with the answers laid over it; null before any run.
    public static func reviewJSON(_ ledger: ReviewLedger) -> JSONValue {
        guard let run = ledger.run else { return .null }
        return .fields([
            "run": .int(run.id), "at": .string(run.at),
            "items": .array(
                ledger.results.map { result in
                    .fields([
                        "id": .string(result.id), "title": .string(result.title), "reference": .string(result.reference),
                        "state": .string(ledger.state(of: result).rawValue), "decided_by": .string(result.state.rawValue),
                        "evidence": .array(result.evidence.map { .string($0) }), "fix": .string(result.fix), "guidance": .string(result.guidance),
                        // An answer counts only where the evidence left the item open.
                        "answer": ledger.answers[result.id].flatMap { answer in
                            result.state == .manual || result.state == .unknown ? answer : nil
                        }.map { answer in
                            .fields([
                                "state": .string(answer.state.rawValue), "reason": .string(answer.reason), "actor": .string(answer.actor),
                                "at": .string(answer.at), "action": .int(answer.action),
                            ])
                        } ?? .null,
                    ])
                }),
        ])
    }

    static func eventJSON(_ e: TimelineEvent) -> JSONValue {
        .fields([
            "at": .string(UTCTime.format(ms: e.atMs)), "source": .string(e.source.rawValue), "kind": .string(e.kind), "title": .string(e.title),
            "content": .string(e.content), "actor": .string(e.actor), "target": .string(e.target),
            "action": e.actionID.map { .int($0) } ?? .null, "finding": e.findingID.map { .string($0) } ?? .null,
            "indicators": .array(e.indicators.map { .string($0) }), "assets": .array(e.assets.map { .string($0) }),
            "tags": .array(e.tags.map { .string($0) }),
        ])
    }

    static func encoded<T: Encodable>(_ value: T) -> JSONValue {
        do { return try JSONValueEncoder.encode(value) } catch {
            preconditionFailure("an export's parts hold only strings, integers and JSON values: \(error)")
        }
    }
}
