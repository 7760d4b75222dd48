import Foundation
import TourniquetDetection
import TourniquetModel
import TourniquetResponse
import TourniquetSimulation
import TourniquetStore

/// Executes case commands and records each as one action. The only way a case changes.
public final class CaseEngine {
    public let caseFile: CaseWriter
    public let context: CommandContext
    /// The playbooks and notification regimes an export reads titles and deadlines from; the
    /// shipped ones when nil.
    public var responseLibrary: ResponseLibrary?

    public init(caseFile: CaseWriter, context: CommandContext) {
        self.caseFile = caseFile
        self.context = context
    }

    /// Opens a case for writing (integrity-checked) and returns an engine over it.
    public static func open(path: String, context: CommandContext) throws -> CaseEngine {
        let writer = try CaseWriter.open(at: path, actor: context.actor, clock: context.clock)
        // A drill may run on a faster clock; every action on it is then stamped in drill time.
        return CaseEngine(caseFile: writer, context: CommandContext(actor: context.actor, clock: try clock(for: writer, base: context.clock)))
    }

    /// The case's clock: `base`, or for a drill whose clock was sped up, `base` scaled from then on.
    public static func clock(for caseFile: CaseFile, base: WallClock = .live) throws -> WallClock {
        guard caseFile.metadata.isDrill, let set = try caseFile.actions(ofKinds: [.drillClock]).last,
            case .success(let details) = JSONLineReader.parse(set.details), let speed = details["speed"]?.doubleValue,
            let origin = details["origin_ms"]?.int64Value, speed >= 1
        else { return base }
        return .scaled(speed: speed, originMs: origin, base: base)
    }

    /// Speeds a drill's clock up from now on; recorded, so every later command keeps to it.
    func speedUpDrill(_ speed: Int) throws -> Action {
        guard caseFile.metadata.isDrill else { throw RefusedRequest("only a drill's clock can be sped up") }
        guard (1...1_000).contains(speed) else { throw RefusedRequest("--speed is 1 to 1,000") }
        let now = context.clock.nowMs()
        return try caseFile.record(
            ActionDraft(
                kind: .drillClock, target: "drill",
                details: .fields(["speed": .int(Int64(speed)), "origin_ms": .int(now), "origin": .string(UTCTime.format(ms: now))]),
                rationale: "the drill runs \(speed) times as fast as the wall clock"),
            actor: context.actor, clock: context.clock)
    }

    /// Creates a new case; the creation is the first action on its timeline.
    public static func createCase(
        at path: String, title: String, severity: Severity, detectedAtMs: Int64?, isDrill: Bool,
        context: CommandContext, ids: IDGenerator = .live
    ) throws -> CaseEngine {
        let now = context.clock.nowMs()
        let metadata = CaseMetadata(
            id: ids.caseID(), title: title, severity: severity, detectedAtMs: detectedAtMs ?? now, createdAtMs: now, isDrill: isDrill)
        let file = try CaseWriter.create(at: path, metadata: metadata, actor: context.actor, clock: context.clock, fingerprintKey: ids.secretKey())
        return CaseEngine(caseFile: file, context: context)
    }

