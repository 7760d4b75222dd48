import TourniquetModel

/// The scope report: the answers of the first hour, as text and as the stable JSON contract.
public struct ScopeReport: Sendable {
    public var fromMs: Int64?
    public var toMs: Int64?
    public var requests: Int64
    public var findings: [Finding]
    public var attackerIPs: [String]
    public var attackerClients: [String]
    public var compromisedKeys: [String]
    public var compromisedAccounts: [String]
    public var accountsTargeted: Int
    public var targetedEndpoints: [(method: String, route: String, requests: Int64, attackerRequests: Int64)]
    public var dataAccessed: [(route: String, objects: [String], bytes: Int64)]
    public var shadowEndpoints: [ShadowEndpointSummary]
    public var skipped: [(detector: String, reason: String)]

    public init(analyzer: ScopeAnalyzer, conclusion: ScopeConclusion, footprint: AttackerFootprint, skipped: [(String, String)],
                window: (from: Int64?, to: Int64?)) {
        let ctx = analyzer.context
        fromMs = window.from ?? analyzer.firstMs
        toMs = window.to ?? analyzer.lastMs
        requests = analyzer.requests
        findings = conclusion.findings
        attackerIPs = conclusion.attackerIPs.map(ctx.string).sorted()
        attackerClients = conclusion.attackerClients.map(ctx.string).sorted()
        compromisedKeys = conclusion.compromisedKeys.map(ctx.string).sorted()
        compromisedAccounts = conclusion.compromisedAccounts.map(ctx.string).sorted()
        accountsTargeted = conclusion.accountsTargeted
        let totals = analyzer.endpointTotals
        targetedEndpoints = footprint.requestsByEndpoint.map { key, count in
            (ctx.string(key.method), ctx.string(key.route), totals[key] ?? count, count)
        }.sorted { ($1.attackerRequests, $0.route, $0.method) < ($0.attackerRequests, $1.route, $1.method) }
        var objects = footprint.objects
        for (route, ids) in conclusion.objects { objects[route, default: []].formUnion(ids) }
        dataAccessed = objects.map { route, ids in
            (ctx.string(route), ScopeReport.sortedIDs(ids), footprint.bytesByRoute[route] ?? 0)
        }.sorted { ($1.objects.count, $0.route) < ($0.objects.count, $1.route) }
        shadowEndpoints = conclusion.shadowEndpoints
        self.skipped = skipped
    }

    /// Numeric ids in numeric order, then the rest.
    static func sortedIDs(_ ids: Set<String>) -> [String] {
        ids.sorted { a, b in
            switch (Int64(a), Int64(b)) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
    }

    /// The JSON contract documented in the README (`tourniquet scope --json`).
    public var json: Detail {
        func time(_ ms: Int64?) -> Detail { ms.map { .string(UTCTime.format(ms: $0)) } ?? .null }
        return [
            "window": ["from": time(fromMs), "to": time(toMs)],
            "requests": .int(requests),
            "findings": .array(findings.map { f in
                [
                    "id": .string(f.id), "detector": .string(f.detector), "severity": .string(f.severity),
                    "subject": ["kind": .string(f.subject.kind.rawValue), "value": .string(f.subject.value)],
                    "first_seen": time(f.firstMs), "last_seen": time(f.lastMs), "requests": .int(f.requests),
                    "evidence": f.evidence, "state": .string(f.state.rawValue),
                ]
            }),
            "attackers": ["ips": .array(attackerIPs.map { .string($0) }), "clients": .array(attackerClients.map { .string($0) })],
            "keys": ["compromised": .array(compromisedKeys.map { .string($0) })],
            "accounts": ["compromised": .array(compromisedAccounts.map { .string($0) }), "targeted": .int(Int64(accountsTargeted))],
            "targeted_endpoints": .array(targetedEndpoints.map {
                ["method": .string($0.method), "route": .string($0.route), "requests": .int($0.requests), "attacker_requests": .int($0.attackerRequests)]
            }),
            "data_accessed": .array(dataAccessed.map {
                ["route": .string($0.route), "objects": .array($0.objects.map { .string($0) }), "bytes": .int($0.bytes)]
            }),
            "shadow_endpoints": .array(shadowEndpoints.map {
                ["method": .string($0.method), "path": .string($0.path), "requests": .int($0.requests),
                 "statuses": .object($0.statuses.mapValues { .int($0) })]
            }),
            "skipped": .array(skipped.map { ["detector": .string($0.detector), "reason": .string($0.reason)] }),
        ]
    }
}
