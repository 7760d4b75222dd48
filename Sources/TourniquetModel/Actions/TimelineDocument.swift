import Foundation

/// The case timeline as a versioned contract: what `tourniquet timeline --json` prints, for
/// exports and for other tools. Every action is given exactly as stored and hashed, so a reader
/// can recompute the chain; `details` is the stored canonical JSON read back as a value.
public struct TimelineDocument: Codable, Equatable, Sendable {
    public static let currentVersion = 1

    public var version: Int
    public var `case`: CaseHeader
    public var actions: [Entry]

    public init(metadata: CaseMetadata, actions: [Action]) {
        version = TimelineDocument.currentVersion
        `case` = CaseHeader(
            id: metadata.id, title: metadata.title, severity: metadata.severity, status: metadata.status.rawValue,
            detectedAt: UTCTime.format(ms: metadata.detectedAtMs), createdAt: UTCTime.format(ms: metadata.createdAtMs),
            drill: metadata.isDrill)
        self.actions = actions.map(Entry.init)
    }

    public struct CaseHeader: Codable, Equatable, Sendable {
        public var id: String
        public var title: String
        public var severity: Severity
        public var status: String
        public var detectedAt: String
        public var createdAt: String
        public var drill: Bool

        enum CodingKeys: String, CodingKey {
            case id, title, severity, status, drill
            case detectedAt = "detected_at"
            case createdAt = "created_at"
        }
    }

    public struct Entry: Codable, Equatable, Sendable {
        public var id: Int64
        public var at: String
        public var actor: String
        public var kind: String
        public var target: String
        public var details: JSONValue
        public var rationale: String
        public var corrects: Int64?
        public var prevHash: String
        public var hash: String

        enum CodingKeys: String, CodingKey {
            case id, at, actor, kind, target, details, rationale, corrects, hash
            case prevHash = "prev_hash"
        }

        public init(_ action: Action) {
            id = action.id
            at = action.at
            actor = action.actor
            kind = action.kind
            target = action.target
            // A row whose details do not parse is shown as the text it holds; verify reports it.
            details = JSONValue(parsing: action.details) ?? .string(action.details)
            rationale = action.rationale
            corrects = action.corrects
            prevHash = action.prevHash
            hash = action.hash
        }

        /// `corrects` is always present, null when the action corrects nothing.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(at, forKey: .at)
            try c.encode(actor, forKey: .actor)
            try c.encode(kind, forKey: .kind)
            try c.encode(target, forKey: .target)
            try c.encode(details, forKey: .details)
            try c.encode(rationale, forKey: .rationale)
            try c.encode(corrects, forKey: .corrects)
            try c.encode(prevHash, forKey: .prevHash)
            try c.encode(hash, forKey: .hash)
        }
    }

    /// The canonical text (sorted keys, no white space).
    public var canonicalJSON: String {
        do { return try JSONValueEncoder.encode(self).canonicalJSON } catch {
            preconditionFailure("a timeline always encodes: it holds only strings, integers and JSON values")
        }
    }
}
