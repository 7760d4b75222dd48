/// Where one item of the hardening review stands.
public enum ReviewState: String, CaseIterable, Codable, Sendable {
    /// The evidence shows the item is met.
    case pass
    /// The evidence shows it is not; the fix says what to do.
    case fail
    /// The evidence cannot tell (no gateway state, logs without the field); a responder may answer.
    case unknown
    /// Only a person can answer; the answer is an action with a rationale.
    case manual
}

/// One item of the review as a run decided it: what was checked, the state, what it rests on,
/// the fix, and its reference (an OWASP API Security Top 10 2023 id, or NIST SP 800-63B).
public struct ReviewResult: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var reference: String
    public var state: ReviewState
    /// What decided it, one line each: the routes, plugins, operations or counts it rests on.
    public var evidence: [String]
    public var fix: String
    /// For a manual item: what to look at before answering.
    public var guidance: String

    public init(id: String, title: String, reference: String, state: ReviewState, evidence: [String], fix: String, guidance: String = "") {
        self.id = id
        self.title = title
        self.reference = reference
        self.state = state
        self.evidence = evidence
        self.fix = fix
        self.guidance = guidance
    }
}

/// The review as the case holds it: the latest `review.run`, with each responder's answer (a
/// `review.answered` action) laid over the items a machine could not decide.
public struct ReviewLedger: Sendable {
    public struct Answer: Equatable, Sendable {
        public var item: String
        public var state: ReviewState
        public var reason: String
        public var actor: String
        public var at: String
        public var action: Int64
    }

    /// The latest run's action, nil before any.
    public private(set) var run: Action?
    public private(set) var results: [ReviewResult] = []
    /// The latest answer per item, whenever it was given (an answer outlives re-runs).
    public private(set) var answers: [String: Answer] = [:]

    public init(actions: [Action]) {
        for action in actions {
            switch ActionKind(rawValue: action.kind) {
            case .reviewRun:
                guard case .success(let details) = JSONLineReader.parse(action.details), let items = details["items"],
                    let decoded = try? JSONValueDecoder.decode([ReviewResult].self, from: items)
                else { continue }
                run = action
                results = decoded
            case .reviewAnswered:
                guard case .success(let details) = JSONLineReader.parse(action.details), let item = details["item"]?.stringValue,
                    let state = details["state"]?.stringValue.flatMap(ReviewState.init(rawValue:))
                else { continue }
                answers[item] = Answer(item: item, state: state, reason: action.rationale, actor: action.actor, at: action.at, action: action.id)
            default:
                continue
            }
        }
    }

    /// The state a reader sees: an answer decides a manual or unknown item.
    public func state(of result: ReviewResult) -> ReviewState {
        guard result.state == .manual || result.state == .unknown, let answer = answers[result.id] else { return result.state }
        return answer.state
    }

    /// Counts by the state a reader sees, in `ReviewState` order.
    public var counts: [(state: ReviewState, count: Int)] {
        ReviewState.allCases.map { state in (state, results.filter { self.state(of: $0) == state }.count) }
    }
}
