import TourniquetModel

/// The guided response as the console shows it: the playbooks (those that fit the findings first)
/// with their progress, the scope's answers for their steps, and the notification obligations
/// with their deadlines already counted (the console counts down, it does not compute law).
public struct ResponseData: Sendable {
    public struct PlaybookEntry: Sendable {
        public var playbook: Playbook
        /// The file's digest, recorded when the playbook starts.
        public var digest: String
        /// Findings of the latest scope run from the playbook's detectors.
        public var fits: Int
        public var progress: PlaybookProgress

        public init(playbook: Playbook, digest: String, fits: Int, progress: PlaybookProgress) {
            (self.playbook, self.digest, self.fits, self.progress) = (playbook, digest, fits, progress)
        }

        public var started: Bool { progress.started != nil }
        public var currentStep: Playbook.Step? { progress.current.flatMap(playbook.step) }
    }

    public struct Deadline: Sendable {
        public var name: String
        public var atMs: Int64?
        /// The instant in the responder's zone and in UTC, formatted by the loader.
        public var shown: String
        public var rule: String
        public var waitingFor: [String]

        public init(name: String, atMs: Int64?, shown: String, rule: String, waitingFor: [String]) {
            (self.name, self.atMs, self.shown, self.rule, self.waitingFor) = (name, atMs, shown, rule, waitingFor)
        }
    }

    public struct ObligationEntry: Sendable {
        public var regime: String
        public var title: String
        public var state: NotificationLedger.State
        public var reason: String
        public var inForce: Bool
        public var deadlines: [Deadline]

        public init(regime: String, title: String, state: NotificationLedger.State, reason: String, inForce: Bool, deadlines: [Deadline]) {
            (self.regime, self.title, self.state, self.reason, self.inForce, self.deadlines) = (regime, title, state, reason, inForce, deadlines)
        }

        public var met: Bool { state.isMet }
        /// What the countdown shows: the earliest counted deadline. The state covers the whole
        /// obligation, so while it is unmet a passed early deadline stays an alarm rather than
        /// giving way to a later one.
        public var next: Deadline? {
            deadlines.filter { $0.atMs != nil }.min { $0.atMs! < $1.atMs! }
        }
    }

    public var playbooks: [PlaybookEntry] = []
    /// The latest scope report's answer to every question a step can ask.
    public var answers: [ScopeQuestion: [String]] = [:]
    public var obligations: [ObligationEntry] = []
    /// When each notification clock started.
    public var clocks: [String: Int64] = [:]
    /// Playbook files that did not read, as file:line:column messages.
    public var problems: [String] = []

    public init() {}

    /// The nearest deadline of an obligation still to meet.
    public func nextDeadline(nowMs: Int64) -> (obligation: ObligationEntry, deadline: Deadline)? {
        var best: (ObligationEntry, Deadline)?
        for obligation in obligations where !obligation.met && obligation.inForce {
            guard let deadline = obligation.next, let at = deadline.atMs else { continue }
            if best == nil || at < best!.1.atMs! { best = (obligation, deadline) }
        }
        return best
    }
}
