import Foundation
import TourniquetDetection
import TourniquetExport
import TourniquetModel
import TourniquetResponse
import TourniquetStore

/// What an export wrote.
public struct ExportOutcome: Sendable {
    /// The whole text, for standard output when there is no file.
    public var text: String
    /// The file written, nil for standard output.
    public var path: String?
    public var bytes: Int
    public var sha256: String
    public var action: Action
}

extension CaseEngine {
    /// Renders the case in `format`, writes it to `path` (whole or not at all, mode 0600; an
    /// existing file only with `force`, and never over the case's own files) and records the
    /// export with the text's SHA-256 and the chain head it covers.
    func export(format name: String, to path: String?, sinceMs: Int64?, untilMs: Int64?, force: Bool, reason: String) throws -> ExportOutcome {
        guard let format = ExportFormat(rawValue: name) else {
            throw RefusedRequest(
                "'\(DisplayText.escaped(name))' is not an export format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let sinceMs, let untilMs, sinceMs > untilMs { throw RefusedRequest("--since is after --until") }
        if let path {
            guard !path.isEmpty, !path.hasSuffix("/") else { throw RefusedRequest("the output names no file") }
            if caseFile.isOneOfItsFiles(path) {
                throw RefusedRequest("\(DisplayText.escaped(path)) is one of the case's own files; choose another output")
            }
            if FileManager.default.fileExists(atPath: path) && !force {
                throw RefusedRequest("\(DisplayText.escaped(path)) exists; give --force to overwrite it")
            }
        }
        let report = try CaseEngine.report(of: caseFile, library: responseLibrary ?? ResponseLibrary.load(), sinceMs: sinceMs, untilMs: untilMs)
        let text = format.render(report, path: path)
        let bytes = Array(text.utf8)
        let digest = ContentDigest.sha256Hex(bytes)
        if let path {
            do { try AtomicFile.write(text, to: path, mode: 0o600, replacing: force) } catch POSIXError.EEXIST {
                throw RefusedRequest("\(DisplayText.escaped(path)) appeared while the export was being written; give --force to overwrite it")
            } catch {
                throw RefusedRequest("cannot write \(DisplayText.escaped(path)): \(error.localizedDescription)")
            }
        }
        let details: JSONValue = .fields([
            "format": .string(format.rawValue), "path": path.map { .string($0) } ?? .string("-"), "bytes": .int(Int64(bytes.count)),
            "sha256": .string(digest), "covers_head": .string(report.chain.head), "covers_actions": .int(report.chain.actions),
            "intact": .bool(report.chain.intact),
            "since": sinceMs.map { .string(UTCTime.format(ms: $0)) } ?? .null, "until": untilMs.map { .string(UTCTime.format(ms: $0)) } ?? .null,
        ])
        let action: Action
        do {
            action = try caseFile.record(
                ActionDraft(kind: .caseExported, target: "export:\(format.rawValue)", details: details, rationale: reason),
                actor: context.actor, clock: context.clock)
        } catch {
            // An export that is not on the timeline is not left behind as if it were.
            if let path { unlink(path) }
            throw error
        }
        return ExportOutcome(text: text, path: path, bytes: bytes.count, sha256: digest, action: action)
    }

    /// Reads everything an export says about the case, as of its last action.
    public static func report(of file: CaseFile, library: ResponseLibrary, sinceMs: Int64? = nil, untilMs: Int64? = nil) throws -> IncidentReport {
        let actions = try file.actions()
        let asOf = actions.last?.atMs ?? file.metadata.createdAtMs
        let verified = try file.verify(rehash: FileDigest.sha256(path:bytes:))
        var scope: IncidentReport.Scope?
        if let latest = try file.latestScopeReport(), let document = try? ScopeReportDocument.decode(latest.json) {
            scope = .init(ranAt: latest.ranAt, document: document)
        }
        let notifications = NotificationLedger(actions: actions)
        let obligations = notifications.obligations.map { o in
            let regime = try? library.regime(o.regime)
            let deadlines = regime.map { Deadlines.due($0, clocks: notifications.clocks) } ?? []
            return IncidentReport.Obligation(
                regime: o.regime, title: regime?.title ?? "(no such regime in the playbooks read)", state: o.state, reason: o.reason,
                openedAt: o.openedAt, changedAt: o.changedAt,
                deadlines: deadlines.map { .init(name: $0.name, atMs: $0.atMs, rule: $0.rule, waitingFor: $0.waitingFor) })
        }
        let drill = actions.last { $0.kind == ActionKind.drillScored.rawValue }.flatMap { action in
            JSONValue(parsing: action.details).map { IncidentReport.DrillResult(scoredAt: action.at, action: action.id, score: $0) }
        }
        var header = file.metadata
        header.status = try file.currentStatus()
        return IncidentReport(
            header: header, status: header.status, asOfMs: asOf, sinceMs: sinceMs, untilMs: untilMs,
            chain: .init(head: verified.headHash, actions: verified.actions, intact: verified.isIntact, problems: verified.problems),
            evidence: try file.evidence().map {
                .init(
                    id: $0.id, path: $0.path, format: $0.format, sha256: $0.sha256, bytes: $0.size, lines: $0.linesRead, parsed: $0.parsed,
                    malformed: $0.malformed, firstMs: $0.firstMs, lastMs: $0.lastMs, importedAtMs: $0.importedAtMs)
            },
            scope: scope, findings: try file.findings(),
            containment: ContainmentLedger(actions: actions, nowMs: asOf).entries, clocks: notifications.clocks, obligations: obligations,
            playbooks: playbookRuns(actions, library: library), drill: drill, actions: actions)
    }

    /// Every playbook begun on the case, each step with its outcome in the playbook's order.
    static func playbookRuns(_ actions: [Action], library: ResponseLibrary) -> [IncidentReport.PlaybookRun] {
        var seen = Set<String>()
        let started = actions.filter { $0.kind == ActionKind.playbookStarted.rawValue }.compactMap { action -> String? in
            guard let id = JSONValue(parsing: action.details)?["playbook"]?.stringValue, seen.insert(id).inserted else { return nil }
            return id
        }
        return started.map { id in
            guard let loaded = try? library.playbook(id) else {
                let at = actions.first {
                    $0.kind == ActionKind.playbookStarted.rawValue && JSONValue(parsing: $0.details)?["playbook"]?.stringValue == id
                }?.at
                return .init(id: id, title: "(not in the playbooks read)", startedAt: at ?? "-", finished: false, steps: [])
            }
            let progress = PlaybookProgress(playbook: loaded.playbook, actions: actions)
            return .init(
                id: id, title: loaded.playbook.title, startedAt: progress.started?.at ?? "-", finished: progress.finished,
                steps: loaded.playbook.steps.map { step in
                    let record = progress.records[step.id]
                    return .init(
                        id: step.id, title: step.title, outcome: progress.state(of: step.id), at: record?.at, actor: record?.actor,
                        reason: record?.reason ?? "")
                })
        }
    }
}
