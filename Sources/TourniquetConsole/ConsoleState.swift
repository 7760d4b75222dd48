import TourniquetModel

/// Everything the console remembers between keys. Changed only by `ConsoleReducer`.
public struct ConsoleState: Sendable {
    /// What the keyboard is doing right now.
    public enum Mode: Equatable, Sendable {
        case browsing
        case help
        /// Typing a line: a note, a rationale, a path or a filter.
        case prompt(Prompt)
    }

    public struct Prompt: Equatable, Sendable {
        public enum Purpose: Equatable, Sendable {
            case note
            case confirmRationale(findingID: String)
            case dismissRationale(findingID: String)
            case ingestPath
            case filter
            case findingFilter
            /// One rationale for every marked finding.
            case bulkVerdict(findingIDs: [String], confirm: Bool)
            /// The reason for a containment measure, after its preview; with guards' refusals the
            /// reason is also the override.
            case containmentReason(ContainmentMeasure, refusals: [String])
            case undoReason(measureID: Int64)
            case reapplyReason(GatewayTarget)
            case statusReason(CaseStatus)
            case startPlaybook(Playbook, digest: String)
            /// The reason for a playbook step; a skip's reason is its why.
            case playbookStep(Playbook, step: String, outcome: PlaybookProgress.Outcome)
            /// Which clock, and optionally when (RFC 3339); then its reason.
            case clockName
            case clockReason(name: String, atMs: Int64)
            case obligationReason(regime: String, state: NotificationLedger.State)
            /// Where to write the case as a report or timeline; the name's ending picks the format.
            case exportPath
            /// What the responder checked, for a review item answered pass or fail.
            case reviewAnswer(item: String, state: ReviewState)
        }
        public var purpose: Purpose
        public var label: String
        public var text: String = ""
    }

    /// A drill-down into one subject's requests.
    public struct DrillDown: Equatable, Sendable {
        public var title: String
        public var subject: FindingSubject
        public var lines: [RequestLine] = []
        /// Narrows the page on screen as it is typed; Enter runs it over all the requests.
        public var filter: String = ""
        public var loading = true
        /// Where this page is among all the matching requests, and the true counts.
        public var page = RequestLinesPage(lines: [])
        public var visible: [RequestLine] { filter.isEmpty ? lines : lines.filter { $0.matches(filter) } }
    }

    public var screen = 0
    public var mode: Mode = .browsing
    /// Selected row and first visible row, per screen.
    public var selection: [Int: Int] = [:]
    public var scroll: [Int: Int] = [:]
    public var drillDown: DrillDown?
    /// On the Scope screen: list the subjects (sources, clients, accounts, keys, routes) instead of findings.
    public var scopeShowsSubjects = false
    /// On the Scope screen: the selected finding's details in place of the run's summary.
    public var scopeShowsDetail = false
    /// How the findings list is sorted and filtered, and the findings marked for a bulk verdict.
    public var findingOrder = FindingList.Order.severity
    public var findingFilter = ""
    public var marked: Set<String> = []
    public var drillSelection = 0
    /// A one-line message: the result of the last action, or why a key did nothing.
    public var status: String = ""
    public var statusIsError = false
    /// Long work in progress (ingest, scope, verify): its label and fraction done, when known.
    public var busy: (label: String, fraction: Double?)?
    /// A containment measure whose preview (what-if and guards) is being computed.
    public var previewing: ContainmentMeasure?
    /// On the Respond screen: the decision option highlighted for `d`.
    public var respondOption = 0
    public var nowMs: Int64 = 0
    public var quitRequested = false

    public init() {}

    public func selected(on screen: Int) -> Int { selection[screen] ?? 0 }
}
