import TourniquetDetection
import TourniquetModel

/// Everything an export says about a case, read from it once by the engine. Every string is as
/// the case holds it, attacker-written text included: each format escapes it on the way out.
///
/// The report describes the case as of its last action (`asOfMs`), never as of the wall clock,
/// so the same case always exports to the same bytes.
public struct IncidentReport: Sendable {
    public var header: CaseMetadata
    /// The status the case's actions give it now.
    public var status: CaseStatus
    /// The time of the last action: what "now" means in the report.
    public var asOfMs: Int64
    /// The `--since` / `--until` window that limits the timeline; nil ends are open.
    public let sinceMs: Int64?
    public let untilMs: Int64?
    public var chain: Chain
    public var evidence: [Evidence]
    /// The latest scope run, when there was one.
    public var scope: Scope?
    public let findings: [Finding]
    public var containment: [ContainmentEntry]
    public var clocks: [String: Int64]
    public var obligations: [Obligation]
    public var playbooks: [PlaybookRun]
    /// The latest `drill.scored` action's score, when the case is a drill that was scored.
    public var drill: DrillResult?
    /// Every action of the case, oldest first (the window applies to the timeline, not to this).
    public let actions: [Action]
    /// The latest hardening review and the answers given since; read from `actions` once.
    public let review: ReviewLedger
    /// The timeline the formats write, built once from the actions, the findings and the window.
    public let events: [TimelineEvent]

    public init(
        header: CaseMetadata, status: CaseStatus, asOfMs: Int64, sinceMs: Int64?, untilMs: Int64?, chain: Chain,
        evidence: [Evidence], scope: Scope?, findings: [Finding], containment: [ContainmentEntry], clocks: [String: Int64],
        obligations: [Obligation], playbooks: [PlaybookRun], drill: DrillResult?, actions: [Action]
    ) {
        self.header = header
        self.status = status
        self.asOfMs = asOfMs
        self.sinceMs = sinceMs
        self.untilMs = untilMs
        self.chain = chain
        self.evidence = evidence
        self.scope = scope
        self.findings = findings
        self.containment = containment
        self.clocks = clocks
        self.obligations = obligations
        self.playbooks = playbooks
        self.drill = drill
        self.actions = actions
        review = ReviewLedger(actions: actions)
        events = IncidentReport.timeline(actions: actions, findings: findings, sinceMs: sinceMs, untilMs: untilMs)
    }

    /// The head of the action chain and what verifying the whole case found.
    public struct Chain: Sendable {
        public var head: String
        public var actions: Int64
        public var intact: Bool
        public var problems: [String]
        public init(head: String, actions: Int64, intact: Bool, problems: [String]) {
            self.head = head
            self.actions = actions
            self.intact = intact
            self.problems = problems
        }
    }

    public struct Evidence: Sendable {
        public var id: Int64
        public var path: String
        public var format: String
        public var sha256: String
        public var bytes: Int64
        public var lines: Int64
        public var parsed: Int64
        public var malformed: Int64
        public var firstMs: Int64?
        public var lastMs: Int64?
        public var importedAtMs: Int64
        public init(
            id: Int64, path: String, format: String, sha256: String, bytes: Int64, lines: Int64, parsed: Int64, malformed: Int64, firstMs: Int64?,
            lastMs: Int64?, importedAtMs: Int64
        ) {
            self.id = id
            self.path = path
            self.format = format
            self.sha256 = sha256
            self.bytes = bytes
            self.lines = lines
            self.parsed = parsed
            self.malformed = malformed
            self.firstMs = firstMs
            self.lastMs = lastMs
            self.importedAtMs = importedAtMs
        }
    }

    public struct Scope: Sendable {
        public var ranAt: String
        public var document: ScopeReportDocument
        public init(ranAt: String, document: ScopeReportDocument) {
            self.ranAt = ranAt
            self.document = document
        }
    }

    public struct Obligation: Sendable {
        public var regime: String
        public var title: String
        public var state: NotificationLedger.State
        public var reason: String
        public var openedAt: String
        public var changedAt: String
        public var deadlines: [Deadline]
        public init(
            regime: String, title: String, state: NotificationLedger.State, reason: String, openedAt: String, changedAt: String,
            deadlines: [Deadline]
        ) {
            self.regime = regime
            self.title = title
            self.state = state
            self.reason = reason
            self.openedAt = openedAt
            self.changedAt = changedAt
            self.deadlines = deadlines
        }
    }

    public struct Deadline: Sendable {
        public var name: String
        /// Nil while a clock it counts from has not started (`waitingFor` names it).
        public var atMs: Int64?
        public var rule: String
        public var waitingFor: [String]
        public init(name: String, atMs: Int64?, rule: String, waitingFor: [String]) {
            self.name = name
            self.atMs = atMs
            self.rule = rule
            self.waitingFor = waitingFor
        }
    }

    public struct PlaybookRun: Sendable {
        public var id: String
        public var title: String
        public var startedAt: String
        public var finished: Bool
        public var steps: [Step]
        public init(id: String, title: String, startedAt: String, finished: Bool, steps: [Step]) {
            self.id = id
            self.title = title
            self.startedAt = startedAt
            self.finished = finished
            self.steps = steps
        }

        public struct Step: Sendable {
            public var id: String
            public var title: String
            /// done, skipped, chosen: OPTION, current, or not reached.
            public var outcome: String
            public var at: String?
            public var actor: String?
            public var reason: String
            public init(id: String, title: String, outcome: String, at: String?, actor: String?, reason: String) {
                self.id = id
                self.title = title
                self.outcome = outcome
                self.at = at
                self.actor = actor
                self.reason = reason
            }
        }
    }

    public struct DrillResult: Sendable {
        public var scoredAt: String
        public var action: Int64
        public var score: JSONValue
        public init(scoredAt: String, action: Int64, score: JSONValue) {
            self.scoredAt = scoredAt
            self.action = action
            self.score = score
        }
    }
}
