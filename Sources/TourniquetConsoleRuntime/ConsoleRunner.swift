import Foundation
import TourniquetConsole
import TourniquetEngine
import TourniquetModel
import TourniquetResponse
import TourniquetStore
import TourniquetTerminal

/// Drives the console: paints the state, reads keys, and runs effects. Every change to the case
/// is a `CaseCommand` handed to the job runner, which executes them in order through the one
/// engine on its worker thread; progress and results come back through the inbox, so the screen
/// never blocks. Reads (the screens, drill-downs, verify) use read-only connections of their own.
public final class ConsoleRunner {
    private let path: String
    private let context: CommandContext
    private let terminal = Terminal()
    private var state = ConsoleState()
    private var data: ConsoleData
    private let reader: CaseFile
    private let inbox = Inbox()
    /// Every change runs here, in order, over one writer opened once.
    private let jobs: JobRunner
    private var lastVersion: Int64 = 0
    private var lastPoll = Date()

    /// The playbooks and regimes, read once when the console opens.
    private let library: ResponseLibrary
    /// What the screens count down by: the case's clock (a drill's may run fast).
    private let displayClock: WallClock

    public init(path: String, context: CommandContext, playbookDirectories: [String] = []) throws {
        self.path = path
        self.context = context
        library = ResponseLibrary.load(extra: playbookDirectories)
        reader = try CaseFile.openReadOnly(at: path)
        displayClock = try CaseEngine.clock(for: reader, base: context.clock)
        data = try ConsoleDataLoader.load(reader, library: library, nowMs: displayClock.nowMs())
        lastVersion = try reader.dataVersion()
        let inbox = self.inbox
        let library = self.library
        jobs = JobRunner(
            open: {
                let engine = try CaseEngine.open(path: path, context: context)
                engine.responseLibrary = library
                return engine
            }, post: { inbox.post($0) })
    }

    public func run() {
        terminal.start()
        defer { terminal.stop() }
        state.nowMs = displayClock.nowMs()
        state.status = "checking the case file's integrity before changes are allowed…"
        paint()
        while !state.quitRequested {
            if let key = terminal.readKey() {
                apply(.key(key))
            } else if terminal.isGone {
                break
            }
            let events = inbox.drain()
            for event in events { apply(event) }
            // A finished job changed the case (or failed to): show the case as it now is at once.
            if events.contains(where: { if case .finished = $0 { return true } else { return false } }) { reload() }
            tick()
            paint()
        }
    }

    private func paint() {
        let size = terminal.size
        terminal.paint(ConsoleRenderer.render(state, data, rows: max(size.rows, 1), columns: max(size.columns, 1)))
    }

    private func apply(_ event: ConsoleEvent) {
        for effect in ConsoleReducer.reduce(&state, event, data) { perform(effect) }
    }

    /// Once a second: the clock, and whether another console or a CLI command changed the case.
    private func tick() {
        state.nowMs = displayClock.nowMs()
        guard Date().timeIntervalSince(lastPoll) >= 0.5 else { return }
        lastPoll = Date()
        if let version = try? reader.dataVersion(), version != lastVersion {
            lastVersion = version
            reload()
        }
    }

    private func reload() {
        if let fresh = try? ConsoleDataLoader.load(reader, library: library, nowMs: displayClock.nowMs()) { data = fresh }
    }

    private func perform(_ effect: ConsoleEffect) {
        switch effect {
        case .quit:
            state.quitRequested = true
        case .execute(let command):
            if jobs.isWaitingForWriter {
                state.status = "queued: waiting for the integrity check to finish"
                state.statusIsError = false
            }
            jobs.submit(ConsoleRunner.name(of: command)) { engine, post in
                let outcome = try engine.execute(command) { progress in post(ConsoleRunner.event(for: progress)) }
                return ConsoleRunner.summary(of: outcome)
            }
        case .loadRequests(let subject, let filter, let skip):
            let path = self.path
            let inbox = self.inbox
            Thread.detachNewThread {
                do {
                    let parsed = try RequestFilter.parse(filter)
                    let page = try ConsoleDataLoader.requests(CaseFile.openReadOnly(at: path), of: subject, filter: parsed, skip: skip)
                    inbox.post(.requestsLoaded(subject, page))
                } catch {
                    inbox.post(.requestsFailed(subject, "\(error)"))
                }
            }
        case .previewContainment(let measure):
            let path = self.path
            let inbox = self.inbox
            Thread.detachNewThread {
                do {
                    let file = try CaseFile.openReadOnly(at: path)
                    let figures = try CaseEngine.whatIf(file, measures: [measure])[0]
                    let refusals = CaseEngine.guardReasons(measure, figures: figures, allowlist: try file.allowlist())
                    let whatIf =
                        "stops \(figures.requests) requests in the evidence, \(figures.attackerRequests) of them attackers', "
                        + "\(figures.benignRequests) others' (\(figures.benignIdentities) identities)"
                    inbox.post(.containmentPreviewed(measure, whatIf: whatIf, refusals: refusals))
                } catch {
                    inbox.post(.finished(message: "cannot preview \(measure.summary): \(error)", isError: true))
                }
            }
        case .verify:
            let path = self.path
            let inbox = self.inbox
            Thread.detachNewThread {
                do {
                    let report = try CaseFile.openReadOnly(at: path).verify(rehash: FileDigest.sha256(path:bytes:))
                    inbox.post(
                        .finished(
                            message: report.isIntact
                                ? "chain intact: \(report.actions) actions, head \(report.headHash.prefix(16))…"
                                : "TAMPERED: " + (report.problems.first ?? ""), isError: !report.isIntact))
                } catch {
                    inbox.post(.finished(message: "\(error)", isError: true))
                }
            }
        }
    }

