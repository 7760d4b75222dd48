import TourniquetModel

extension CaseFile {
    /// The case's status as it stands now (the header read at open may be older).
    public func currentStatus() throws -> CaseStatus {
        CaseStatus(rawValue: try db.scalarText("SELECT status FROM case_info WHERE singleton = 1") ?? "") ?? .open
    }

    /// Every action of the given kinds, oldest first.
    public func actions(ofKinds kinds: [ActionKind]) throws -> [Action] {
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ", ")
        let stmt = try db.prepare("SELECT \(CaseFile.actionColumns) FROM actions WHERE kind IN (\(marks)) ORDER BY id")
        for (i, kind) in kinds.enumerated() { stmt.bind(Int32(i + 1), kind.rawValue) }
        var out: [Action] = []
        while try stmt.step() { out.append(CaseFile.action(stmt)) }
        return out
    }
}

extension CaseWriter {
    /// Moves the case to another status; the action and the header change in one transaction.
    public func changeStatus(_ status: CaseStatus, reason: String, actor: String, clock: WallClock) throws -> Action {
        try db.writeTransaction {
            let current = try currentStatus()
            guard current != status else { throw RefusedRequest("the case is already \(status.rawValue)") }
            let details: JSONValue = .fields(["from": .string(current.rawValue), "to": .string(status.rawValue)])
            let action = try appendAction(
                ActionDraft(kind: .caseStatusChanged, target: "case", details: details, rationale: reason), actor: actor, clock: clock)
            let update = try db.prepare("UPDATE case_info SET status = ? WHERE singleton = 1")
            update.bind(1, status.rawValue)
            try update.step()
            return action
        }
    }
}
