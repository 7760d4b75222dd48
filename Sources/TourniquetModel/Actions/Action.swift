/// What a command asks the action log to record; the store adds id, time, actor and hashes.
public struct ActionDraft: Equatable, Sendable {
    public var kind: ActionKind
    public var target: String
    public var details: JSONValue
    public var rationale: String
    /// The id of an earlier action this one corrects, if any. Rows are never edited.
    public var corrects: Int64?

    public init(kind: ActionKind, target: String, details: JSONValue = .object([:]), rationale: String = "", corrects: Int64? = nil) {
        self.kind = kind
        self.target = target
        self.details = details
        self.rationale = rationale
        self.corrects = corrects
    }
}

/// One row of the action log, the case timeline. Append-only and hash-chained.
public struct Action: Equatable, Sendable {
    public var id: Int64
    /// RFC 3339 UTC with milliseconds, exactly as stored and hashed.
    public var at: String
    public var actor: String
    /// The stored kind; kept as text so rows written by newer versions still read.
    public var kind: String
    public var target: String
    /// Canonical JSON text.
    public var details: String
    public var rationale: String
    public var corrects: Int64?
    public var prevHash: String
    public var hash: String

    public init(
        id: Int64, at: String, actor: String, kind: String, target: String, details: String, rationale: String,
        corrects: Int64?, prevHash: String, hash: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.kind = kind
        self.target = target
        self.details = details
        self.rationale = rationale
        self.corrects = corrects
        self.prevHash = prevHash
        self.hash = hash
    }
}

extension Action {
    /// When it was recorded, in milliseconds since the epoch; nil only for a row whose time does not parse.
    public var atMs: Int64? { Timestamps.parseRFC3339(at)?.ms }
}
