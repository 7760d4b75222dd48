import Foundation
import TourniquetConsole
import TourniquetDetection
import TourniquetEngine
import TourniquetIngest
import TourniquetModel
import TourniquetResponse
import TourniquetStore

/// Reads what the console shows from the case: aggregates and the latest scope report, never a
/// scan of the requests table, so the first screen is quick on any size of case.
public enum ConsoleDataLoader {
    /// `library` and `nowMs` come from the run loop, which reads the playbooks once and keeps the
    /// case's clock; without them they are read here.
    public static func load(_ file: CaseFile, library: ResponseLibrary? = nil, nowMs: Int64? = nil) throws -> ConsoleData {
        let evidence = try file.evidence().map {
            ConsoleData.EvidenceRow(
                id: $0.id, path: $0.path, format: $0.format, sha256: $0.sha256, lines: $0.linesRead, parsed: $0.parsed,
                malformed: $0.malformed, firstMs: $0.firstMs, lastMs: $0.lastMs)
        }
        var data = ConsoleData(
            metadata: file.metadata, evidence: evidence, requestCount: try file.importedRequestCount(),
            findings: try file.findings(), timeline: try file.recentActions(limit: 20_000),
            actionCount: try file.actionCount())
        data.metadata.status = try file.currentStatus()
        let ledger = try CaseEngine.ledger(of: file, nowMs: try nowMs ?? CaseEngine.clock(for: file).nowMs())
        data.containment = ledger.entries
        data.lastApply = ledger.lastApplyTarget
        var report: ScopeReportDocument?
        if let latest = try file.latestScopeReport() {
            do {
                report = try ScopeReportDocument.decode(latest.json)
                data.scope = summary(report!, ranAt: latest.ranAt)
            } catch {
                data.scopeProblem = "\(error): run scope again (r)"
            }
        }
        data.response = try response(file, report: report, library: library ?? ResponseLibrary.load())
        data.review = ReviewLedger(actions: try file.actions(ofKinds: [.reviewRun, .reviewAnswered]))
        return data
    }

    /// The playbooks (started first, then by fit), the answers their steps show, and the
    /// obligations with their deadlines formatted in the responder's zone ($TZ, else UTC).
    static func response(_ file: CaseFile, report: ScopeReportDocument?, library: ResponseLibrary) throws -> ResponseData {
        var response = ResponseData()
        response.problems = library.problems.map(\.description)
        let fits = library.fits(report)
        let actions = try file.actions(ofKinds: [.playbookStarted, .playbookStep])
        response.playbooks = library.playbooks.map { loaded in
            ResponseData.PlaybookEntry(
                playbook: loaded.playbook, digest: loaded.digest, fits: fits[loaded.playbook.id] ?? 0,
                progress: PlaybookProgress(playbook: loaded.playbook, actions: actions))
        }.sorted { a, b in
            (a.started ? 1 : 0, a.fits, b.playbook.id) > (b.started ? 1 : 0, b.fits, a.playbook.id)
        }
        if let report { for question in ScopeQuestion.allCases { response.answers[question] = question.answer(from: report) } }
        let ledger = try CaseEngine.notifications(of: file)
        response.clocks = ledger.clocks
        let zone = ResponderZone.from(ProcessInfo.processInfo.environment) ?? TimeZone(identifier: "UTC")!
        response.obligations = ledger.obligations.map { obligation in
            let regime = try? library.regime(obligation.regime)
            let deadlines = regime.map { Deadlines.due($0, clocks: ledger.clocks) } ?? []
            return ResponseData.ObligationEntry(
                regime: obligation.regime, title: regime?.title ?? "(no such regime in the playbooks read)", state: obligation.state,
                reason: obligation.reason, inForce: regime?.inForce ?? true,
                deadlines: deadlines.map {
                    .init(
                        name: $0.name, atMs: $0.atMs, shown: $0.atMs.map { Deadlines.format($0, in: zone) } ?? "", rule: $0.rule,
                        waitingFor: $0.waitingFor)
                })
        }
        return response
    }

    static func summary(_ report: ScopeReportDocument, ranAt: String) -> ConsoleData.ScopeSummary {
        ConsoleData.ScopeSummary(
            ranAtMs: Timestamps.parseRFC3339(ranAt)?.ms, requests: report.requests, attackerIPs: report.attackers.ips,
            attackerClients: report.attackers.clients, compromisedAccounts: report.accounts.compromised,
            accountsTargeted: report.accounts.targeted.map { Int($0) }, compromisedKeys: report.keys.compromised,
            targetedEndpoints: report.targetedEndpoints.map { ($0.method, $0.route, $0.requests, $0.attackerRequests) },
            dataAccessed: report.dataAccessed.map { ($0.route, $0.objects.count, $0.bytes) },
            shadowEndpoints: report.shadowEndpoints.map { ($0.method, $0.path, $0.requests) })
    }

    /// A page of one subject's requests for a drill-down, time-sorted, with the filter run over all
    /// of them in the database and the true counts.
    public static func requests(
        _ file: CaseFile, of subject: FindingSubject, filter: RequestFilter = .none, skip: Int = 0,
        limit: Int = ConsoleReducer.requestPageSize
    ) throws -> RequestLinesPage {
        let kind: DictKind
        switch subject.kind {
        case .ip: kind = .ip
        case .client, .account: kind = .client
        case .key: kind = .apiKey
        case .route: kind = .route
        }
        // A route finding's subject may carry its method ("GET /v1/x").
        var value = subject.value
        if kind == .route, let space = value.firstIndex(of: " "), value.hasPrefix("/") == false {
            value = String(value[value.index(after: space)...])
        }
        let page = try file.requestPage(of: kind, value: value, filter: filter, skip: skip, limit: limit)
        let lines = page.requests.sorted { ($0.timestampMs, $0.id) < ($1.timestampMs, $1.id) }.map {
            RequestLine(
                timestampMs: $0.timestampMs, ip: $0.ip, client: $0.client, method: $0.method,
                target: $0.path + ($0.query.map { "?" + $0 } ?? ""), status: $0.status, bytes: $0.bytes, userAgent: $0.userAgent)
        }
        return RequestLinesPage(lines: lines, first: page.first, matching: page.matching, total: page.total, filter: filter.text)
    }
}
