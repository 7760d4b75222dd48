import TourniquetModel

extension CaseFile {
    /// Every action in id order (the order the chain is checked in), calling `body` for each row
    /// so a long log never sits in memory whole.
    public func forEachAction(_ body: (Action) throws -> Void) throws {
        let stmt = try db.prepare("SELECT \(CaseFile.actionColumns) FROM actions ORDER BY id")
        while try stmt.step() { try body(CaseFile.action(stmt)) }
    }

    /// The columns `action(_:)` reads, in its order.
    static let actionColumns = "id, at, actor, kind, target, details, rationale, corrects, prev_hash, hash"

    /// The action on a statement's current row, selected as `actionColumns`.
    static func action(_ stmt: SQLiteStatement) -> Action {
        Action(
            id: stmt.int(0), at: stmt.text(1), actor: stmt.text(2), kind: stmt.text(3), target: stmt.text(4), details: stmt.text(5),
            rationale: stmt.text(6), corrects: stmt.optionalInt(7), prevHash: stmt.text(8), hash: stmt.text(9))
    }

    /// All actions, oldest first.
    public func actions() throws -> [Action] {
        var all: [Action] = []
        try forEachAction { all.append($0) }
        return all
    }

    public func actionCount() throws -> Int64 {
        try db.scalarInt("SELECT count(*) FROM actions") ?? 0
    }
}

extension CaseWriter {
    /// Records one action in its own `BEGIN IMMEDIATE` transaction; when this returns, the row is durable.
    @discardableResult
    public func record(_ draft: ActionDraft, actor: String, clock: WallClock) throws -> Action {
        try db.writeTransaction { try appendAction(draft, actor: actor, clock: clock) }
    }

    /// Appends to the chain; must run inside a write transaction. The time is read after the lock
    /// is held, so timestamps follow the order of the rows even with several writers.
    func appendAction(_ draft: ActionDraft, actor: String, clock: WallClock) throws -> Action {
        let last = try db.prepare("SELECT id, hash FROM actions ORDER BY id DESC LIMIT 1")
        let (previousID, previousHash) = try last.step() ? (last.int(0), last.text(1)) : (0, ActionChain.genesisHash(caseID: metadata.id))
        if let corrected = draft.corrects {
            guard corrected >= 1 && corrected <= previousID else {
                throw RefusedRequest("there is no action #\(corrected) to correct (the log has \(previousID))")
            }
        }
        var action = Action(
            id: previousID + 1, at: UTCTime.format(ms: clock.nowMs()), actor: actor, kind: draft.kind.rawValue,
            target: draft.target, details: draft.details.canonicalJSON, rationale: draft.rationale,
            corrects: draft.corrects, prevHash: previousHash, hash: "")
        action.hash = ActionChain.hash(of: action)
        let insert = try db.prepare(
            """
            INSERT INTO actions (id, at, actor, kind, target, details, rationale, corrects, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insert.bind(1, action.id)
        insert.bind(2, action.at)
        insert.bind(3, action.actor)
        insert.bind(4, action.kind)
        insert.bind(5, action.target)
        insert.bind(6, action.details)
        insert.bind(7, action.rationale)
        insert.bind(8, action.corrects)
        insert.bind(9, action.prevHash)
        insert.bind(10, action.hash)
        try insert.step()
        return action
    }
}
