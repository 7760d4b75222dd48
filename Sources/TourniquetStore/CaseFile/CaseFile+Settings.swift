import TourniquetModel

extension CaseFile {
    /// The settings in force: those of the latest `settings.changed` action, or the defaults.
    public func settings() throws -> CaseSettings {
        let stmt = try db.prepare("SELECT id, details FROM actions WHERE kind = ? ORDER BY id DESC LIMIT 1")
        stmt.bind(1, ActionKind.settingsChanged.rawValue)
        guard try stmt.step() else { return .defaults }
        do {
            return try CaseSettings(details: stmt.text(1))
        } catch {
            throw CaseFileError.corrupt(path: path, detail: "the settings recorded by action #\(stmt.int(0)) cannot be read")
        }
    }
}

extension CaseWriter {
    /// Records new settings; the action's details are the settings, which is where they are read from.
    @discardableResult
    public func changeSettings(_ settings: CaseSettings, rationale: String, actor: String, clock: WallClock) throws -> Action {
        try record(ActionDraft(kind: .settingsChanged, target: "case", details: settings.details, rationale: rationale), actor: actor, clock: clock)
    }
}
