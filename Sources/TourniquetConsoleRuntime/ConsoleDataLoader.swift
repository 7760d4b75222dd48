import Foundation
import TourniquetConsole
import TourniquetModel
import TourniquetIngest
import TourniquetStore

/// Reads what the console shows from the case: aggregates and the latest scope report, never a
/// scan of the requests table, so the first screen is quick on any size of case.
public enum ConsoleDataLoader {
    public static func load(_ file: CaseFile) throws -> ConsoleData {
        let evidence = try file.evidence().map {
            ConsoleData.EvidenceRow(id: $0.id, path: $0.path, format: $0.format, sha256: $0.sha256, lines: $0.linesRead, parsed: $0.parsed,
                                    malformed: $0.malformed, firstMs: $0.firstMs, lastMs: $0.lastMs)
        }
        var scope: ConsoleData.ScopeSummary?
        if let latest = try file.latestScopeReport() { scope = summary(latest.json, ranAt: latest.ranAt) }
        return ConsoleData(metadata: file.metadata, evidence: evidence, requestCount: try file.importedRequestCount(),
                           findings: try file.findings(), scope: scope, timeline: try file.recentActions(limit: 20_000),
                           actionCount: try file.actionCount())
    }

    static func summary(_ json: String, ranAt: String) -> ConsoleData.ScopeSummary? {
        guard let r = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        func strings(_ value: Any?) -> [String] { value as? [String] ?? [] }
        func int(_ value: Any?) -> Int64 { (value as? NSNumber)?.int64Value ?? 0 }
        let attackers = r["attackers"] as? [String: Any] ?? [:]
        let accounts = r["accounts"] as? [String: Any] ?? [:]
        return ConsoleData.ScopeSummary(
            ranAtMs: Timestamps.parseRFC3339(ranAt)?.ms, requests: int(r["requests"]), attackerIPs: strings(attackers["ips"]),
            attackerClients: strings(attackers["clients"]), compromisedAccounts: strings(accounts["compromised"]),
            accountsTargeted: Int(int(accounts["targeted"])), compromisedKeys: strings((r["keys"] as? [String: Any])?["compromised"]),
            targetedEndpoints: (r["targeted_endpoints"] as? [[String: Any]] ?? []).map {
                ($0["method"] as? String ?? "", $0["route"] as? String ?? "", int($0["requests"]), int($0["attacker_requests"]))
            },
            dataAccessed: (r["data_accessed"] as? [[String: Any]] ?? []).map {
                ($0["route"] as? String ?? "", ($0["objects"] as? [Any])?.count ?? 0, int($0["bytes"]))
            },
            shadowEndpoints: (r["shadow_endpoints"] as? [[String: Any]] ?? []).map {
                ($0["method"] as? String ?? "", $0["path"] as? String ?? "", int($0["requests"]))
            })
    }

    /// A page of one subject's requests, time-sorted, for a drill-down.
    public static func requests(_ file: CaseFile, of subject: FindingSubject, limit: Int = 5000) throws -> [RequestLine] {
        let kind: DictKind
        switch subject.kind {
        case .ip: kind = .ip
        case .client, .account: kind = .client
        case .key: kind = .apiKey
        case .route: kind = .route
        }
        // A route finding's subject may carry its method ("GET /v1/x").
        var value = subject.value
        if kind == .route, let space = value.firstIndex(of: " "), value.hasPrefix("/") == false { value = String(value[value.index(after: space)...]) }
        return try file.requests(of: kind, value: value, limit: limit).sorted { $0.timestampMs < $1.timestampMs }.map {
            RequestLine(timestampMs: $0.timestampMs, ip: $0.ip, client: $0.client, method: $0.method,
                        target: $0.path + ($0.query.map { "?" + $0 } ?? ""), status: $0.status, bytes: $0.bytes, userAgent: $0.userAgent)
        }
    }
}
