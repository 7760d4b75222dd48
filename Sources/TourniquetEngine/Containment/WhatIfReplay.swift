import TourniquetDetection
import TourniquetIngest
import TourniquetModel
import TourniquetStore

/// What a measure would have done to the case's evidence: the requests it stops, split into the
/// attackers' (sources and clients on the latest scope report's attacker lists) and everyone
/// else's, and who else it hits.
public struct WhatIfFigures: Equatable, Sendable {
    public var requests: Int64 = 0
    public var attackerRequests: Int64 = 0
    public var benignRequests: Int64 = 0
    /// Distinct identities other than the attackers' whose requests it stops.
    public var benignIdentities: Int = 0
    /// Distinct user agents of those requests.
    public var benignUserAgents: Int = 0
    /// Up to ten of those identities, for the responder to recognise.
    public var benignSample: [String] = []
    /// Whether a scope run named the attackers; before one, every request counts as someone else's.
    public var attackersKnown = false

    public var json: JSONValue {
        .fields([
            "requests": .int(requests), "attacker_requests": .int(attackerRequests), "benign_requests": .int(benignRequests),
            "benign_identities": .int(Int64(benignIdentities)), "benign_user_agents": .int(Int64(benignUserAgents)),
            "benign_sample": .array(benignSample.map { .string($0) }), "attackers_known": .bool(attackersKnown),
        ])
    }
}

/// Replays the case's packed requests through measures, in one pass however many there are.
enum WhatIfReplay {
    static func run(_ caseFile: CaseFile, measures: [ContainmentMeasure]) throws -> [WhatIfFigures] {
        guard !measures.isEmpty else { return [] }
        let strings = try caseFile.dictionary().all
        let attackers = try latestAttackers(caseFile)
        var attackerIDs = Set<Int64>()
        let ipStrings = try caseFile.dictionary(kind: .ip)
        for (id, ip) in ipStrings where attackers.ips.contains(ip) { attackerIDs.insert(id) }
        let clientStrings = try caseFile.dictionary(kind: .client)
        for (id, client) in clientStrings where attackers.clients.contains(client) { attackerIDs.insert(id) }
        let keyStrings = try caseFile.dictionary(kind: .apiKey)
        let methods = try caseFile.dictionary(kind: .method)
        let routes = try caseFile.dictionary(kind: .route)

        // Each measure as the set of dict ids it matches, so the pass is lookups only.
        let matchers: [(ScanRow) -> Bool] = measures.map { measure in
            switch measure {
            case .blockAddress(let network, _):
                let hit = Set(ipStrings.compactMap { id, ip in IPAddress(ip).map { network.contains($0) } == true ? id : nil })
                return { hit.contains($0.ip) }
            case .blockKey(let fingerprint, _):
                let hit = Set(keyStrings.filter { $0.value == fingerprint }.map(\.key))
                return { hit.contains($0.apiKey) }
            case .disableEndpoint(let method, let route, _, _):
                let m = Set(methods.filter { $0.value == method }.map(\.key))
                let r = Set(routes.filter { $0.value == route }.map(\.key))
                return { m.contains($0.method) && r.contains($0.route) }
            case .revokeTokens(let selector, _):
                // A subject or client is the identity the log names; a token id is not in the log.
                let named: String?
                switch selector {
                case .subject(let value, _), .client(let value): named = value
                case .jti: named = nil
                }
                let hit = Set(clientStrings.filter { $0.value == named }.map(\.key))
                return { hit.contains($0.client) }
            }
        }
        var blank = WhatIfFigures()
        blank.attackersKnown = attackers.known
        var figures = [WhatIfFigures](repeating: blank, count: measures.count)
        var identities = [Set<Int64>](repeating: [], count: measures.count)
        var agents = [Set<Int64>](repeating: [], count: measures.count)
        try caseFile.scanChunks(fromMs: nil, toMs: nil) { chunk in
            try chunk.forEachRow(fromMs: nil, toMs: nil) { row in
                for (i, matches) in matchers.enumerated() where matches(row) {
                    figures[i].requests += 1
                    if attackerIDs.contains(row.ip) || attackerIDs.contains(row.client) {
                        figures[i].attackerRequests += 1
                    } else {
                        figures[i].benignRequests += 1
                        if row.client != 0 { identities[i].insert(row.client) }
                        if row.userAgent != 0 { agents[i].insert(row.userAgent) }
                    }
                }
            }
        }
        for i in figures.indices {
            figures[i].benignIdentities = identities[i].count
            figures[i].benignUserAgents = agents[i].count
            figures[i].benignSample = identities[i].compactMap { strings[$0] }.sorted().prefix(10).map { $0 }
        }
        return figures
    }

    /// The attacker lists of the latest scope run; empty before the first.
    static func latestAttackers(_ caseFile: CaseFile) throws -> (ips: Set<String>, clients: Set<String>, known: Bool) {
        guard let latest = try caseFile.latestScopeReport() else { return ([], [], false) }
        let report = try ScopeReportDocument.decode(latest.json)
        return (Set(report.attackers.ips), Set(report.attackers.clients), true)
    }
}
