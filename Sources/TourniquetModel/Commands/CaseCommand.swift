/// A change a responder asks for. The console's keys, CLI subcommands and playbook steps all
/// build these and hand them to the one engine (`CaseEngine.execute`), which executes each and
/// records it as one action.
public enum CaseCommand: Equatable, Sendable {
    /// A free-text note on the timeline; `corrects` names an earlier action this note corrects.
    case note(text: String, corrects: Int64?)
    /// A responder's verdict on a finding, with the rationale the timeline keeps.
    case setFindingState(id: String, state: FindingState, rationale: String)
    /// Adds (or removes) a benign source or client; its findings are suppressed from then on.
    case changeAllowlist(add: Bool, entry: Allowlist.Entry, rationale: String)
    /// Replaces the settings later ingests and scope runs use (`CaseSettings`).
    case changeSettings(CaseSettings, rationale: String)
    /// Imports one evidence file (`-` for standard input) with the case's settings. `format` names
    /// a log format instead of detecting it; `openAPISpec` is a spec file to template routes with,
    /// kept in the case with the evidence (without one, the case's latest spec is used).
    case ingest(path: String, format: String?, openAPISpec: String?, rationale: String)
    /// Runs every detector with the case's settings over the requests in the window (all of them
    /// when both ends are nil) and stores the findings.
    case runScope(fromMs: Int64?, toMs: Int64?)
    /// Reads gateway state (a Kong decK file, an OpenAPI document; `kind` says which when the file
    /// does not) into the case's neutral model.
    case importGateway(path: String, kind: String?, rationale: String)
    /// Moves the case to `contained` or `closed` (or back to `open`), with the responder's reason.
    case changeCaseStatus(CaseStatus, reason: String)
    /// Records a containment measure to put on the gateway at the next apply. The guards refuse
    /// some (an allowlisted or private address, a shared NAT, an address scope does not name)
    /// unless `force` gives the responder's reason for going ahead.
    case planContainment(ContainmentMeasure, reason: String, force: String?)
    /// Takes a planned measure back; the next apply removes it from the gateway.
    case undoContainment(id: Int64, reason: String)
    /// Puts every measure in force on a gateway and removes the ones no longer in force, in one
    /// change: recorded as intent, then applied or failed, then verified.
    case applyContainment(GatewayTarget, reason: String)
    /// Begins a playbook on the case; `digest` names the exact file it was read from.
    case startPlaybook(Playbook, digest: String, reason: String)
    /// Records the playbook's current step: done (a contain step plans a measure for each value its
    /// scope answer gives; a notify step takes on its obligation), skipped with a reason, or decided.
    case recordPlaybookStep(Playbook, step: String, outcome: PlaybookProgress.Outcome, reason: String, force: String?)
    /// Starts (or corrects) a notification clock: awareness, classification, determination, discovery,
    /// suspicion; at the case's now when no time is given.
    case setNotificationClock(name: String, atMs: Int64?, reason: String)
    /// Takes on a notification obligation (a regime's id).
    case openObligation(regime: String, reason: String)
    case markObligation(regime: String, state: NotificationLedger.State, reason: String)
    /// Scores a drill against its simulation's truth (the truth file's text) and records the score.
    /// `deadlines` is each obligation's first deadline, for counting those met in time.
    case scoreDrill(truthJSON: String, deadlines: [String: Int64?])
    /// Runs a drill's clock `speed` times as fast as the wall clock from now on.
    case setDrillSpeed(Int)
    /// Writes the case as a report or timeline (`format`: md, html, json, csv, timesketch, iris) to
    /// `path`, or returns the text when `path` is nil; the timeline keeps to `sinceMs`...`untilMs`.
    /// An existing file is refused unless `force`. Recorded with the file's SHA-256.
    case export(format: String, path: String?, sinceMs: Int64?, untilMs: Int64?, force: Bool, reason: String)
    /// Runs the hardening review over the gateway state, the spec and the logs, and records it.
    case runReview
    /// Answers a review item the evidence cannot decide (pass or fail), with the rationale.
    case answerReview(item: String, state: ReviewState, reason: String)

    /// Commands that read the whole case and may take minutes: the console runs them as jobs, off
    /// the keyboard's path, with progress.
    public var isLong: Bool {
        switch self {
        case .ingest, .runScope, .export, .runReview: return true
        case .note, .setFindingState, .changeAllowlist, .changeSettings, .changeCaseStatus, .planContainment, .undoContainment,
            .applyContainment, .importGateway, .startPlaybook, .recordPlaybookStep, .setNotificationClock, .openObligation, .markObligation,
            .setDrillSpeed, .answerReview:
            return false
        case .scoreDrill:
            return true
        }
    }
}

/// Who is acting and what time it is, for every command in one session.
public struct CommandContext: Sendable {
    public var actor: String
    public var clock: WallClock

    public init(actor: String, clock: WallClock) {
        self.actor = actor
        self.clock = clock
    }
}
