import TourniquetModel

/// What the console shows, loaded from the case by the run loop: plain values, so rendering is
/// a pure function of them. Aggregates only; requests are fetched a page at a time on demand.
public struct ConsoleData: Sendable {
    public struct EvidenceRow: Sendable {
        public var id: Int64, path: String, format: String, sha256: String
        public var lines: Int64, parsed: Int64, malformed: Int64
        public var firstMs: Int64?, lastMs: Int64?
        public init(
            id: Int64, path: String, format: String, sha256: String, lines: Int64, parsed: Int64, malformed: Int64, firstMs: Int64?, lastMs: Int64?
        ) {
            (self.id, self.path, self.format, self.sha256, self.lines, self.parsed, self.malformed, self.firstMs, self.lastMs) =
                (id, path, format, sha256, lines, parsed, malformed, firstMs, lastMs)
        }
    }

    /// The latest scope run's answers.
    public struct ScopeSummary: Sendable {
        public var ranAtMs: Int64?
        public var requests: Int64
        public var attackerIPs: [String]
        public var attackerClients: [String]
        public var compromisedAccounts: [String]
        /// Nil when unknown (logins logged without their accounts).
        public var accountsTargeted: Int?
        public var compromisedKeys: [String]
        public var targetedEndpoints: [(method: String, route: String, requests: Int64, attackerRequests: Int64)]
        public var dataAccessed: [(route: String, objects: Int, bytes: Int64)]
        public var shadowEndpoints: [(method: String, path: String, requests: Int64)]
        public init(
            ranAtMs: Int64? = nil, requests: Int64 = 0, attackerIPs: [String] = [], attackerClients: [String] = [],
            compromisedAccounts: [String] = [], accountsTargeted: Int? = 0, compromisedKeys: [String] = [],
            targetedEndpoints: [(method: String, route: String, requests: Int64, attackerRequests: Int64)] = [],
            dataAccessed: [(route: String, objects: Int, bytes: Int64)] = [], shadowEndpoints: [(method: String, path: String, requests: Int64)] = []
        ) {
            self.ranAtMs = ranAtMs
            self.requests = requests
            self.attackerIPs = attackerIPs
            self.attackerClients = attackerClients
            self.compromisedAccounts = compromisedAccounts
            self.accountsTargeted = accountsTargeted
            self.compromisedKeys = compromisedKeys
            self.targetedEndpoints = targetedEndpoints
            self.dataAccessed = dataAccessed
            self.shadowEndpoints = shadowEndpoints
        }
    }

    public var metadata: CaseMetadata
    public var evidence: [EvidenceRow]
    public var requestCount: Int64
    public var findings: [Finding]
    public var scope: ScopeSummary?
    /// Why the latest scope report could not be read (a newer or damaged report), shown instead of it.
    public var scopeProblem: String?
    /// Newest first.
    public var timeline: [Action]
    /// Every containment measure and its state.
    public var containment: [ContainmentEntry] = []
    /// How the last apply reached its gateway, which `A` repeats; nil before any apply.
    public var lastApply: GatewayTarget?
    /// Playbooks, their progress and the notification obligations.
    public var response = ResponseData()
    /// The latest hardening review, with the answers given since.
    public var review = ReviewLedger(actions: [])
    public var actionCount: Int64

    public init(
        metadata: CaseMetadata, evidence: [EvidenceRow] = [], requestCount: Int64 = 0, findings: [Finding] = [],
        scope: ScopeSummary? = nil, timeline: [Action] = [], actionCount: Int64 = 0
    ) {
        self.metadata = metadata
        self.evidence = evidence
        self.requestCount = requestCount
        self.findings = findings
        self.scope = scope
        self.timeline = timeline
        self.actionCount = actionCount
    }
}

/// One page of a drill-down, with the true counts behind it.
public struct RequestLinesPage: Equatable, Sendable {
    public var lines: [RequestLine]
    /// The position of the first line among the requests matching `filter`.
    public var first: Int
    public var matching: Int
    public var total: Int
    /// The filter the database ran (as typed), empty for none.
    public var filter: String

    public init(lines: [RequestLine], first: Int = 0, matching: Int? = nil, total: Int? = nil, filter: String = "") {
        self.lines = lines
        self.first = first
        self.matching = matching ?? lines.count
        self.total = total ?? lines.count
        self.filter = filter
    }
}

/// One row of a drill-down: a stored request, already formatted for the screen.
public struct RequestLine: Equatable, Sendable {
    public var timestampMs: Int64
    public var ip: String
    public var client: String?
    public var method: String
    public var target: String
    public var status: Int64
    public var bytes: Int64
    public var userAgent: String?
    public init(timestampMs: Int64, ip: String, client: String?, method: String, target: String, status: Int64, bytes: Int64, userAgent: String?) {
        (self.timestampMs, self.ip, self.client, self.method, self.target, self.status, self.bytes, self.userAgent) =
            (timestampMs, ip, client, method, target, status, bytes, userAgent)
    }

    /// Whether the line matches a `/` filter as it is being typed, with the terms the database
    /// runs on Enter (`RequestFilter`); text that does not parse yet matches as plain text.
    public func matches(_ filter: String) -> Bool {
        guard !filter.isEmpty else { return true }
        guard let parsed = try? RequestFilter.parse(filter) else {
            let needle = filter.lowercased()
            return [ip, client ?? "", method, target, String(status), userAgent ?? ""].contains { $0.lowercased().contains(needle) }
        }
        return parsed.terms.allSatisfy(matches)
    }

    private func matches(_ term: RequestFilter.Term) -> Bool {
        func has(_ text: String, _ needle: String) -> Bool { text.lowercased().contains(needle.lowercased()) }
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        switch term {
        case .status(let code): return status == code
        case .statusClass(let digit): return status / 100 == digit
        case .method(let m): return method.uppercased() == m
        case .pathContains(let text): return has(path, text)
        case .ip(let address): return ip == address
        case .userAgentContains(let text): return has(userAgent ?? "", text)
        case .anywhere(let text):
            return [target, userAgent ?? "", ip, client ?? ""].contains { has($0, text) } || String(status) == text
        }
    }
}
