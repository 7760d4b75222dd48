import Foundation
import TourniquetDetection
import TourniquetModel

extension CaseFile {
    /// The state responders gave each finding, by id.
    public func findingStates() throws -> [String: FindingState] {
        let stmt = try db.prepare("SELECT id, state FROM findings")
        var out: [String: FindingState] = [:]
        while try stmt.step() { out[stmt.text(0)] = FindingState(rawValue: stmt.text(1)) ?? .new }
        return out
    }

    /// Every stored finding, most severe first. A row naming a detector or severity this version
    /// does not know (written by a newer Tourniquet) is left out rather than misread.
    public func findings() throws -> [Finding] {
        // A case not yet migrated (opened read-only) has no confidence columns: its findings were all strong.
        let confidence = needsMigration ? "'strong', ''" : "confidence, confidence_reason"
        let stmt = try db.prepare(
            """
            SELECT detector, severity, subject_kind, subject_value, first_ms, last_ms, requests, evidence, state, id, \(confidence)
            FROM findings ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, first_ms, id
            """)
        var out: [Finding] = []
        while try stmt.step() {
            guard let detector = DetectorID(rawValue: stmt.text(0)), let severity = Severity(rawValue: stmt.text(1)),
                let kind = FindingSubject.Kind(rawValue: stmt.text(2))
            else { continue }
            // Evidence is stored as canonical JSON and read back as the value it was.
            let evidenceText = stmt.text(7)
            var finding = Finding(
                detector: detector, severity: severity, subject: FindingSubject(kind: kind, value: stmt.text(3)),
                firstMs: stmt.int(4), lastMs: stmt.int(5), requests: stmt.int(6),
                evidence: JSONValue(parsing: evidenceText) ?? .string(evidenceText),
                state: FindingState(rawValue: stmt.text(8)) ?? .new)
            // The stored id, not one recomputed from the subject: some ids also depend on the route.
            finding.id = stmt.text(9)
            finding.confidence = Confidence(rawValue: stmt.text(10)) ?? .strong
            finding.confidenceReason = stmt.text(11)
            out.append(finding)
        }
        return out
    }

    /// The stored gateway state of a kind, newest first (for example the OpenAPI spec used at ingest).
    public func gatewayState(kind: String) throws -> [(path: String, content: String)] {
        let stmt = try db.prepare("SELECT path, content FROM gateway_state WHERE kind = ? ORDER BY id DESC")
        stmt.bind(1, kind)
        var out: [(String, String)] = []
        while try stmt.step() { out.append((stmt.text(0), stmt.text(1))) }
        return out
    }
}

extension CaseWriter {
    /// Records a scope run: its action first, then the run and its findings, in one transaction.
    /// A finding seen before keeps the state a responder gave it.
    @discardableResult
    public func recordScopeRun(_ report: ScopeReport, draft: ActionDraft, actor: String, clock: WallClock) throws -> Action {
        return try db.writeTransaction {
            let action = try appendAction(draft, actor: actor, clock: clock)
            let run = try db.prepare("INSERT INTO scope_runs (action_id, window_from_ms, window_to_ms, requests, report) VALUES (?, ?, ?, ?, ?)")
            run.bind(1, action.id)
            run.bind(2, report.fromMs)
            run.bind(3, report.toMs)
            run.bind(4, report.requests)
            run.bind(5, report.document.canonicalJSON)
            try run.step()
            let runID = db.lastInsertRowID
            let upsert = try db.prepare(
                """
                INSERT INTO findings (id, detector, severity, subject_kind, subject_value, first_ms, last_ms, requests, evidence, state, scope_run,
                                      confidence, confidence_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, first_ms = excluded.first_ms, last_ms = excluded.last_ms,
                    requests = excluded.requests, evidence = excluded.evidence, scope_run = excluded.scope_run,
                    confidence = excluded.confidence, confidence_reason = excluded.confidence_reason
                """)
            for f in report.findings {
                upsert.reset()
                upsert.bind(1, f.id)
                upsert.bind(2, f.detector.rawValue)
                upsert.bind(3, f.severity.rawValue)
                upsert.bind(4, f.subject.kind.rawValue)
                upsert.bind(5, f.subject.value)
                upsert.bind(6, f.firstMs)
                upsert.bind(7, f.lastMs)
                upsert.bind(8, f.requests)
                upsert.bind(9, f.evidence.canonicalJSON)
                upsert.bind(10, runID)
                upsert.bind(11, f.confidence.rawValue)
                upsert.bind(12, f.confidenceReason)
                try upsert.step()
            }
            return action
        }
    }

    /// Confirms or dismisses a finding, as an action with the responder's rationale.
    @discardableResult
    public func setFindingState(_ id: String, to state: FindingState, rationale: String, actor: String, clock: WallClock) throws -> Action {
        return try db.writeTransaction {
            let lookup = try db.prepare("SELECT detector, subject_kind, subject_value, state FROM findings WHERE id = ?")
            lookup.bind(1, id)
            guard try lookup.step() else {
                throw RefusedRequest("there is no finding \(DisplayText.escaped(id)) (run `tourniquet scope` to list them)")
            }
            let details: JSONValue = [
                "detector": .string(lookup.text(0)), "subject": .string(lookup.text(1) + " " + lookup.text(2)),
                "from": .string(lookup.text(3)), "to": .string(state.rawValue),
            ]
            let kind: ActionKind = state == .dismissed ? .findingDismissed : .findingConfirmed
            let action = try appendAction(ActionDraft(kind: kind, target: id, details: details, rationale: rationale), actor: actor, clock: clock)
            let update = try db.prepare("UPDATE findings SET state = ? WHERE id = ?")
            update.bind(1, state.rawValue)
            update.bind(2, id)
            try update.step()
            return action
        }
    }
}
