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
    /// Every compromised credential, named by what the log has: the key as logged (consumer name,
    /// key id or fingerprint) with the identities logged with it, or an identity whose credential
    /// others used (the remote user of a combined log).
    public var compromisedCredentials: [ScopeReportDocument.Credential]
    /// Credential-stuffing campaigns, with their member findings and the sources that got in.
    public var campaigns: [Campaign]
    /// Nil when the logins were logged without their accounts.
    public var accountsTargeted: Int?
    public var targetedEndpoints: [(method: String, route: String, requests: Int64, attackerRequests: Int64)]
    public var dataAccessed: [(route: String, objects: [String], bytes: Int64)]
    public var shadowEndpoints: [ShadowEndpointSummary]
    public var skipped: [(detector: String, reason: String)]

    public init(
        analyzer: ScopeAnalyzer, conclusion: ScopeConclusion, footprint: AttackerFootprint, skipped: [(String, String)],
        window: (from: Int64?, to: Int64?)
    ) {
        let ctx = analyzer.context
        fromMs = window.from ?? analyzer.firstMs
        toMs = window.to ?? analyzer.lastMs
        requests = analyzer.requests
        findings = conclusion.findings
        attackerIPs = conclusion.attackerIPs.map(ctx.string).sorted()
        attackerClients = conclusion.attackerClients.map(ctx.string).sorted()
        compromisedKeys = conclusion.compromisedKeys.map(ctx.string).sorted()
        compromisedAccounts = conclusion.compromisedAccounts.map(ctx.string).sorted()
        compromisedCredentials =
            conclusion.compromisedKeys.map { key in
                ScopeReportDocument.Credential(
                    credential: ctx.string(key), field: .apiKey, consumers: (conclusion.keyConsumers[key] ?? []).map(ctx.string))
            }
            + conclusion.stolenIdentities.map { ScopeReportDocument.Credential(credential: ctx.string($0), field: .identity, consumers: []) }
        campaigns = conclusion.campaigns
        compromisedCredentials.sort { ($0.field.rawValue, $0.credential) < ($1.field.rawValue, $1.credential) }
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
            case (let x?, let y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
    }

    /// The versioned contract documented in the README (`tourniquet scope --json`).
    public var document: ScopeReportDocument {
        func time(_ ms: Int64?) -> String? { ms.map { UTCTime.format(ms: $0) } }
        return ScopeReportDocument(
            window: .init(from: time(fromMs), to: time(toMs)), requests: requests,
            findings: findings.map { f in
                .init(
                    id: f.id, detector: f.detector, severity: f.severity, subject: .init(kind: f.subject.kind, value: f.subject.value),
                    firstSeen: UTCTime.format(ms: f.firstMs), lastSeen: UTCTime.format(ms: f.lastMs), requests: f.requests,
                    evidence: f.evidence, state: f.state, confidence: f.confidence, confidenceReason: f.confidenceReason)
            },
            attackers: .init(ips: attackerIPs, clients: attackerClients), keys: .init(compromised: compromisedKeys),
            accounts: .init(compromised: compromisedAccounts, targeted: accountsTargeted.map(Int64.init)),
            credentials: .init(compromised: compromisedCredentials),
            campaigns: campaigns.map {
                .init(
                    finding: $0.findingID, route: $0.route, members: Int64($0.members), memberFindings: $0.memberFindings,
                    gotIn: $0.gotIn)
            },
            targetedEndpoints: targetedEndpoints.map {
                .init(method: $0.method, route: $0.route, requests: $0.requests, attackerRequests: $0.attackerRequests)
            },
            dataAccessed: dataAccessed.map { .init(route: $0.route, objects: $0.objects, bytes: $0.bytes) },
            shadowEndpoints: shadowEndpoints.map { .init(method: $0.method, path: $0.path, requests: $0.requests, statuses: $0.statuses) },
            skipped: skipped.map { .init(detector: $0.detector, reason: $0.reason) })
    }
}
