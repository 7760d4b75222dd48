import TourniquetModel

extension CaseFile {
    /// The entries currently in force.
    public func allowlist() throws -> Allowlist {
        let stmt = try db.prepare("SELECT kind, value FROM allowlist WHERE removed_by_action IS NULL ORDER BY id")
        var entries: [Allowlist.Entry] = []
        while try stmt.step() {
            if let kind = Allowlist.Entry.Kind(rawValue: stmt.text(0)) { entries.append(.init(kind: kind, value: stmt.text(1))) }
        }
        return Allowlist(entries)
    }

}

extension CaseWriter {
    /// Adds or removes an entry, recorded as an `allowlist.changed` action with the rationale.
    @discardableResult
    public func changeAllowlist(add: Bool, _ entry: Allowlist.Entry, rationale: String, actor: String, clock: WallClock) throws -> Action {
        return try db.writeTransaction {
            let present = try allowlist().entries.contains(entry)
            if add && present { throw RefusedRequest("\(DisplayText.escaped(entry.value)) is already on the allowlist") }
            if !add && !present { throw RefusedRequest("\(DisplayText.escaped(entry.value)) is not on the allowlist") }
            let action = try appendAction(
                ActionDraft(
                    kind: .allowlistChanged, target: entry.value,
                    details: ["change": .string(add ? "add" : "remove"), "kind": .string(entry.kind.rawValue)], rationale: rationale),
                actor: actor, clock: clock)
            let stmt =
                add
                ? try db.prepare("INSERT INTO allowlist (kind, value, added_by_action) VALUES (?, ?, ?)")
                : try db.prepare("UPDATE allowlist SET removed_by_action = ?3 WHERE kind = ?1 AND value = ?2 AND removed_by_action IS NULL")
            stmt.bind(1, entry.kind.rawValue)
            stmt.bind(2, entry.value)
            stmt.bind(3, action.id)
            try stmt.step()
            return action
        }
    }
}