    static func name(of command: CaseCommand) -> String {
        switch command {
        case .note: return "note"
        case .setFindingState(_, let state, _): return state == .dismissed ? "dismiss" : "confirm"
        case .changeAllowlist: return "allowlist change"
        case .changeSettings: return "settings change"
        case .ingest: return "ingest"
        case .runScope: return "scope"
        case .changeCaseStatus: return "status change"
        case .importGateway: return "gateway import"
        case .planContainment(let measure, _, _): return measure.verb
        case .undoContainment: return "undo"
        case .applyContainment(let target, _): return "apply to \(target.name)"
        case .startPlaybook(let playbook, _, _): return "start \(playbook.id)"
        case .recordPlaybookStep(_, let step, _, _, _): return "step \(step)"
        case .setNotificationClock(let name, _, _): return "\(name) clock"
        case .openObligation(let regime, _): return "obligation \(regime)"
        case .markObligation(let regime, let state, _): return "\(regime) \(state.rawValue)"
        case .scoreDrill: return "drill score"
        case .setDrillSpeed: return "drill clock"
        case .export(let format, _, _, _, _, _): return "export \(format)"
        case .runReview: return "review"
        case .answerReview(let item, let state, _): return "\(item) \(state.rawValue)"
        }
    }

    static func event(for progress: CommandProgress) -> ConsoleEvent {
        switch progress {
        case .stage(let stage): return .progress(label: "scope: " + stage, fraction: nil)
        case .phase(let name, _): return .progress(label: "ingest: " + name, fraction: 1)
        case .reading(let p):
            return .progress(label: "ingesting \(p.path)", fraction: p.totalBytes.map { Double(p.bytesRead) / Double(max($0, 1)) })
        }
    }

    /// The status line once a command is done.
    static func summary(of outcome: CommandOutcome) -> String {
        switch outcome {
        case .recorded(let action):
            return "recorded action #\(action.id) (\(action.kind))"
        case .scoped(let report, _):
            return "scope: \(report.findings.count) findings, \(report.attackerIPs.count) attacker sources"
        case .ingested(.imported(let r, _)):
            let continued = r.continuation.map { " (continues evidence #\($0.continues))" } ?? ""
            return "imported \(r.path)\(continued): \(r.parsed) requests, \(r.malformed) malformed"
        case .ingested(.duplicate(let path, let existing)):
            return "\(path) is already evidence #\(existing.id)"
        case .applied(let report):
            return report.succeeded
                ? "applied to \(report.gateway): \(report.puts.count) in force, \(report.removes.count) removed"
                : "apply to \(report.gateway) failed: \(report.problem ?? "")"
        case .reviewed(let results, let action):
            let failed = results.filter { $0.state == .fail }.count
            return "review recorded (action #\(action.id)): \(failed) of \(results.count) items fail"
        case .exported(let outcome):
            return "exported \(outcome.path ?? "-") (\(outcome.bytes) bytes, action #\(outcome.action.id))"
        case .scored(let score, let action):
            return "drill scored (action #\(action.id)): \(Int((score.overall * 100).rounded()))%"
        case .stepped(let report):
            if report.opened != nil { return "recorded step (action #\(report.action.id)): took on the obligation (7 Notifications)" }
            guard !report.planned.isEmpty || !report.refused.isEmpty || !report.alreadyInForce.isEmpty else {
                return "recorded step (action #\(report.action.id))"
            }
            let refused = report.refused.isEmpty ? "" : ", \(report.refused.count) refused by the guards (see the timeline)"
            let already = report.alreadyInForce.isEmpty ? "" : ", \(report.alreadyInForce.count) already in force"
            return "recorded step (action #\(report.action.id)): \(report.planned.count) measures planned\(already)\(refused)"
        }
    }

    /// Events from worker threads, drained by the run loop.
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [ConsoleEvent] = []

        func post(_ event: ConsoleEvent) {
            lock.lock()
            events.append(event)
            lock.unlock()
        }

        func drain() -> [ConsoleEvent] {
            lock.lock()
            defer { lock.unlock() }
            let out = events
            events.removeAll()
            return out
        }
    }
}