    /// Executes a command; when this returns, its action is committed. Long commands (ingest,
    /// scope) report where they are through `progress`.
    @discardableResult
    public func execute(_ command: CaseCommand, progress: ((CommandProgress) -> Void)? = nil) throws -> CommandOutcome {
        let (actor, clock) = (context.actor, context.clock)
        switch command {
        case .note(let text, let corrects):
            let draft = ActionDraft(
                kind: corrects == nil ? .note : .correction, target: corrects.map { "action:\($0)" } ?? "case",
                rationale: text, corrects: corrects)
            return .recorded(try caseFile.record(draft, actor: actor, clock: clock))
        case .setFindingState(let id, let state, let rationale):
            guard state != .new else { throw RefusedRequest("a finding can be confirmed or dismissed, not made new again") }
            guard !rationale.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RefusedRequest("a rationale is required to \(state == .confirmed ? "confirm" : "dismiss") a finding")
            }
            return .recorded(try caseFile.setFindingState(id, to: state, rationale: rationale, actor: actor, clock: clock))
        case .changeAllowlist(let add, let entry, let rationale):
            return .recorded(try caseFile.changeAllowlist(add: add, entry, rationale: rationale, actor: actor, clock: clock))
        case .changeSettings(let settings, let rationale):
            try CaseEngine.validate(settings)
            return .recorded(try caseFile.changeSettings(settings, rationale: rationale, actor: actor, clock: clock))
        case .ingest(let path, let format, let spec, let rationale):
            let options = try ingestOptions(format: format, specPath: spec, rationale: rationale)
            return .ingested(
                try ingest(
                    path: path, options: options, progress: progress.map { report in { report(.reading($0)) } },
                    phases: progress.map { report in { report(.phase($0, seconds: $1)) } }))
        case .runScope(let fromMs, let toMs):
            let options = try CaseEngine.scopeOptions(caseFile.settings(), fromMs: fromMs, toMs: toMs)
            let (report, action) = try runScope(options, progress: progress.map { report in { report(.stage($0)) } })
            return .scoped(report, action)
        case .importGateway(let path, let kind, let rationale):
            return .recorded(try importGateway(path: path, kind: kind, rationale: rationale))
        case .changeCaseStatus(let status, let reason):
            return .recorded(try changeCaseStatus(status, reason: reason))
        case .planContainment(let measure, let reason, let force):
            return .recorded(try planContainment(measure, reason: reason, force: force))
        case .undoContainment(let id, let reason):
            return .recorded(try undoContainment(id: id, reason: reason))
        case .applyContainment(let target, let reason):
            return .applied(try applyContainment(target, reason: reason))
        case .startPlaybook(let playbook, let digest, let reason):
            return .recorded(try startPlaybook(playbook, digest: digest, reason: reason))
        case .recordPlaybookStep(let playbook, let step, let outcome, let reason, let force):
            return .stepped(try recordPlaybookStep(playbook, step: step, outcome: outcome, reason: reason, force: force))
        case .setNotificationClock(let name, let atMs, let reason):
            return .recorded(try setNotificationClock(name, atMs: atMs, reason: reason))
        case .openObligation(let regime, let reason):
            return .recorded(try openObligation(regime, reason: reason))
        case .markObligation(let regime, let state, let reason):
            return .recorded(try markObligation(regime, state: state, reason: reason))
        case .scoreDrill(let text, let deadlines):
            let truth: GroundTruth
            do { truth = try GroundTruth.decode(jsonText: text) } catch {
                throw RefusedRequest("the truth file is not a simulation's truth.json: \(error)")
            }
            let (score, action) = try scoreDrill(truth, deadlines: deadlines)
            return .scored(score, action)
        case .setDrillSpeed(let speed):
            return .recorded(try speedUpDrill(speed))
        case .export(let format, let path, let sinceMs, let untilMs, let force, let reason):
            return .exported(try export(format: format, to: path, sinceMs: sinceMs, untilMs: untilMs, force: force, reason: reason))
        case .runReview:
            let (results, action) = try runReview()
            return .reviewed(results, action)
        case .answerReview(let item, let state, let reason):
            return .recorded(try answerReview(item: item, state: state, reason: reason))
        }
    }

    /// Executes a command on the case at `path`. A scope run reads through a read-only connection
    /// while the writer opens on another thread: the writer's integrity check takes seconds on a
    /// large case and then overlaps the scan. Everything else opens the writer and executes.
    @discardableResult
    public static func execute(
        _ command: CaseCommand, onCaseAt path: String, context: CommandContext,
        progress: ((CommandProgress) -> Void)? = nil
    ) throws -> CommandOutcome {
        guard case .runScope(let fromMs, let toMs) = command else {
            return try open(path: path, context: context).execute(command, progress: progress)
        }
        let (report, action) = try runScope(
            path: path, context: context, fromMs: fromMs, toMs: toMs,
            progress: progress.map { report in { report(.stage($0)) } })
        return .scoped(report, action)
    }
}

/// What a command did.
public enum CommandOutcome: Sendable {
    /// The command's one action.
    case recorded(Action)
    /// An ingest: the evidence and its action, or the evidence the file already is.
    case ingested(IngestOutcome)
    /// A scope run: its report and its action.
    case scoped(ScopeReport, Action)
    /// A containment apply: its steps, each an action.
    case applied(ApplyReport)
    /// A playbook step: its action, and the measures and obligation it led to.
    case stepped(PlaybookStepReport)
    /// A drill's score and the action that recorded it.
    case scored(DrillScore, Action)
    /// An export: its text, where it went, and the action that recorded it.
    case exported(ExportOutcome)
    /// A review run: every item's result, and the action that recorded them.
    case reviewed([ReviewResult], Action)

    /// The action recorded, if any (an ingest of a file already in the case records none).
    public var action: Action? {
        switch self {
        case .recorded(let action), .scoped(_, let action): return action
        case .ingested(.imported(_, let action)): return action
        case .ingested(.duplicate): return nil
        case .applied(let report): return report.verification ?? report.outcome
        case .stepped(let report): return report.action
        case .scored(_, let action): return action
        case .exported(let outcome): return outcome.action
        case .reviewed(_, let action): return action
        }
    }
}

/// Where a long command is.
public enum CommandProgress: Sendable {
    /// A stage of a scope run ("scanning requests").
    case stage(String)
    /// How far an ingest has read.
    case reading(IngestProgress)
    /// An ingest finished a phase, so many seconds after it started (for the benchmarks).
    case phase(String, seconds: Double)
}

/// Where case ids and per-case secret keys come from; injected so tests are repeatable.
public struct IDGenerator: Sendable {
    public var caseID: @Sendable () -> String
    public var secretKey: @Sendable () -> [UInt8]

    public init(caseID: @escaping @Sendable () -> String, secretKey: @escaping @Sendable () -> [UInt8]) {
        self.caseID = caseID
        self.secretKey = secretKey
    }

    public static let live = IDGenerator(
        caseID: { UUID().uuidString.lowercased() },
        secretKey: {
            var generator = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        })

    public static func test(seed: UInt8 = 1) -> IDGenerator {
        IDGenerator(
            caseID: { "00000000-0000-4000-8000-0000000000\(String(format: "%02x", seed))" },
            secretKey: { Array(repeating: seed, count: 32) })
    }
}
