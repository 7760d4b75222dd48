import Foundation
import TourniquetConsole
import TourniquetModel
import TourniquetEngine
import TourniquetStore
import TourniquetTerminal

/// Drives the console: paints the state, reads keys, and runs effects. Short changes (notes,
/// verdicts) run at once through the engine; long work (scope, ingest, verify) runs on a worker
/// thread with its own connection and reports back through the inbox, so the screen never blocks.
public final class ConsoleRunner {
    private let path: String
    private let context: CommandContext
    private let terminal = Terminal()
    private var state = ConsoleState()
    private var data: ConsoleData
    private let reader: CaseFile
    /// Opened for writing in the background: `integrity_check` on a large case takes a while.
    private var writer: CaseEngine?
    private var writerError: String? = nil
    private let inbox = Inbox()
    private var lastVersion: Int64 = 0
    private var lastPoll = Date()

    public init(path: String, context: CommandContext) throws {
        self.path = path
        self.context = context
        reader = try CaseFile.open(at: path, forWriting: false)
        data = try ConsoleDataLoader.load(reader)
        lastVersion = try reader.dataVersion()
    }

    public func run() {
        terminal.start()
        defer { terminal.stop() }
        state.nowMs = context.clock.nowMs()
        state.status = "checking the case file's integrity before changes are allowed…"
        openWriterInBackground()
        paint()
        while !state.quitRequested {
            if let key = terminal.readKey() {
                apply(.key(key))
            } else if terminal.isGone {
                break
            }
            for event in inbox.drain() { apply(event) }
            if writer == nil, let engine = inbox.takeWriter() { writer = engine }
            if writer == nil, writerError == nil { writerError = inbox.writerFailure }
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
        state.nowMs = context.clock.nowMs()
        guard Date().timeIntervalSince(lastPoll) >= 0.5 else { return }
        lastPoll = Date()
        if let version = try? reader.dataVersion(), version != lastVersion {
            lastVersion = version
            reload()
        }
    }

    private func reload() {
        if let fresh = try? ConsoleDataLoader.load(reader) { data = fresh }
    }

    private func perform(_ effect: ConsoleEffect) {
        switch effect {
        case .quit:
            state.quitRequested = true
        case .execute(let command):
            guard let writer else { return refuse() }
            do {
                let action = try writer.execute(command)
                reload()
                apply(.finished(message: "recorded action #\(action.id) (\(action.kind))", isError: false))
            } catch {
                apply(.finished(message: "\(error)", isError: true))
            }
        case .loadRequests(let subject):
            let path = self.path, inbox = self.inbox
            Thread.detachNewThread {
                let lines = (try? CaseFile.open(at: path, forWriting: false)).flatMap { try? ConsoleDataLoader.requests($0, of: subject) } ?? []
                inbox.post(.requestsLoaded(subject, lines))
            }
        case .runScope:
            guard writer != nil else { return refuse() }
            background("scope") { engine, post in
                let (report, _) = try engine.runScope(ScopeOptions()) { stage in post(.progress(label: "scope: " + stage, fraction: nil)) }
                return "scope: \(report.findings.count) findings, \(report.attackerIPs.count) attacker sources"
            }
        case .ingest(let file):
            guard writer != nil else { return refuse() }
            background("ingest") { engine, post in
                let outcome = try engine.ingest(path: file, options: IngestOptions()) { p in
                    post(.progress(label: "ingesting \(p.path)", fraction: p.totalBytes.map { Double(p.bytesRead) / Double(max($0, 1)) }))
                }
                switch outcome {
                case .imported(let r, _):
                    let continued = r.continuation.map { " (continues evidence #\($0.continues))" } ?? ""
                    return "imported \(r.path)\(continued): \(r.parsed) requests, \(r.malformed) malformed"
                case .duplicate(let p, let existing): return "\(p) is already evidence #\(existing.id)"
                }
            }
        case .verify:
            let path = self.path, inbox = self.inbox
            Thread.detachNewThread {
                do {
                    let report = try CaseFile.open(at: path, forWriting: false).verify(rehash: FileDigest.sha256(path:bytes:))
                    inbox.post(.finished(message: report.isIntact ? "chain intact: \(report.actions) actions, head \(report.headHash.prefix(16))…"
                        : "TAMPERED: " + (report.problems.first ?? ""), isError: !report.isIntact))
                } catch {
                    inbox.post(.finished(message: "\(error)", isError: true))
                }
            }
        }
    }

    private func refuse() {
        apply(.finished(message: writerError ?? "still checking the case file's integrity; try again in a moment", isError: true))
    }

    /// Long work on its own thread and connection; progress and the result come back as events.
    private func background(_ name: String, _ work: @escaping (CaseEngine, @escaping (ConsoleEvent) -> Void) throws -> String) {
        let path = self.path, context = self.context, inbox = self.inbox
        Thread.detachNewThread {
            do {
                let engine = try CaseEngine.open(path: path, context: context)
                let message = try work(engine) { inbox.post($0) }
                inbox.post(.finished(message: message, isError: false))
            } catch {
                inbox.post(.finished(message: "\(name) failed: \(error)", isError: true))
            }
        }
    }

    private func openWriterInBackground() {
        let path = self.path, context = self.context, inbox = self.inbox
        Thread.detachNewThread {
            do {
                let engine = try CaseEngine.open(path: path, context: context)
                inbox.writer(engine)
                inbox.post(.finished(message: "ready: ? shows every key", isError: false))
            } catch {
                inbox.failWriter("read-only: \(error)")
                inbox.post(.finished(message: "read-only: \(error)", isError: true))
            }
        }
    }

    /// Events from worker threads, drained by the run loop.
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [ConsoleEvent] = []
        private var engine: CaseEngine?

        func post(_ event: ConsoleEvent) {
            lock.lock()
            events.append(event)
            lock.unlock()
        }

        func writer(_ engine: CaseEngine) {
            lock.lock()
            self.engine = engine
            lock.unlock()
        }

        func drain() -> [ConsoleEvent] {
            lock.lock()
            defer { lock.unlock() }
            let out = events
            events.removeAll()
            return out
        }

        private var failure: String?

        /// Why the writable connection could not open, once it has failed.
        var writerFailure: String? {
            lock.lock()
            defer { lock.unlock() }
            return failure
        }

        func failWriter(_ reason: String) {
            lock.lock()
            failure = reason
            lock.unlock()
        }

        func takeWriter() -> CaseEngine? {
            lock.lock()
            defer { lock.unlock() }
            let out = engine
            engine = nil
            return out
        }
    }
}
