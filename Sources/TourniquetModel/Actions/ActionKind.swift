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
}
