import TourniquetModel

/// Re-derives one table from the actions that decide it, for `verify` to compare with what the
/// table holds.
///
/// Each replay sees every action in chain order and then reports, one plain line each, the rows
/// that no action accounts for, the rows an action made that are gone, and the rows whose values
/// differ. Containment and checklists, once their actions exist, get a replay of their own.
protocol VerifyReplay: AnyObject {
    func observe(_ action: Action)
    func compare(_ db: SQLiteDatabase, into report: inout VerifyReport) throws
}

/// The allowlist: each `allowlist.changed` add makes a row, each remove marks the row it ends.
final class AllowlistReplay: VerifyReplay {
    private struct Entry {
        var kind: String
        var value: String
        var addedBy: Int64
        var removedBy: Int64?
    }
    private var entries: [Entry] = []

    func observe(_ action: Action) {
        guard action.kind == ActionKind.allowlistChanged.rawValue else { return }
        let details = ActionDetailFields(action.details)
        let kind = details.string("kind") ?? ""
        switch details.string("change") {
        case "add":
            entries.append(Entry(kind: kind, value: action.target, addedBy: action.id, removedBy: nil))
        case "remove":
            if let i = entries.firstIndex(where: { $0.kind == kind && $0.value == action.target && $0.removedBy == nil }) {
                entries[i].removedBy = action.id
            }
        default:
            break
        }
    }

    func compare(_ db: SQLiteDatabase, into report: inout VerifyReport) throws {
        var expected = Dictionary(entries.map { ($0.addedBy, $0) }, uniquingKeysWith: { first, _ in first })
        // A case from before the allowlist (opened read-only, so not yet migrated) has no table.
        guard try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'allowlist'") == 1 else {
            for entry in expected.values {
                report.problems.append("allowlist: action \(entry.addedBy) added \(entry.value), but the case has no allowlist table")
            }
            return
        }
        let rows = try db.prepare("SELECT id, kind, value, added_by_action, removed_by_action FROM allowlist ORDER BY id")
        while try rows.step() {
            let (id, kind, value, addedBy, removedBy) = (rows.int(0), rows.text(1), rows.text(2), rows.int(3), rows.optionalInt(4))
            guard let entry = expected.removeValue(forKey: addedBy) else {
                report.problems.append("allowlist row \(id) (\(kind) \(value)) was added by no action (it names action \(addedBy))")
                continue
            }
            if entry.kind != kind || entry.value != value {
                report.problems.append("allowlist row \(id) holds \(kind) \(value), but action \(addedBy) added \(entry.kind) \(entry.value)")
            } else if entry.removedBy != removedBy {
                let actions = entry.removedBy.map { "action \($0) removed it" } ?? "no action removed it"
                let table = removedBy.map { "the row says action \($0) removed it" } ?? "the row says it is in force"
                report.problems.append("allowlist row \(id) (\(kind) \(value)): \(table), but \(actions)")
            }
        }
        for entry in expected.values.sorted(by: { $0.addedBy < $1.addedBy }) {
            report.problems.append("allowlist: \(entry.kind) \(entry.value), added by action \(entry.addedBy), has no row")
        }
    }
}

/// Finding states: new until a `finding.confirmed` or `finding.dismissed` action sets them.
final class FindingStateReplay: VerifyReplay {
    private var states: [String: (state: String, action: Int64)] = [:]

    func observe(_ action: Action) {
        let kind = action.kind
        guard kind == ActionKind.findingConfirmed.rawValue || kind == ActionKind.findingDismissed.rawValue else { return }
        let fallback = kind == ActionKind.findingConfirmed.rawValue ? FindingState.confirmed : .dismissed
        states[action.target] = (ActionDetailFields(action.details).string("to") ?? fallback.rawValue, action.id)
    }

    func compare(_ db: SQLiteDatabase, into report: inout VerifyReport) throws {
        var unseen = states
        let rows = try db.prepare("SELECT id, state FROM findings ORDER BY id")
        while try rows.step() {
            let (id, state) = (rows.text(0), rows.text(1))
            let decided = unseen.removeValue(forKey: id)
            let expected = decided?.state ?? FindingState.new.rawValue
            if state != expected {
                let why = decided.map { "action \($0.action) made it \(expected)" } ?? "no action changed it from new"
                report.problems.append("finding \(id) is \(state), but \(why)")
            }
        }
        for (id, decided) in unseen.sorted(by: { $0.value.action < $1.value.action }) {
            report.problems.append("finding \(id), made \(decided.state) by action \(decided.action), has no row")
        }
    }
}
