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
        let dictionaries = try Dictionaries(caseFile)
        let attackerIDs = dictionaries.ids(ips: attackers.ips, clients: attackers.clients)
        let matchers = dictionaries.matchers(measures)
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

    /// The dictionaries a replay matches measures against, read once; addresses parsed once.
    struct Dictionaries {
        let ips: [(id: Int64, text: String, address: IPAddress?)]
        let clients: [Int64: String]
        let keys: [Int64: String]
        let methods: [Int64: String]
        let routes: [Int64: String]

        init(_ caseFile: CaseFile) throws {
            ips = try caseFile.dictionary(kind: .ip).map { ($0.key, $0.value, IPAddress($0.value)) }
            clients = try caseFile.dictionary(kind: .client)
            keys = try caseFile.dictionary(kind: .apiKey)
            methods = try caseFile.dictionary(kind: .method)
            routes = try caseFile.dictionary(kind: .route)
        }

        /// The dictionary ids of the given addresses and clients.
        func ids(ips wanted: Set<String>, clients wantedClients: Set<String>) -> Set<Int64> {
            Set(ips.filter { wanted.contains($0.text) }.map(\.id) + clients.filter { wantedClients.contains($0.value) }.map(\.key))
        }

        /// Each measure as a test of a packed request over the dict ids it matches, so a pass is lookups only.
        func matchers(_ measures: [ContainmentMeasure]) -> [(ScanRow) -> Bool] {
            measures.map { measure in
                switch measure {
                case .blockAddress(let network, _):
                    let hit = Set(ips.filter { $0.address.map(network.contains) == true }.map(\.id))
                    return { hit.contains($0.ip) }
                case .blockKey(let fingerprint, _):
                    let hit = Set(keys.filter { $0.value == fingerprint }.map(\.key))
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
                    let hit = Set(clients.filter { $0.value == named }.map(\.key))
                    return { hit.contains($0.client) }
                }
            }
        }
    }

    /// What the measures together let through of the attackers' requests, and what they stop of
    /// everyone else's: a request counts once however many measures match it.
    static func together(
        _ caseFile: CaseFile, measures: [ContainmentMeasure], attackerIPs: Set<String>, attackerClients: Set<String>
    ) throws -> (attack: Int64, attackStopped: Int64, benignStopped: Int64, benignIdentities: Int) {
        let dictionaries = try Dictionaries(caseFile)
        let attackerIDs = dictionaries.ids(ips: attackerIPs, clients: attackerClients)
        let matchers = dictionaries.matchers(measures)
        var attack: Int64 = 0
        var attackStopped: Int64 = 0
        var benignStopped: Int64 = 0
        var identities = Set<Int64>()
        try caseFile.scanChunks(fromMs: nil, toMs: nil) { chunk in
            try chunk.forEachRow(fromMs: nil, toMs: nil) { row in
                let stopped = matchers.contains { $0(row) }
                if attackerIDs.contains(row.ip) || attackerIDs.contains(row.client) {
                    attack += 1
                    if stopped { attackStopped += 1 }
                } else if stopped {
                    benignStopped += 1
                    if row.client != 0 { identities.insert(row.client) }
                }
            }
        }
        return (attack, attackStopped, benignStopped, identities.count)
    }

    /// The attacker lists of the latest scope run; empty before the first.
    static func latestAttackers(_ caseFile: CaseFile) throws -> (ips: Set<String>, clients: Set<String>, known: Bool) {
        guard let latest = try caseFile.latestScopeReport() else { return ([], [], false) }
        let report = try ScopeReportDocument.decode(latest.json)
        return (Set(report.attackers.ips), Set(report.attackers.clients), true)
    }
}
