import Foundation
import TourniquetConsole
import TourniquetDetection
import TourniquetEngine
import TourniquetIngest
import TourniquetModel
import TourniquetStore

/// Reads what the console shows from the case: aggregates and the latest scope report, never a
/// scan of the requests table, so the first screen is quick on any size of case.
public enum ConsoleDataLoader {
    public static func load(_ file: CaseFile) throws -> ConsoleData {
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
        data.containment = try CaseEngine.ledger(of: file, nowMs: WallClock.live.nowMs()).entries
        if let latest = try file.latestScopeReport() {
            do {
                data.scope = summary(try ScopeReportDocument.decode(latest.json), ranAt: latest.ranAt)
            } catch {
                data.scopeProblem = "\(error): run scope again (r)"
            }
        }
        return data
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
