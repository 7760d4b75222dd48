/// What a responder did. The raw values are stored in the case file and never renamed.
public enum ActionKind: String, CaseIterable, Sendable {
    case caseCreated = "case.created"
    case schemaMigrated = "case.migrated"
    case note = "note"
    case correction = "correction"
    case evidenceIngested = "evidence.ingested"
    case scopeRun = "scope.run"
    case findingConfirmed = "finding.confirmed"
    case findingDismissed = "finding.dismissed"
    case allowlistChanged = "allowlist.changed"
    case settingsChanged = "settings.changed"
    case caseStatusChanged = "case.status"
    /// Gateway state (a decK file, an OpenAPI document) read into the case's neutral model.
    case gatewayImported = "gateway.imported"
    /// A containment measure decided on (`ContainmentMeasure`); nothing on a gateway changes yet.
    case containmentPlanned = "containment.planned"
    /// A planned measure taken back; the next apply removes it from the gateway.
    case containmentUndone = "containment.undone"
    /// An apply is about to change a gateway: which measures it puts there and removes, and the
    /// artifact text. Recorded before the change, so a crash leaves the outcome visibly unknown.
    case containmentApplying = "containment.applying"
    case containmentApplied = "containment.applied"
    case containmentFailed = "containment.failed"
    /// The gateway was checked after an apply and serves the change.
    case containmentVerified = "containment.verified"
    /// A playbook begun on the case, with its version and the digest of its file.
    case playbookStarted = "playbook.started"
    /// A playbook step completed, skipped (with why) or decided (the option chosen).
    case playbookStep = "playbook.step"
    /// A notification clock started: when the organisation became aware, classified the incident,
    /// determined it material, discovered the breach.
    case notificationClock = "notification.clock"
    /// A notification obligation taken on: a regime that applies to this incident.
    case notificationOpened = "notification.opened"
    /// An obligation's state: drafted, sent, or not required (with why), or todo again.
    case notificationState = "notification.state"
    /// A drill scored against its simulation's truth; the details are the score.
    case drillScored = "drill.scored"
    /// A drill's clock set to run faster than the wall clock, from a moment on.
    case drillClock = "drill.clock"
    /// The case written out as a report or timeline: the format, the file and its SHA-256, and
    /// the head of the chain it covers.
    case caseExported = "case.exported"
    /// The hardening review run over the gateway state, the spec and the logs; the details are
    /// every item's state, evidence, fix and reference.
    case reviewRun = "review.run"
    /// A responder's answer to a review item the evidence could not decide, with the rationale.
    case reviewAnswered = "review.answered"
}
