import TourniquetModel

/// One row of an exported timeline: an action of the case, or the first or last time the
/// evidence shows a finding's activity. The CSV, Timesketch and DFIR-IRIS exports are lists of these.
public struct TimelineEvent: Sendable {
    public enum Source: String, Sendable { case action, evidence }

    public var atMs: Int64
    public var source: Source
    /// The action's kind, or `finding.first_seen` / `finding.last_seen`.
    public var kind: String
    /// A one-line title: what happened.
    public var title: String
    /// The free text: an action's rationale, a finding's confidence and counts.
    public var content: String
    public var actor: String
    /// What it concerns: the action's target, or the finding's subject.
    public var target: String
    /// The action's recorded details, or the finding's, as JSON.
    public var raw: JSONValue
    public var actionID: Int64?
    public var findingID: String?
    /// Addresses, keys and accounts it names (indicators), and routes (assets).
    public var indicators: [String]
    public var assets: [String]
    public var tags: [String]
}

extension IncidentReport {
    /// The timeline: every action and every finding's first and last activity, oldest first,
    /// within `--since` / `--until`. Ties keep a fixed order, so the list is always the same.
    /// Built once, when the report is (`events`).
    static func timeline(actions: [Action], findings: [Finding], sinceMs: Int64?, untilMs: Int64?) -> [TimelineEvent] {
        var events = actions.compactMap(TimelineEvent.init(action:))
        for finding in findings {
            events.append(TimelineEvent(finding: finding, first: true))
            events.append(TimelineEvent(finding: finding, first: false))
        }
        return
            events
            .filter { event in (sinceMs.map { event.atMs >= $0 } ?? true) && (untilMs.map { event.atMs <= $0 } ?? true) }
            .sorted { a, b in
                (a.atMs, a.source == .evidence ? 0 : 1, a.actionID ?? 0, a.findingID ?? "", a.kind)
                    < (b.atMs, b.source == .evidence ? 0 : 1, b.actionID ?? 0, b.findingID ?? "", b.kind)
            }
    }
}

extension TimelineEvent {
    init?(action: Action) {
        guard let at = action.atMs else { return nil }
        let details = JSONValue(parsing: action.details) ?? .string(action.details)
        atMs = at
        source = .action
        kind = action.kind
        title = TimelineEvent.label(action.kind) + (action.target.isEmpty ? "" : ": \(action.target)")
        content = (action.corrects.map { "(corrects #\($0)) " } ?? "") + action.rationale
        actor = action.actor
        target = action.target
        raw = details
        actionID = action.id
        findingID = nil
        indicators = TimelineEvent.indicators(inDetails: details)
        assets = details["route"]?.stringValue.map { [$0] } ?? []
        tags = ["tourniquet", "action", action.kind]
    }

    init(finding: Finding, first: Bool) {
        atMs = first ? finding.firstMs : finding.lastMs
        source = .evidence
        kind = first ? "finding.first_seen" : "finding.last_seen"
        title =
            "\(first ? "First" : "Last") \(finding.detector.rawValue) activity of \(finding.subject.kind.rawValue) \(finding.subject.value)"
        content =
            "\(finding.id), \(finding.severity.rawValue), \(finding.state.rawValue), \(finding.confidence.rawValue): \(finding.requests) requests"
            + (finding.confidenceReason.isEmpty ? "" : " (\(finding.confidenceReason))")
        actor = ""
        target = "\(finding.subject.kind.rawValue):\(finding.subject.value)"
        raw = finding.evidence
        actionID = nil
        findingID = finding.id
        switch finding.subject.kind {
        case .ip, .key, .account, .client:
            indicators = [finding.subject.value]
            assets = finding.evidence["route"]?.stringValue.map { [$0] } ?? []
        case .route:
            indicators = []
            assets = [finding.subject.value]
        }
        tags = ["tourniquet", "finding", finding.detector.rawValue, finding.severity.rawValue, finding.state.rawValue]
    }

    /// Indicators a containment or finding action names in its details.
    static func indicators(inDetails details: JSONValue) -> [String] {
        ["network", "fingerprint", "ip", "sub", "client_id"].compactMap { details[$0]?.stringValue }
    }

    /// The kind as words, for titles.
    static func label(_ kind: String) -> String {
        switch ActionKind(rawValue: kind) {
        case .caseCreated: return "Case opened"
        case .schemaMigrated: return "Case file migrated"
        case .note: return "Note"
        case .correction: return "Correction"
        case .evidenceIngested: return "Evidence ingested"
        case .scopeRun: return "Scope run"
        case .findingConfirmed: return "Finding confirmed"
        case .findingDismissed: return "Finding dismissed"
        case .allowlistChanged: return "Allowlist changed"
        case .settingsChanged: return "Settings changed"
        case .caseStatusChanged: return "Case status changed"
        case .gatewayImported: return "Gateway state imported"
        case .containmentPlanned: return "Containment planned"
        case .containmentUndone: return "Containment undone"
        case .containmentApplying: return "Containment apply started"
        case .containmentApplied: return "Containment applied"
        case .containmentFailed: return "Containment apply failed"
        case .containmentVerified: return "Containment verified"
        case .playbookStarted: return "Playbook started"
        case .playbookStep: return "Playbook step"
        case .notificationClock: return "Notification clock started"
        case .notificationOpened: return "Notification obligation opened"
        case .notificationState: return "Notification state"
        case .drillScored: return "Drill scored"
        case .drillClock: return "Drill clock"
        case .caseExported: return "Case exported"
        case .reviewRun: return "Review run"
        case .reviewAnswered: return "Review item answered"
        case nil: return kind
        }
    }
}
