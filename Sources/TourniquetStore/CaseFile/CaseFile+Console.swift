import TourniquetModel

extension CaseFile {
    /// The newest actions first, at most `limit` (the console never reads the whole log).
    public func recentActions(limit: Int) throws -> [Action] {
        let stmt = try db.prepare("SELECT \(CaseFile.actionColumns) FROM actions ORDER BY id DESC LIMIT ?")
        stmt.bind(1, Int64(limit))
        var out: [Action] = []
        while try stmt.step() { out.append(CaseFile.action(stmt)) }
        return out
    }

    /// The last scope run's JSON report and when it ran.
    public func latestScopeReport() throws -> (ranAt: String, json: String)? {
        let stmt = try db.prepare("SELECT a.at, s.report FROM scope_runs s JOIN actions a ON a.id = s.action_id ORDER BY s.id DESC LIMIT 1")
        return try stmt.step() ? (stmt.text(0), stmt.text(1)) : nil
    }

    /// Requests in the case, from the evidence records (no scan of `requests`).
    public func importedRequestCount() throws -> Int64 {
        try db.scalarInt("SELECT coalesce(sum(parsed), 0) FROM evidence") ?? 0
    }

    /// Changes when another connection commits to the case: a console polls it to stay current.
    public func dataVersion() throws -> Int64 {
        try db.scalarInt("PRAGMA data_version") ?? 0
    }
}
